"""The site's error pages (handler400/403/404/500 in isp_portal.urls), in Spanish.

Each page renders with no request: no context processors, no session, no user, no database,
so it works when the error is the database itself. Under /v1/ the same errors answer the
API's JSON shape, `{"detail": "mensaje"}`.

A database that does not answer (OperationalError, InterfaceError) is 503 with Retry-After,
not 500. It is recognised in the 500 handler, not in a middleware: Django turns every
middleware's exception into a response at that middleware's own layer, so no middleware sees
the errors of the session and authentication middleware, while every uncaught exception, from
any layer, ends in the 500 handler, still inside its `except` (sys.exc_info()).
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

PREFIJO_API = "/v1/"
ERRORES_DE_BASE = (OperationalError, InterfaceError)
REINTENTAR_EN_SEGUNDOS = 60

MENSAJES = {
    400: "Solicitud incorrecta.",
    403: "No tiene permiso para realizar esta acción.",
    404: "No encontrado.",
    413: "La solicitud es demasiado grande: el cuerpo admite hasta {limite} bytes.",
    500: "Error interno del servidor.",
    503: "Servicio no disponible: la base de datos no responde. Reintente en un minuto.",
}


def mensaje(estado: int) -> str:
    return MENSAJES[estado].format(limite=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def demasiado_grande(exc) -> bool:
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields): 413, not 400/500."""
    return isinstance(exc, RequestDataTooBig | TooManyFieldsSent)


def _pagina(request, estado: int, contexto: dict | None = None) -> HttpResponse:
    if request.path.startswith(PREFIJO_API):
        respuesta = JsonResponse({"detail": mensaje(estado)}, status=estado)
    else:
        respuesta = HttpResponse(
            loader.render_to_string(f"{estado}.html", contexto or {}), status=estado
        )
    if estado == 503:
        respuesta["Retry-After"] = str(REINTENTAR_EN_SEGUNDOS)
    return respuesta


def solicitud_incorrecta(request, exception=None):
    if demasiado_grande(exception):
        return _pagina(request, 413, {"mensaje": mensaje(413)})
    return _pagina(request, 400)


def acceso_denegado(request, exception=None):
    """403 with a "Volver" link to the page the user came from, when it is on this site."""
    anterior = request.META.get("HTTP_REFERER", "")
    del_sitio = url_has_allowed_host_and_scheme(
        anterior, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return _pagina(request, 403, {"volver": anterior if del_sitio else ""})


def no_encontrado(request, exception=None):
    return _pagina(request, 404)


def error_del_servidor(request):
    if isinstance(sys.exc_info()[1], ERRORES_DE_BASE):
        return _pagina(request, 503)
    return _pagina(request, 500)
