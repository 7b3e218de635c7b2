from django.urls import path

from . import views

urlpatterns = [
    path("proveedores/listar", views.ProveedorListarApi.as_view(), name="proveedor_list"),
    path(
        "servicios-proveedor/listar",
        views.ServicioProveedorListarApi.as_view(),
        name="servicioproveedor_list",
    ),
]
