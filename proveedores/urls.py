from isp_portal import registro
from isp_portal.generic import entity_urls

from . import views
from .forms import ProveedorForm
from .models import Proveedor, ServicioProveedor

app_name = "proveedores"

# Pages other apps add to a provider or a service (their impact, from conexiones) come from
# isp_portal.registro.
urlpatterns = [
    *entity_urls(
        "",
        list=views.ProveedorListView,
        detail=views.ProveedorDetailView,
        form=ProveedorForm,
    ),
    *entity_urls(
        "servicios/",
        ServicioProveedor,
        list=views.ServicioProveedorListView,
        detail=views.ServicioProveedorDetailView,
        add=views.ServicioProveedorCreateView,
        edit=views.ServicioProveedorUpdateView,
        delete=True,
    ),
    *registro.urls(Proveedor),
    *registro.urls(ServicioProveedor, "servicios/"),
]
