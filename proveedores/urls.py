from isp_portal.generic import entity_urls

from . import views
from .forms import ProveedorForm
from .models import ServicioProveedor

app_name = "proveedores"

# The provider's detail and the services' list, detail and impact show capacity, derived
# from the connections: conexiones.urls adds them to this namespace.
urlpatterns = [
    *entity_urls("", list=views.ProveedorListView, form=ProveedorForm),
    *entity_urls(
        "servicios/",
        ServicioProveedor,
        add=views.ServicioProveedorCreateView,
        edit=views.ServicioProveedorUpdateView,
        delete=True,
    ),
]
