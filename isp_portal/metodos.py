"""The HTTP methods a page answers: those its view serves among GET, HEAD, POST and OPTIONS;
any other (PUT, PATCH, DELETE, TRACE, an invented one) is 405 with `Allow`, before the
view runs (after the login: the anonymous still go to the login page).

Django's generic views serve more than the pages use: UpdateView takes PUT as a POST, and
DeleteView's DELETE deletes at once, past the confirmation's checks (ObjectDeleteView). The
JSON API (/v1/) is left to Django REST framework, which answers its own 405s.
"""

from django.http import HttpResponseNotAllowed

from .errores import PREFIJO_API

METODOS_DE_PAGINA = ("get", "head", "post", "options")
MENSAJE = "Esta página no admite el método {metodo}; admite {permitidos}."


def metodos_servidos(clase) -> list[str]:
    """The methods of METODOS_DE_PAGINA a class-based view serves: those it has a handler
    for (HEAD with GET)."""
    servidos = [
        m
        for m in METODOS_DE_PAGINA
        if m in clase.http_method_names
        and (hasattr(clase, m) or (m == "head" and hasattr(clase, "get")))
    ]
    return [m.upper() for m in servidos]


class MetodosDePaginaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(PREFIJO_API):
            return None
        clase = getattr(view_func, "view_class", None)
        if clase is not None:
            permitidos = metodos_servidos(clase)
        elif "admin" in request.resolver_match.namespaces:
            # The admin's function views take GET and POST; a DELETE must not reach them.
            permitidos = [m.upper() for m in METODOS_DE_PAGINA]
        else:
            # A function view states its methods itself (require_safe, require_http_methods).
            return None
        if request.method in permitidos:
            return None
        return HttpResponseNotAllowed(
            permitidos,
            content=MENSAJE.format(metodo=request.method, permitidos=", ".join(permitidos)),
            content_type="text/plain; charset=utf-8",
        )
