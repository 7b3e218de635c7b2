"""A request with a NUL character (\\x00) in its path, query string or form data is refused
with a 400 before any view reads it: PostgreSQL cannot hold the character, and a search or a
lookup that passed it on was a server error."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

MENSAJE = "La solicitud contiene un carácter nulo (\\x00), que no se admite."
PREFIJO_API = "/v1/"


def tiene_nulos(request) -> bool:
    if "\x00" in request.path:
        return True
    for datos in (request.GET, request.POST):
        for clave, valores in datos.lists():
            if "\x00" in clave or any("\x00" in valor for valor in valores):
                return True
    return False


class SinNulosMiddleware:
    """The 400 is the API's JSON under /v1/, the site's error page (400.html, through
    handler400) elsewhere, or this Spanish text if there is no such page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not tiene_nulos(request):
            return self.get_response(request)
        if request.path.startswith(PREFIJO_API):
            return JsonResponse({"detail": MENSAJE}, status=400)
        try:
            get_template("400.html")
        except TemplateDoesNotExist:
            return HttpResponseBadRequest(MENSAJE, content_type="text/plain; charset=utf-8")
        # Logged as a suspicious request and answered by handler400.
        raise SuspiciousOperation(MENSAJE)
