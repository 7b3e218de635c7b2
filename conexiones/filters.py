from functools import cached_property

import django_filters
from django import forms
from django.db.models import Q

from isp_portal import ubigeo
from isp_portal.filters import BaseFilterSet
from proveedores.models import Proveedor

from .choices import EstadoConexion, TipoNodo, TipoServicio
from .models import Conexion, Equipo, Nodo


class ConexionFilterSet(BaseFilterSet):
    estado = django_filters.ChoiceFilter(choices=EstadoConexion.choices, empty_label="Todos")
    tipo_enlace = django_filters.ChoiceFilter(
        label="Tipo de servicio", choices=TipoServicio.choices, empty_label="Todos"
    )
    # Choices read once per request (see __init__) rather than a ModelChoiceFilter, which
    # would query again to validate the chosen provider.
    proveedor = django_filters.ChoiceFilter(
        label="Proveedor", field_name="servicio__proveedor_id", choices=[], empty_label="Todos"
    )
    # Clients are too many for a select: client pages link here with ?cliente=<id>, and the
    # list shows the client's name as a removable chip.
    cliente = django_filters.NumberFilter(
        label="Cliente",
        field_name="cliente_id",
        widget=forms.HiddenInput,
        # An id the database can hold: a larger number overflowed SQLite (a server error).
        min_value=1,
        max_value=2**63 - 1,
    )

    class Meta:
        model = Conexion
        fields = ["busqueda", "estado", "tipo_enlace", "proveedor", "cliente"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once, when the select renders or a chosen provider is checked; not before.
        self.form.fields["proveedor"].choices = self.proveedor_choices

    @cached_property
    def _proveedores(self) -> list[tuple[str, str]]:
        return [(str(p.pk), p.nombre) for p in Proveedor.objects.only("pk", "nombre")]

    def proveedor_choices(self) -> list[tuple[str, str]]:
        return self._proveedores

    def search(self, queryset, value):
        """CID or client RUC exact; client razón social or locación contain the text."""
        return queryset.filter(self.de_la_conexion(value) | self.del_cliente(value))

    def search_branches(self, queryset, value):
        """Connections matching by CID or locación, then the other connections of a matching
        client: each branch is served by indexes on PostgreSQL (btrees of CID and RUC, trigram
        indexes of locación and razón social); a single OR across the join reads them all."""
        if self.form.cleaned_data.get("cliente"):
            return []  # one client's connections: few rows, one filter and its count
        de_la_conexion = self.de_la_conexion(value)
        return [
            queryset.filter(de_la_conexion),
            queryset.filter(self.del_cliente(value)).exclude(de_la_conexion),
        ]

    @staticmethod
    def de_la_conexion(value) -> Q:
        return Q(cid_enlace=value) | Q(locacion__icontains=value)

    @staticmethod
    def del_cliente(value) -> Q:
        return Q(cliente__ruc=value) | Q(cliente__razon_social__icontains=value)


class ConexionAPIFilterSet(ConexionFilterSet):
    """The connection filters of the API: `proveedor` is an id, checked by the query itself
    rather than against the list of providers (one query less per request)."""

    proveedor = django_filters.NumberFilter(
        label="Proveedor", field_name="servicio__proveedor_id", min_value=1, max_value=2**63 - 1
    )


class ImpactoFilterSet(BaseFilterSet):
    """The impact list of a node or provider service: narrow by CID/client and estado."""

    estado = django_filters.ChoiceFilter(choices=EstadoConexion.choices, empty_label="Todos")

    class Meta:
        model = Conexion
        fields = ["busqueda", "estado"]

    def search(self, queryset, value):
        return queryset.filter(
            Q(cid_enlace=value) | Q(cliente__razon_social__icontains=value)
        )


class NodoFilterSet(BaseFilterSet):
    tipo = django_filters.ChoiceFilter(choices=TipoNodo.choices, empty_label="Todos")
    departamento = django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )

    class Meta:
        model = Nodo
        fields = ["busqueda", "tipo", "departamento"]

    def search(self, queryset, value):
        return queryset.filter(Q(nombre__icontains=value) | Q(direccion__icontains=value))


ASIGNADO_CHOICES = [("si", "Asignados"), ("no", "No asignados")]


class EquipoFilterSet(BaseFilterSet):
    asignado = django_filters.ChoiceFilter(
        label="Asignación", choices=ASIGNADO_CHOICES, method="filter_asignado", empty_label="Todos"
    )

    class Meta:
        model = Equipo
        fields = ["busqueda", "asignado"]

    def search(self, queryset, value):
        return queryset.filter(
            Q(serie__icontains=value)
            | Q(marca__icontains=value)
            | Q(modelo__icontains=value)
            | Q(tipo__icontains=value)
        )

    def filter_asignado(self, queryset, name, value):
        return queryset.filter(conexion__isnull=value != "si")
