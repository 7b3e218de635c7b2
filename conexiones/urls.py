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
        "conexiones/equipos-buscar/",
        views.ConexionEquiposBuscarView.as_view(),
        name="conexion_equipos_buscar",
    ),
    path(
        "conexiones/servicios-proveedor/",
        views.ConexionServiciosProveedorView.as_view(),
        name="conexion_servicios_proveedor",
    ),
    path("nodos/", views.NodoListView.as_view(), name="nodo_list"),
    path("nodos/nuevo", views.NodoCreateView.as_view(), name="nodo_add"),
    path("nodos/<int:pk>/", views.NodoDetailView.as_view(), name="nodo_detail"),
    path("nodos/<int:pk>/editar", views.NodoUpdateView.as_view(), name="nodo_edit"),
    path("nodos/<int:pk>/impacto", views.NodoImpactoView.as_view(), name="nodo_impacto"),
    path("equipos/", views.EquipoListView.as_view(), name="equipo_list"),
    path("equipos/nuevo", views.EquipoCreateView.as_view(), name="equipo_add"),
    path("equipos/<int:pk>/", views.EquipoDetailView.as_view(), name="equipo_detail"),
    path("equipos/<int:pk>/editar", views.EquipoUpdateView.as_view(), name="equipo_edit"),
]
