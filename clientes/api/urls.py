from django.urls import path

from . import views

urlpatterns = [
    path(
        "clientes-corporativo/listar",
        views.ClienteCorpListarApi.as_view(),
        name="clientecorp_list",
    ),
    path(
        "clientes-corporativo/listar/select",
        views.ClienteCorpOpcionesApi.as_view(),
        name="clientecorp_select",
    ),
    path(
        "clientes-corporativo/crear",
        views.ClienteCorpCrearApi.as_view(),
        name="clientecorp_add",
    ),
    path(
        "clientes-corporativo/editar/<id:pk>",
        views.ClienteCorpEditarApi.as_view(),
        name="clientecorp_edit",
    ),
    path(
        "clientes-corporativo/<id:pk>",
        views.ClienteCorpDetalleApi.as_view(),
        name="clientecorp_detail",
    ),
    path("sedes/listar", views.SedeListarApi.as_view(), name="sede_list"),
    path(
        "sedes/cliente/<id:cliente_id>",
        views.SedeListarDeClienteApi.as_view(),
        name="sede_cliente",
    ),
    path("sedes/crear", views.SedeCrearApi.as_view(), name="sede_add"),
    path("sedes/editar", views.SedeEditarApi.as_view(), name="sede_edit"),
]
