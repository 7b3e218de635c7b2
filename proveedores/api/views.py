from isp_portal import registro
from isp_portal.api.vistas import VistaLista

from ..filters import ProveedorFilterSet, ServicioProveedorFilterSet
from ..models import ServicioProveedor
from ..selectors import proveedor_list
from .serializers import ProveedorSerializer, ServicioProveedorSerializer


class ProveedorListarApi(VistaLista):
    resumen = "Proveedores (paginado), con cuántos servicios tiene cada uno"
    queryset = proveedor_list()
    serializer_class = ProveedorSerializer
    filterset_class = ProveedorFilterSet
    orden = ("nombre", "pk")


class ServicioProveedorListarApi(VistaLista):
    resumen = "Servicios de proveedor con su capacidad contratada, vendida y disponible"
    queryset = ServicioProveedor.objects.select_related("proveedor")
    serializer_class = ServicioProveedorSerializer
    filterset_class = ServicioProveedorFilterSet
    orden = ("proveedor__nombre", "codigo", "pk")

    def get_queryset(self):
        # Capacity annotations registered by conexiones (isp_portal.registro).
        return registro.consulta(ServicioProveedor, super().get_queryset())
