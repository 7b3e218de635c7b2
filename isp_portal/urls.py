from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import errores, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("ubigeo/provincias/", views.ubigeo_provincias, name="ubigeo_provincias"),
    path("ubigeo/distritos/", views.ubigeo_distritos, name="ubigeo_distritos"),
    path("clientes_corporativo/", include("clientes.urls")),
    # What people type; the source documents' path stays the page's address.
    path(
        "clientes/",
        RedirectView.as_view(pattern_name="clientes:clientecorp_list", query_string=True),
        name="clientes_atajo",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("proveedores/", include("proveedores.urls")),
    path("", include("conexiones.urls")),
    path("", include("mantenimientos.urls")),
    path("cuenta/tokens-api/", views.TokensAPIView.as_view(), name="tokens_api"),
    path("salud", views.salud, name="salud"),
    path("v1/", include("isp_portal.api.urls")),
    path("admin/", admin.site.urls),
]

# Spanish error pages (JSON under /v1/); they need neither the user nor the database.
handler400 = errores.solicitud_incorrecta
handler403 = errores.acceso_denegado
handler404 = errores.no_encontrado
handler500 = errores.error_del_servidor

admin.site.site_header = "ISP Portal · Administración"
admin.site.site_title = "ISP Portal"
admin.site.index_title = "Back office"
