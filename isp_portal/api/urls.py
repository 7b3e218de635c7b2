"""/v1/: every app's API (each app's `api/urls.py`), its OpenAPI document and Swagger UI."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from .documentacion import Documentacion, Esquema, Redoc
from .errores import no_encontrado

app_name = "api"

urlpatterns = [
    path("", include("clientes.api.urls")),
    path("", include("proveedores.api.urls")),
    path("", include("conexiones.api.urls")),
    path("", include("mantenimientos.api.urls")),
    path("schema/", Esquema.as_view(), name="schema"),
    path("docs/", Documentacion.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", Redoc.as_view(url_name="api:schema"), name="redoc"),
    # Any other path under /v1/: a JSON 404 (without login: the API answers for itself).
    # [\s\S]: a path with a newline is under /v1/ too.
    re_path(r"^[\s\S]*$", csrf_exempt(login_not_required(no_encontrado)), name="no_encontrado"),
]
