"""A request with a NUL character (\\x00) in its path, query string or form data is refused
with a 400 before any view reads it: PostgreSQL cannot hold the character, and a search or a
lookup that passed it on was a server error."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse

from .errores import PREFIJO_API

MENSAJE = "La solicitud contiene un carácter nulo (\\x00), que no se admite."


def tiene_nulos(request) -> bool:
    if "\x00" in request.path:
        return True
    for datos in (request.GET, request.POST):
        for clave, valores in datos.lists():
            if "\x00" in clave or any("\x00" in valor for valor in valores):
                return True
    return False


class SinNulosMiddleware:
    """The 400 is the API's JSON with this message under /v1/, the site's error page
    (handler400) elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not tiene_nulos(request):
            return self.get_response(request)
        if request.path.startswith(PREFIJO_API):
            return JsonResponse({"detail": MENSAJE}, status=400)
        # Logged as a suspicious request and answered by handler400.
        raise SuspiciousOperation(MENSAJE)
