from django.urls import path

from isp_portal.generic import ObjectDeleteView, entity_urls

from . import views
from .forms import ClienteCorpForm
from .models import Sede

app_name = "clientes"

# The client's page shows its connections through isp_portal.registro (conexiones.registros).
urlpatterns = [
    *entity_urls(
        "", list=views.ClienteCorpListView, detail=views.ClienteCorpDetailView, form=ClienteCorpForm
    ),
    path("<id:cliente_id>/sedes/", views.SedeListView.as_view(), name="sede_list"),
    path("<id:cliente_id>/sedes/nueva", views.SedeCreateView.as_view(), name="sede_add"),
    path("sedes/<id:pk>/editar", views.SedeUpdateView.as_view(), name="sede_edit"),
    path("sedes/<id:pk>/eliminar", ObjectDeleteView.as_view(model=Sede), name="sede_delete"),
]
