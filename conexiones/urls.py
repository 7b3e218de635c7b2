from django.urls import path

from isp_portal.generic import entity_urls

from . import views

app_name = "conexiones"

urlpatterns = [
    *entity_urls(
        "conexiones/",
        list_view=views.ConexionListView,
        add_view=views.ConexionCreateView,
        detail_view=views.ConexionDetailView,
        edit_view=views.ConexionUpdateView,
        add_slug="nueva",
    ),
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
        "ajustes-programados/",
        views.AjusteProgramadoListView.as_view(),
        name="ajusteprogramado_list",
    ),
    path(
        "ajustes-programados/<int:pk>/cancelar",
        views.AjusteProgramadoCancelarView.as_view(),
        name="ajusteprogramado_cancelar",
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
    *entity_urls(
        "nodos/",
        list_view=views.NodoListView,
        add_view=views.NodoCreateView,
        detail_view=views.NodoDetailView,
        edit_view=views.NodoUpdateView,
    ),
    path("nodos/<int:pk>/impacto", views.NodoImpactoView.as_view(), name="nodo_impacto"),
    *entity_urls(
        "equipos/",
        list_view=views.EquipoListView,
        add_view=views.EquipoCreateView,
        detail_view=views.EquipoDetailView,
        edit_view=views.EquipoUpdateView,
    ),
]
