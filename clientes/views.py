from django.shortcuts import get_object_or_404
from django.urls import reverse

from conexiones.selectors import conexion_list
from isp_portal.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
)
from isp_portal.tables import Column

from .filters import ClienteCorpFilterSet, SedeFilterSet
from .forms import ClienteCorpForm, SedeForm
from .models import ClienteCorp, Sede
from .resources import CLIENTE_COLUMNS, SEDE_COLUMNS


class ClienteCorpListView(ObjectListView):
    model = ClienteCorp
    queryset = ClienteCorp.objects.all()
    filterset_class = ClienteCorpFilterSet
    title = "Clientes Corporativos"
    default_order = ("razon_social", "pk")
    # The search is index-served (see ClienteCorpFilterSet) and every sortable column is text.
    sort_search_matches = 10_000
    columns = [
        Column("cid", "CID", order_by="cid", link=True),
        Column("cod_erp", "Código ERP", order_by="cod_erp"),
        Column("razon_social", "Razón social", order_by="razon_social", link=True),
        Column("ruc", "RUC", order_by="ruc"),
        Column("responsable", "Responsable", order_by="responsable"),
        Column("is_active", "Estado", template="clientes/_estado.html"),
    ]
    export_columns = CLIENTE_COLUMNS
    row_actions_template = "clientes/_cliente_acciones.html"


class ClienteCorpDetailView(ObjectDetailView):
    model = ClienteCorp
    template_name = "clientes/clientecorp_detail.html"
    sections = [
        Section("Cliente", ("cid", "cod_erp", "razon_social", "ruc")),
        Section(
            "Contrato",
            ("responsable", "fecha_activacion", "is_active", "created_at", "updated_at"),
        ),
    ]
    # A client may have hundreds of connections: the page shows the first ones and links
    # to the connections list filtered by the client for the rest.
    max_conexiones = 50

    def get_context_data(self, **kwargs):
        conexiones = list(
            conexion_list()
            .filter(cliente=self.object)
            .order_by("cid_enlace")[: self.max_conexiones + 1]
        )
        return super().get_context_data(
            sedes=self.object.sedes.all(),
            conexiones=conexiones[: self.max_conexiones],
            hay_mas_conexiones=len(conexiones) > self.max_conexiones,
            **kwargs,
        )


class ClienteCorpCreateView(ObjectCreateView):
    model = ClienteCorp
    form_class = ClienteCorpForm
    title = "Nuevo cliente corporativo"


class ClienteCorpUpdateView(ObjectUpdateView):
    model = ClienteCorp
    form_class = ClienteCorpForm


class ClienteSedesMixin:
    """Pages under /clientes_corporativo/<id>/sedes/: scoped to that client."""

    def dispatch(self, request, *args, **kwargs):
        self.cliente = get_object_or_404(ClienteCorp, pk=kwargs["cliente_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cliente=self.cliente, **kwargs)


class SedeListView(ClienteSedesMixin, ObjectListView):
    model = Sede
    filterset_class = SedeFilterSet
    template_name = "clientes/sede_list.html"
    columns = [
        Column("oficina", "Oficina", order_by="oficina"),
        Column("locacion", "Locación"),
        Column("direccion", "Dirección"),
        Column("departamento", "Departamento", order_by="departamento"),
        Column("provincia", "Provincia"),
        Column("distrito", "Distrito"),
    ]
    export_columns = SEDE_COLUMNS
    row_actions_template = "clientes/_sede_acciones.html"

    def get_title(self):
        return f"Sedes de {self.cliente.razon_social}"

    def get_queryset(self):
        return Sede.objects.filter(cliente=self.cliente).select_related("cliente")

    def get_add_url(self):
        return reverse("clientes:sede_add", args=[self.cliente.pk])


class SedeCreateView(ClienteSedesMixin, ObjectCreateView):
    model = Sede
    form_class = SedeForm

    def get_title(self):
        return f"Nueva sede de {self.cliente.razon_social}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Sede(cliente=self.cliente)
        return kwargs

    def get_cancel_url(self):
        return reverse("clientes:sede_list", args=[self.cliente.pk])


class SedeUpdateView(ObjectUpdateView):
    model = Sede
    form_class = SedeForm
    queryset = Sede.objects.select_related("cliente")

    def get_title(self):
        return f"Editar sede {self.object.oficina} de {self.object.cliente.razon_social}"
