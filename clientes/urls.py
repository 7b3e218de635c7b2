from django.urls import path

from isp_portal.generic import entity_urls

from . import views

app_name = "clientes"

urlpatterns = [
    *entity_urls(
        "",
        list_view=views.ClienteCorpListView,
        add_view=views.ClienteCorpCreateView,
        detail_view=views.ClienteCorpDetailView,
        edit_view=views.ClienteCorpUpdateView,
    ),
    path("<int:cliente_id>/sedes/", views.SedeListView.as_view(), name="sede_list"),
    path("<int:cliente_id>/sedes/nueva", views.SedeCreateView.as_view(), name="sede_add"),
    path("sedes/<int:pk>/editar", views.SedeUpdateView.as_view(), name="sede_edit"),
]
