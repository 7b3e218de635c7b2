from django.urls import path

from . import views

app_name = "conexiones"

urlpatterns = [
    path("conexiones/", views.ConexionListView.as_view(), name="conexion_list"),
    path("conexiones/nueva", views.ConexionCreateView.as_view(), name="conexion_add"),
    path("conexiones/<int:pk>/", views.ConexionDetailView.as_view(), name="conexion_detail"),
    path("conexiones/<int:pk>/editar", views.ConexionUpdateView.as_view(), name="conexion_edit"),
    path("conexiones/<int:pk>/fila", views.ConexionRowView.as_view(), name="conexion_row"),
    path(
        "conexiones/<int:pk>/ajustar-bw",
        views.ConexionAjustarBWView.as_view(),
        name="conexion_ajustar_bw",
    ),
    path(
        "conexiones/<int:pk>/ajustar-bw/vista-previa",
        views.ConexionAjustePrevioView.as_view(),
        name="conexion_ajuste_previo",
    ),
    path(
        "conexiones/clientes-buscar/",
        views.ConexionClientesBuscarView.as_view(),
        name="conexion_clientes_buscar",
    ),
    path(
        "conexiones/cid-sugerido/",
        views.ConexionCidSugeridoView.as_view(),
        name="conexion_cid_sugerido",
    ),
    path(
        "conexiones/servicios-proveedor/",
        views.ConexionServiciosProveedorView.as_view(),
        name="conexion_servicios_proveedor",
    ),
]
