"""Pages of providers and their services. What the connections know of them (a service's
capacity, its connections, its impact page) is registered by conexiones in isp_portal.registro
and shown here: dependencies run clientes, proveedores ← conexiones."""

from django.utils.html import format_html

from isp_portal import celdas
from isp_portal.enteros import id_o_none
from isp_portal.generic import (
    UBICACION,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
    editar,
)
from isp_portal.tables import Action, Column

from . import selectors
from .filters import ProveedorFilterSet, ServicioProveedorFilterSet
from .forms import ServicioProveedorForm
from .importacion import PROVEEDOR_COLUMNS, SERVICIO_COLUMNS
from .models import Proveedor, ServicioProveedor


def servicio(obj, valor):
    detalle = " · ".join(
        filter(None, (obj.proveedor.nombre, obj.get_modalidad_display(), obj.tipo))
    )
    enlace = format_html('<a class="text-nowrap" href="{}">{}</a>', obj.get_absolute_url(), valor)
    return celdas.con_detalle(enlace, detalle)


def ubicacion(obj, valor):
    lugar = ", ".join(filter(None, (obj.distrito, obj.provincia)))
    return celdas.con_detalle(valor or "—", lugar) if lugar else (valor or "—")


class ProveedorListView(ObjectListView):
    queryset = selectors.proveedor_list()
    filterset_class = ProveedorFilterSet
    default_order = ("nombre", "pk")
    columns = [
        Column("nombre", link=True),
        "ruc",
        Column("contacto", movil=False),
        Column("telefono", order_by=None, css="text-nowrap"),
        Column("email", order_by=None, movil=False),
        Column("num_servicios", "Servicios", order_by="num_servicios", css="num"),
        Column("is_active", "Estado", render=celdas.activo),
    ]
    export_columns = PROVEEDOR_COLUMNS
    row_actions = [
        Action(
            "Servicios",
            "proveedores:servicioproveedor_list",
            query="proveedor={obj.pk}",
            icon="diagram-2",
            title="Servicios del proveedor",
        ),
        editar(Proveedor),
    ]


class ProveedorDetailView(ObjectDetailView):
    model = Proveedor
    title = "Proveedor {object.nombre}"
    sections = [
        Section("Proveedor", ("nombre", "ruc", "is_active")),
        Section("Contacto", ("contacto", "telefono", "email")),
    ]


class ServicioProveedorListView(ObjectListView):
    """Services; their capacity columns and «Impacto» come from conexiones (registro)."""

    queryset = ServicioProveedor.objects.select_related("proveedor")
    filterset_class = ServicioProveedorFilterSet
    default_order = ("proveedor__nombre", "codigo")
    columns = [
        Column("codigo", "Servicio", render=servicio),
        Column("departamento", "Ubicación", render=ubicacion, movil=False),
        Column("capacidad_contratada", "Contratada", render=celdas.mbps, css="num"),
        Column("estado", render=celdas.estado),
    ]
    export_columns = SERVICIO_COLUMNS
    row_actions = [editar(ServicioProveedor)]
    deleted_field = "codigo"


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
