from django.urls import path

from . import views

app_name = "proveedores"

urlpatterns = [
    path("", views.ProveedorListView.as_view(), name="proveedor_list"),
    path("nuevo", views.ProveedorCreateView.as_view(), name="proveedor_add"),
    path("<int:pk>/", views.ProveedorDetailView.as_view(), name="proveedor_detail"),
    path("<int:pk>/editar", views.ProveedorUpdateView.as_view(), name="proveedor_edit"),
    path("servicios/", views.ServicioProveedorListView.as_view(), name="servicioproveedor_list"),
    path(
        "servicios/nuevo", views.ServicioProveedorCreateView.as_view(), name="servicioproveedor_add"
    ),
    path(
        "servicios/<int:pk>/",
        views.ServicioProveedorDetailView.as_view(),
        name="servicioproveedor_detail",
    ),
    path(
        "servicios/<int:pk>/editar",
        views.ServicioProveedorUpdateView.as_view(),
        name="servicioproveedor_edit",
    ),
    path(
        "servicios/<int:pk>/impacto",
        views.ServicioImpactoView.as_view(),
        name="servicioproveedor_impacto",
    ),
]
