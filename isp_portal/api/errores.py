"""API errors: always JSON, in Spanish, one shape.

Field errors `{"campo": ["mensaje", …]}`, errors of the whole input under
`"non_field_errors"`, every other error (authentication, permission, not found, method, rate
limit) `{"detail": "mensaje"}`. A service's or a form's Django ValidationError is answered
here, on the API's field names (the input serializer's `source=`s); a change that needs
confirming (CambioPorConfirmar: an oversubscription) answers 409 with its figures.
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
from isp_portal.validators import CambioPorConfirmar

logger = logging.getLogger(__name__)

GENERAL = "non_field_errors"


class Conflicto(exceptions.APIException):
    """409: the change would oversell a provider service and was not confirmed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "El cambio sobresuscribe el servicio del proveedor: confírmelo."
    default_code = "sobresuscripcion"

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


def error_de_servicio(error: DjangoValidationError, nombres: dict[str, str]) -> Exception:
    """The API exception for a service's refusal: 409 for a change to confirm, 400 with the
    messages on the API's field names otherwise."""
    detalle = errores_por_campo(error, nombres)
    if isinstance(error, CambioPorConfirmar):
        return Conflicto({**detalle, **error.datos()})
    return exceptions.ValidationError(detalle)


def manejar_excepcion(exc, context):
    """DRF's handler, plus the Django ValidationError of a service, a JSON 503 when the
    database does not answer (as the site's pages: isp_portal.errores) and a JSON 500."""
    if isinstance(exc, DjangoValidationError):
        nombres = getattr(context.get("view"), "nombres_api", dict)()
        exc = error_de_servicio(exc, nombres)
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
