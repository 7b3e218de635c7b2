"""API errors: always JSON, in Spanish, one shape.

Field errors `{"campo": ["mensaje", …]}`, errors of the whole input under
`"non_field_errors"`, every other error (authentication, permission, not found, method, rate
limit) `{"detail": "mensaje"}`. An oversubscription that needs confirming answers 409.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from isp_portal.errores import (
    ERRORES_DE_BASE,
    MENSAJES,
    REINTENTAR_EN_SEGUNDOS,
    demasiado_grande,
    mensaje,
)

logger = logging.getLogger(__name__)

GENERAL = "non_field_errors"
CODIGO_SOBRESUSCRIPCION = "sobresuscripcion"


class Conflicto(exceptions.APIException):
    """409: the change would oversell a provider service and was not confirmed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "El cambio sobresuscribe el servicio del proveedor: confírmelo."
    default_code = CODIGO_SOBRESUSCRIPCION

    def __init__(self, detalle: dict):
        super().__init__()
        self.detail = detalle  # as given: its figures stay numbers


def errores_por_campo(error: DjangoValidationError, nombres: dict[str, str]) -> dict:
    """A service's or form's ValidationError as {API field: [messages]}; `nombres` maps the
    model's field names to the API's."""
    if not hasattr(error, "error_dict"):
        return {GENERAL: list(error.messages)}
    salida: dict[str, list] = {}
    for campo, errores in error.error_dict.items():
        nombre = GENERAL if campo == NON_FIELD_ERRORS else nombres.get(campo, campo)
        for e in errores:
            salida.setdefault(nombre, []).extend(e.messages)
    return salida


def es_sobresuscripcion(error: DjangoValidationError) -> bool:
    return any(
        getattr(e, "code", None) == CODIGO_SOBRESUSCRIPCION
        for errores in getattr(error, "error_dict", {}).values()
        for e in errores
    )


def error_de_servicio(error: DjangoValidationError, nombres: dict[str, str]) -> Exception:
    """The API exception for a service's refusal: 409 for an unconfirmed oversubscription,
    400 with the messages on the API's field names otherwise."""
    detalle = errores_por_campo(error, nombres)
    if es_sobresuscripcion(error):
        return Conflicto(detalle)
    return exceptions.ValidationError(detalle)


def manejar_excepcion(exc, context):
    """DRF's handler, plus the Django ValidationError of a service, a JSON 503 when the
    database does not answer (as the site's pages: isp_portal.errores) and a JSON 500."""
    if isinstance(exc, DjangoValidationError):
        exc = error_de_servicio(exc, getattr(context.get("view"), "nombres_api", {}))
    respuesta = exception_handler(exc, context)
    if respuesta is not None:
        if isinstance(respuesta.data, list):  # a ValidationError raised with a list
            respuesta.data = {GENERAL: respuesta.data}
        return respuesta
    set_rollback()
    if demasiado_grande(exc):
        return Response({"detail": mensaje(413)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, ERRORES_DE_BASE):
        logger.error("La base de datos no responde", exc_info=exc)
        return Response(
            {"detail": MENSAJES[503]},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(REINTENTAR_EN_SEGUNDOS)},
        )
    logger.exception("Error interno en la API", exc_info=exc)
    return Response({"detail": MENSAJES[500]}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def no_encontrado(request, *args, **kwargs):
    """Any other path under /v1/: a JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": "No existe este recurso de la API."}, status=404)
