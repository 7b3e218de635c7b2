from django.urls import reverse

from conexiones import selectors as conexion_selectors
from conexiones.views import ImpactoListView
from isp_portal.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
)
from isp_portal.tables import Column

from . import selectors
from .filters import ProveedorFilterSet, ServicioProveedorFilterSet
from .forms import ProveedorForm, ServicioProveedorForm
from .models import Proveedor, ServicioProveedor
from .resources import PROVEEDOR_COLUMNS, SERVICIO_COLUMNS

# Detail pages show this many rows of a related list; the rest is one click away.
LIMITE_DETALLE = 20
MBPS = "proveedores/_mbps_celda.html"


class ProveedorListView(ObjectListView):
    model = Proveedor
    queryset = selectors.proveedor_list()
    filterset_class = ProveedorFilterSet
    default_order = ("nombre", "pk")
    columns = [
        Column("nombre", "Nombre", order_by="nombre", link=True),
        Column("ruc", "RUC", order_by="ruc"),
        Column("contacto", "Contacto", order_by="contacto"),
        Column("telefono", "Teléfono", css="text-nowrap"),
        Column("email", "Correo"),
        Column("num_servicios", "Servicios", order_by="num_servicios", css="num"),
        Column("is_active", "Estado", order_by="is_active", template="clientes/_estado.html"),
    ]
    export_columns = PROVEEDOR_COLUMNS
    row_actions_template = "proveedores/_proveedor_acciones.html"


class ProveedorDetailView(ObjectDetailView):
    model = Proveedor
    template_name = "proveedores/proveedor_detail.html"
    sections = [
        Section("Proveedor", ("nombre", "ruc", "is_active")),
        Section("Contacto", ("contacto", "telefono", "email")),
    ]

    def get_title(self):
        return f"Proveedor {self.object.nombre}"

    def get_context_data(self, **kwargs):
        # One row more than shown tells whether there are more, without a COUNT query.
        servicios = list(
            conexion_selectors.servicio_list()
            .filter(proveedor=self.object)
            .order_by("codigo")[: LIMITE_DETALLE + 1]
        )
        return super().get_context_data(
            servicios=servicios[:LIMITE_DETALLE],
            hay_mas_servicios=len(servicios) > LIMITE_DETALLE,
            **kwargs,
        )


class ProveedorCreateView(ObjectCreateView):
    model = Proveedor
    form_class = ProveedorForm


class ProveedorUpdateView(ObjectUpdateView):
    model = Proveedor
    form_class = ProveedorForm


class ServicioProveedorListView(ObjectListView):
    model = ServicioProveedor
    queryset = conexion_selectors.servicio_list()
    filterset_class = ServicioProveedorFilterSet
    title = "Servicios de proveedor"
    default_order = ("proveedor__nombre", "codigo")
    columns = [
        Column(
            "codigo",
            "Servicio",
            order_by="codigo",
            template="proveedores/_servicio_celda.html",
        ),
        Column(
            "departamento",
            "Ubicación",
            order_by="departamento",
            template="proveedores/_ubicacion_celda.html",
        ),
        Column(
            "porcentaje_uso",
            "Uso",
            order_by="porcentaje_uso",
            template="proveedores/_capacidad_celda.html",
            css="capacidad",
        ),
        Column(
            "capacidad_vendida", "Vendida", order_by="capacidad_vendida", template=MBPS, css="num"
        ),
        Column(
            "capacidad_contratada",
            "Contratada",
            order_by="capacidad_contratada",
            template=MBPS,
            css="num",
        ),
        Column(
            "capacidad_disponible",
            "Disponible",
            order_by="capacidad_disponible",
            template="proveedores/_disponible_celda.html",
            css="num",
        ),
        Column("estado", "Estado", order_by="estado", template="proveedores/_estado_servicio.html"),
    ]
    export_columns = SERVICIO_COLUMNS
    row_actions_template = "proveedores/_servicio_acciones.html"

    def get_add_url(self):
        return reverse("proveedores:servicioproveedor_add")


class ServicioProveedorDetailView(ObjectDetailView):
    model = ServicioProveedor
    queryset = conexion_selectors.servicio_list()
    template_name = "proveedores/servicioproveedor_detail.html"
    sections = [
        Section("Servicio", ("proveedor", "codigo", "modalidad", "tipo", "estado")),
        Section("Ubicación", ("departamento", "provincia", "distrito", "direccion", "locacion")),
    ]

    def get_title(self):
        return f"Servicio {self.object.codigo}"

    def get_context_data(self, **kwargs):
        conexiones = list(
            conexion_selectors.conexiones_por_servicio(self.object)[: LIMITE_DETALLE + 1]
        )
        return super().get_context_data(
            conexiones=conexiones[:LIMITE_DETALLE],
            hay_mas_conexiones=len(conexiones) > LIMITE_DETALLE,
            ajustes=conexion_selectors.ajustes_por_servicio(self.object, limite=LIMITE_DETALLE),
            **kwargs,
        )


class ServicioProveedorCreateView(ObjectCreateView):
    model = ServicioProveedor
    form_class = ServicioProveedorForm
    title = "Nuevo servicio de proveedor"

    def get_initial(self):
        """`?proveedor=<id>` (from the provider's page) pre-selects the provider."""
        initial = super().get_initial()
        proveedor = self.request.GET.get("proveedor", "")
        if proveedor.isdigit():
            initial["proveedor"] = int(proveedor)
        return initial


class ServicioProveedorUpdateView(ObjectUpdateView):
    model = ServicioProveedor
    form_class = ServicioProveedorForm
    queryset = ServicioProveedor.objects.select_related("proveedor")

    def get_title(self):
        return f"Editar servicio {self.object.codigo}"


class ServicioImpactoView(ImpactoListView):
    origen_queryset = ServicioProveedor.objects.select_related("proveedor")
    selector = staticmethod(conexion_selectors.conexiones_por_servicio)
    columns = [
        *ImpactoListView.columns,
        Column(
            "bw_contratado",
            "BW contratado (Mbps)",
            order_by="bw_contratado",
            template=MBPS,
            css="num",
        ),
    ]

    def get_title(self):
        return f"Impacto del servicio {self.origen.codigo}"
