from datetime import datetime, time, timedelta
from functools import cached_property

import django_filters
from django import forms
from django.utils import timezone

from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet, EnteroFilter, FechaFilter, departamento_filter
from proveedores.models import Proveedor

from .choices import EstadoAjusteProgramado, EstadoConexion, TipoNodo, TipoServicio
from .models import AjusteProgramado, Conexion, Equipo, Nodo


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
    cliente = EnteroFilter(
        label="Cliente", field_name="cliente_id", widget=forms.HiddenInput, min_value=1
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

    # The connection's own search document (conexiones.busqueda): CID, locación, client,
    # RUC, provider service code and node names.
    documento = "busqueda"


class ConexionAPIFilterSet(ConexionFilterSet):
    """The connection filters of the API: `proveedor` is an id, checked by the query itself
    rather than against the list of providers (one query less per request)."""

    proveedor = EnteroFilter(label="Proveedor", field_name="servicio__proveedor_id", min_value=1)


class ImpactoFilterSet(BaseFilterSet):
    """The impact list of a node or provider service: whom to call in an outage. Connections
    in BAJA are left out unless asked for (or their estado is chosen)."""

    estado = django_filters.ChoiceFilter(choices=EstadoConexion.choices, empty_label="Todos")
    incluir_baja = django_filters.BooleanFilter(
        label="Incluir bajas", method="filter_incluir_baja", widget=forms.CheckboxInput
    )
    documento = "busqueda"

    class Meta:
        model = Conexion
        fields = ["busqueda", "estado", "incluir_baja"]

    def __init__(self, data=None, *args, **kwargs):
        # Bound even without parameters: the list without BAJA is the default, not a filter.
        super().__init__(data or {}, *args, **kwargs)

    def filter_incluir_baja(self, queryset, name, value):
        if value or self.form.cleaned_data.get("estado") == EstadoConexion.BAJA:
            return queryset
        return queryset.exclude(estado=EstadoConexion.BAJA)


class NodoFilterSet(BaseFilterSet):
    tipo = django_filters.ChoiceFilter(choices=TipoNodo.choices, empty_label="Todos")
    departamento = departamento_filter()
    documento = "busqueda"  # Nodo.busqueda

    class Meta:
        model = Nodo
        fields = ["busqueda", "tipo", "departamento"]


ASIGNADO_CHOICES = [("si", "Asignados"), ("no", "No asignados")]


class EquipoFilterSet(BaseFilterSet):
    asignado = django_filters.ChoiceFilter(
        label="Asignación", choices=ASIGNADO_CHOICES, method="filter_asignado", empty_label="Todos"
    )
    documento = "busqueda"  # Equipo.busqueda

    class Meta:
        model = Equipo
        fields = ["busqueda", "asignado"]

    def filter_asignado(self, queryset, name, value):
        return queryset.filter(conexion__isnull=value != "si")


def _inicio_del_dia(dia) -> datetime:
    """Midnight of `dia` in the site's time zone (America/Lima)."""
    return timezone.make_aware(datetime.combine(dia, time.min))


class AjusteProgramadoFilterSet(BaseFilterSet):
    """The "Ajustes programados" page: by estado and by the day of inicio (site time zone)."""

    estado = django_filters.ChoiceFilter(
        choices=EstadoAjusteProgramado.choices, empty_label="Todos"
    )
    desde = FechaFilter(
        label="Inicio desde",
        method="filter_desde",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hasta = FechaFilter(
        label="Inicio hasta",
        method="filter_hasta",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AjusteProgramado
        fields = ["busqueda", "estado", "desde", "hasta"]

    # The connection's search document (CID, locación, client, RUC, service, nodes) and
    # the motivo.
    documento = Documento("conexion__busqueda", "motivo")

    def filter_desde(self, queryset, name, value):
        return queryset.filter(inicio__gte=_inicio_del_dia(value))

    def filter_hasta(self, queryset, name, value):
        return queryset.filter(inicio__lt=_inicio_del_dia(value + timedelta(days=1)))
