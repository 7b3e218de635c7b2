from django.urls import path

from isp_portal.generic import ObjectDeleteView, entity_urls

from . import views
from .forms import ClienteCorpForm
from .models import Sede

app_name = "clientes"

# The client's detail page shows its connections: conexiones.urls adds it to this namespace.
urlpatterns = [
    *entity_urls("", list=views.ClienteCorpListView, form=ClienteCorpForm),
    path("<id:cliente_id>/sedes/", views.SedeListView.as_view(), name="sede_list"),
    path("<id:cliente_id>/sedes/nueva", views.SedeCreateView.as_view(), name="sede_add"),
    path("sedes/<id:pk>/editar", views.SedeUpdateView.as_view(), name="sede_edit"),
    path("sedes/<id:pk>/eliminar", ObjectDeleteView.as_view(model=Sede), name="sede_delete"),
]
