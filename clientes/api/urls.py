from django.urls import path

from . import views

urlpatterns = [
    path(
        "clientes-corporativo/listar",
        views.ClienteCorpListView.as_view(),
        name="clientecorp_list",
    ),
    path(
        "clientes-corporativo/listar/select",
        views.ClienteCorpSelectView.as_view(),
        name="clientecorp_select",
    ),
    path(
        "clientes-corporativo/crear",
        views.ClienteCorpCreateView.as_view(),
        name="clientecorp_add",
    ),
    path(
        "clientes-corporativo/editar/<id:pk>",
        views.ClienteCorpUpdateView.as_view(),
        name="clientecorp_edit",
    ),
    path(
        "clientes-corporativo/<id:pk>",
        views.ClienteCorpDetailView.as_view(),
        name="clientecorp_detail",
    ),
    path("sedes/listar", views.SedeListView.as_view(), name="sede_list"),
    path("sedes/cliente/<id:cliente_id>", views.SedeClienteView.as_view(), name="sede_cliente"),
    path("sedes/crear", views.SedeCreateView.as_view(), name="sede_add"),
    path("sedes/editar", views.SedeUpdateView.as_view(), name="sede_edit"),
]
