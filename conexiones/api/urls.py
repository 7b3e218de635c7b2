from django.urls import path

from . import utilizacion, views

urlpatterns = [
    path("conexiones", views.ConexionCreateView.as_view(), name="conexion_add"),
    path("conexiones/listar", views.ConexionListView.as_view(), name="conexion_list"),
    path("conexiones/listar/select", views.ConexionSelectView.as_view(), name="conexion_select"),
    path("conexiones/<id:pk>", views.ConexionDetailView.as_view(), name="conexion_detail"),
    path(
        "conexiones/<id:pk>/ajustar-bw",
        views.ConexionAjustarBWView.as_view(),
        name="conexion_ajustar_bw",
    ),
    path(
        "conexiones/<id:pk>/ajustes", views.ConexionAjustesView.as_view(), name="conexion_ajustes"
    ),
    path(
        "conexiones/<id:pk>/ajustes-programados",
        views.ConexionAjustesProgramadosView.as_view(),
        name="conexion_ajustes_programados",
    ),
    path(
        "conexiones/<id:pk>/ajustes-programados/<id:programado_id>",
        views.AjusteProgramadoCancelarView.as_view(),
        name="conexion_ajusteprogramado_cancelar",
    ),
    path(
        "servicios-proveedor/listar",
        views.ServicioProveedorListView.as_view(),
        name="servicioproveedor_list",
    ),
    path(
        "servicios-proveedor/<id:pk>/utilizacion",
        utilizacion.ServicioUtilizacionView.as_view(),
        name="servicio_utilizacion",
    ),
    path("nodos/listar", views.NodoListView.as_view(), name="nodo_list"),
    path("utilizacion", utilizacion.UtilizacionCargaView.as_view(), name="utilizacion"),
    path(
        "utilizacion/influx",
        utilizacion.UtilizacionInfluxView.as_view(),
        name="utilizacion_influx",
    ),
    path(
        "conexiones/<id:pk>/utilizacion",
        utilizacion.ConexionUtilizacionView.as_view(),
        name="conexion_utilizacion",
    ),
    path("equipos/listar", views.EquipoListView.as_view(), name="equipo_list"),
]
