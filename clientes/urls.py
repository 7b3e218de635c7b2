from django.urls import path

from . import views

app_name = "clientes"

urlpatterns = [
    path("", views.ClienteCorpListView.as_view(), name="clientecorp_list"),
    path("nuevo", views.ClienteCorpCreateView.as_view(), name="clientecorp_add"),
    path("<int:pk>/", views.ClienteCorpDetailView.as_view(), name="clientecorp_detail"),
    path("<int:pk>/editar", views.ClienteCorpUpdateView.as_view(), name="clientecorp_edit"),
    path("<int:cliente_id>/sedes/", views.SedeListView.as_view(), name="sede_list"),
    path("<int:cliente_id>/sedes/nueva", views.SedeCreateView.as_view(), name="sede_add"),
    path("sedes/<int:pk>/editar", views.SedeUpdateView.as_view(), name="sede_edit"),
]
