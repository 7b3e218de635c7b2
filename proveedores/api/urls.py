from django.urls import path

from . import views

urlpatterns = [
    path("proveedores/listar", views.ProveedorListView.as_view(), name="proveedor_list"),
    path(
        "servicios-proveedor/listar",
        views.ServicioProveedorListView.as_view(),
        name="servicioproveedor_list",
    ),
]
