from django.shortcuts import get_object_or_404
from django.urls import reverse

from isp_portal import celdas
from isp_portal.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
    editar,
)
from isp_portal.tables import Action, Column, Tabla

from .filters import ClienteCorpFilterSet, SedeFilterSet
from .forms import SedeForm
from .importacion import CLIENTE_COLUMNS, SEDE_COLUMNS
from .models import ClienteCorp, Sede


class ClienteCorpListView(ObjectListView):
    model = ClienteCorp
    filterset_class = ClienteCorpFilterSet
    title = "Clientes Corporativos"
    default_order = ("razon_social", "pk")
    # The search is index-served (clientes.selectors) and every sortable column is text.
    sort_search_matches = 10_000
    columns = [
        Column("cid", link=True),
        "cod_erp",
        Column("razon_social", link=True),
        "ruc",
        "responsable",
        Column("is_active", "Estado", order_by=None, render=celdas.activo),
    ]
    export_columns = CLIENTE_COLUMNS
    # conexiones adds «Conexiones» (isp_portal.registro).
    row_actions = [
        Action("Sedes", "clientes:sede_list", icon="geo-alt", title="Sedes"),
        editar(ClienteCorp),
    ]


ACCIONES_SEDE = [
    editar(Sede),
    Action(
        "Eliminar",
        "clientes:sede_delete",
        icon="trash",
        estilo="outline-danger",
        aria="Eliminar la sede {obj.oficina}",
        permiso="delete",
        solo_icono=True,
    ),
]
# The sedes on the client's page.
SEDES = Tabla(
    Sede,
    (
        Column("oficina", css="texto-largo"),
        Column("locacion", css="texto-largo"),
        Column("direccion", css="texto-largo"),
        Column("ubicacion_texto", "Ubicación"),
    ),
    ACCIONES_SEDE,
    vacia="Sin sedes registradas.",
    id_fila="sede",
)


class ClienteCorpDetailView(ObjectDetailView):
    """The client and its sedes; conexiones.views adds its connections (the routed page)."""

    model = ClienteCorp
    sections = [
        Section("Cliente", ("cid", "cod_erp", "razon_social", "ruc")),
        Section("Contacto", ("responsable", "telefono", "correo")),
        Section("Contrato", ("fecha_activacion", "is_active", "created_at", "updated_at")),
    ]

    def get_context_data(self, **kwargs):
        sedes = SEDES.filas(self.object.sedes.all(), self.request)
        return super().get_context_data(sedes=sedes, **kwargs)


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
    title = "Sedes de {view.cliente.razon_social}"
    columns = [
        "oficina",
        Column("locacion", order_by=None),
        Column("direccion", order_by=None),
        "departamento",
        Column("provincia", order_by=None),
        Column("distrito", order_by=None),
    ]
    export_columns = SEDE_COLUMNS
    row_actions = ACCIONES_SEDE
    deleted_field = "oficina"

    def get_queryset(self):
        return Sede.objects.filter(cliente=self.cliente).select_related("cliente")

    def deleted_records(self):
        return super().deleted_records().filter(cliente_id=self.cliente.pk)

    def get_add_url(self):
        return reverse("clientes:sede_add", args=[self.cliente.pk])


class SedeCreateView(ClienteSedesMixin, ObjectCreateView):
    model = Sede
    form_class = SedeForm
    title = "Nueva sede de {view.cliente.razon_social}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Sede(cliente=self.cliente)
        return kwargs

    def get_cancel_url(self):
        return reverse("clientes:sede_list", args=[self.cliente.pk])


class SedeUpdateView(ObjectUpdateView):
    form_class = SedeForm
    queryset = Sede.objects.select_related("cliente")
    title = "Editar sede {object.oficina} de {object.cliente.razon_social}"
