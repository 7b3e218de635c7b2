from django.urls import path

from isp_portal.generic import entity_urls

from . import views

app_name = "proveedores"

urlpatterns = [
    *entity_urls(
        "",
        list_view=views.ProveedorListView,
        add_view=views.ProveedorCreateView,
        detail_view=views.ProveedorDetailView,
        edit_view=views.ProveedorUpdateView,
    ),
    *entity_urls(
        "servicios/",
        list_view=views.ServicioProveedorListView,
        add_view=views.ServicioProveedorCreateView,
        detail_view=views.ServicioProveedorDetailView,
        edit_view=views.ServicioProveedorUpdateView,
    ),
    path(
        "servicios/<int:pk>/impacto",
        views.ServicioImpactoView.as_view(),
        name="servicioproveedor_impacto",
    ),
]
