from django.urls import path

from . import utilizacion, views

urlpatterns = [
    path("conexiones", views.ConexionCrearApi.as_view(), name="conexion_add"),
    path("conexiones/listar", views.ConexionListarApi.as_view(), name="conexion_list"),
    path("conexiones/listar/select", views.ConexionOpcionesApi.as_view(), name="conexion_select"),
    path("conexiones/<id:pk>", views.ConexionDetalleApi.as_view(), name="conexion_detail"),
    path(
        "conexiones/<id:pk>/ajustar-bw",
        views.ConexionAjustarBwApi.as_view(),
        name="conexion_ajustar_bw",
    ),
    path(
        "conexiones/<id:pk>/ajustes", views.AjusteBWListarApi.as_view(), name="conexion_ajustes"
    ),
    path(
        "conexiones/<id:pk>/ajustes-programados",
        views.AjusteProgramadoListarCrearApi.as_view(),
        name="conexion_ajustes_programados",
    ),
    path(
        "conexiones/<id:pk>/ajustes-programados/<id:programado_id>",
        views.AjusteProgramadoCancelarApi.as_view(),
        name="conexion_ajusteprogramado_cancelar",
    ),
    path("nodos/listar", views.NodoListarApi.as_view(), name="nodo_list"),
    path("equipos/listar", views.EquipoListarApi.as_view(), name="equipo_list"),
    path(
        "servicios-proveedor/<id:pk>/utilizacion",
        utilizacion.ServicioUtilizacionView.as_view(),
        name="servicio_utilizacion",
    ),
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
]
