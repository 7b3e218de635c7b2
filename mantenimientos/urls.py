from django.urls import path

from isp_portal.generic import entity_urls

from . import calendario, views

app_name = "mantenimientos"

urlpatterns = [
    *entity_urls(
        "mantenimientos/",
        list=views.MantenimientoListView,
        add=views.MantenimientoCreateView,
        detail=views.MantenimientoDetailView,
        edit=views.MantenimientoUpdateView,
    ),
    path(
        "mantenimientos/<id:pk>/notificar",
        views.MantenimientoNotificarView.as_view(),
        name="mantenimiento_notificar",
    ),
    path(
        "mantenimientos/<id:pk>/cancelar",
        views.MantenimientoCancelarView.as_view(),
        name="mantenimiento_cancelar",
    ),
    path(
        "mantenimientos/<id:pk>/progreso",
        views.MantenimientoProgresoView.as_view(),
        name="mantenimiento_progreso",
    ),
    path("mantenimientos.ics", calendario.mantenimientos_ics, name="mantenimiento_calendario"),
]
