from django.urls import path

from . import views

urlpatterns = [
    path("mantenimientos", views.MantenimientoListaApi.as_view(), name="mantenimiento_list"),
    path(
        "mantenimientos/<id:pk>",
        views.MantenimientoDetalleApi.as_view(),
        name="mantenimiento_detail",
    ),
    path(
        "mantenimientos/<id:pk>/notificar",
        views.MantenimientoNotificarApi.as_view(),
        name="mantenimiento_notificar",
    ),
    path(
        "mantenimientos/<id:pk>/cancelar",
        views.MantenimientoCancelarApi.as_view(),
        name="mantenimiento_cancelar",
    ),
]
