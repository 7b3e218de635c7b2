from isp_portal.enteros import id_o_none
from isp_portal.generic import (
    UBICACION,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
)
from isp_portal.tables import Column

from . import selectors
from .filters import ProveedorFilterSet
from .forms import ServicioProveedorForm
from .importacion import PROVEEDOR_COLUMNS
from .models import Proveedor, ServicioProveedor

# The pages of providers and services that show capacity (derived from the connections)
# are built on these in conexiones.views and added to this app's URLs by isp_portal/urls.py.


class ProveedorListView(ObjectListView):
    queryset = selectors.proveedor_list()
    filterset_class = ProveedorFilterSet
    default_order = ("nombre", "pk")
    columns = [
        Column("nombre", link=True),
        "ruc",
        "contacto",
        Column("telefono", order_by=None, css="text-nowrap"),
        Column("email", order_by=None),
        Column("num_servicios", "Servicios", order_by="num_servicios", css="num"),
        Column("is_active", "Estado", template="clientes/_estado.html"),
    ]
    export_columns = PROVEEDOR_COLUMNS
    row_actions_template = "proveedores/_proveedor_acciones.html"


class ProveedorDetailView(ObjectDetailView):
    model = Proveedor
    title = "Proveedor {object.nombre}"
    sections = [
        Section("Proveedor", ("nombre", "ruc", "is_active")),
        Section("Contacto", ("contacto", "telefono", "email")),
    ]


class ServicioProveedorDetailView(ObjectDetailView):
    queryset = ServicioProveedor.objects.select_related("proveedor")
    title = "Servicio {object.codigo}"
    sections = [
        Section("Servicio", ("proveedor", "codigo", "modalidad", "tipo", "estado")),
        UBICACION,
    ]


class ServicioProveedorCreateView(ObjectCreateView):
    model = ServicioProveedor
    form_class = ServicioProveedorForm

    def get_initial(self):
        """`?proveedor=<id>` (from the provider's page) pre-selects the provider."""
        initial = super().get_initial()
        proveedor_id = id_o_none(self.request.GET.get("proveedor"))
        if proveedor_id:
            initial["proveedor"] = proveedor_id
        return initial


class ServicioProveedorUpdateView(ObjectUpdateView):
    form_class = ServicioProveedorForm
    queryset = ServicioProveedor.objects.select_related("proveedor")
    title = "Editar servicio {object.codigo}"
