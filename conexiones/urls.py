from django.urls import path

from isp_portal.generic import entity_urls

from . import utilizacion_views, views
from .forms import EquipoForm, NodoForm

app_name = "conexiones"

urlpatterns = [
    *entity_urls(
        "conexiones/",
        list=views.ConexionListView,
        add=views.ConexionCreateView,
        detail=views.ConexionDetailView,
        edit=views.ConexionUpdateView,
        add_slug="nueva",
    ),
    path("conexiones/<id:pk>/fila", views.ConexionRowView.as_view(), name="conexion_row"),
    path(
        "conexiones/<id:pk>/ajustar-bw",
        views.ConexionAjustarBWView.as_view(),
        name="conexion_ajustar_bw",
    ),
    path(
        "conexiones/<id:pk>/ajustar-bw/vista-previa",
        views.ConexionAjustePrevioView.as_view(),
        name="conexion_ajuste_previo",
    ),
    path(
        "ajustes-programados/",
        views.AjusteProgramadoListView.as_view(),
        name="ajusteprogramado_list",
    ),
    path(
        "ajustes-programados/<id:pk>/cancelar",
        views.AjusteProgramadoCancelarView.as_view(),
        name="ajusteprogramado_cancelar",
    ),
    path(
        "ajustes-programados/<id:pk>/reintentar",
        views.AjusteProgramadoReversionView.as_view(accion="reintentar"),
        name="ajusteprogramado_reintentar",
    ),
    path(
        "ajustes-programados/<id:pk>/resolver",
        views.AjusteProgramadoReversionView.as_view(accion="resolver"),
        name="ajusteprogramado_resolver",
    ),
    # The saturation page's three tabs.
    path(
        "utilizacion/",
        utilizacion_views.SaturadasListView.as_view(),
        name="utilizacion_saturadas",
    ),
    path(
        "utilizacion/sin-lecturas/",
        utilizacion_views.SinLecturasListView.as_view(),
        name="utilizacion_sin_lecturas",
    ),
    path(
        "utilizacion/servicios/",
        utilizacion_views.ServiciosTraficoListView.as_view(),
        name="utilizacion_servicios",
    ),
    # htmx helpers of the connection form.
    *[
        path(f"conexiones/{ruta}/", vista.as_view(), name=f"conexion_{nombre}")
        for ruta, nombre, vista in [
            ("clientes-buscar", "clientes_buscar", views.ConexionClientesBuscarView),
            ("cid-sugerido", "cid_sugerido", views.ConexionCidSugeridoView),
            ("equipos-buscar", "equipos_buscar", views.ConexionEquiposBuscarView),
            ("servicios-proveedor", "servicios_proveedor", views.ConexionServiciosProveedorView),
        ]
    ],
    *entity_urls(
        "nodos/", list=views.NodoListView, detail=views.NodoDetailView, form=NodoForm, delete=True
    ),
    path("nodos/<id:pk>/impacto", views.NodoImpactoView.as_view(), name="nodo_impacto"),
    path("equipos/<id:pk>/impacto", views.EquipoImpactoView.as_view(), name="equipo_impacto"),
    *entity_urls(
        "equipos/",
        list=views.EquipoListView,
        detail=views.EquipoDetailView,
        form=EquipoForm,
        edit=views.EquipoUpdateView,
        delete=True,
        en_uso=("conexion",),
    ),
]
