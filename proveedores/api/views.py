from isp_portal.api.vistas import VistaLista

from ..filters import ProveedorFilterSet
from ..selectors import proveedor_list
from .serializers import ProveedorSerializer


class ProveedorListarApi(VistaLista):
    resumen = "Proveedores (paginado), con cuántos servicios tiene cada uno"
    queryset = proveedor_list()
    serializer_class = ProveedorSerializer
    filterset_class = ProveedorFilterSet
    orden = ("nombre", "pk")
