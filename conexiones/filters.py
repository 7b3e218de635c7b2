import django_filters
from django import forms

from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet, departamento_filter
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
        label="Cliente", field_name="cliente_id", widget=forms.HiddenInput
    )

    class Meta:
        model = Conexion
        fields = ["busqueda", "estado", "tipo_enlace", "proveedor", "cliente"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["proveedor"].choices = [
            (str(p.pk), p.nombre) for p in Proveedor.objects.only("pk", "nombre")
        ]

    # The connection's own search document (conexiones.busqueda): CID, locación, client,
    # RUC, provider service code and node names.
    documento = "busqueda"


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
    documento = Documento("nombre", "direccion", "departamento", "provincia", "distrito")

    class Meta:
        model = Nodo
        fields = ["busqueda", "tipo", "departamento"]


ASIGNADO_CHOICES = [("si", "Asignados"), ("no", "No asignados")]


class EquipoFilterSet(BaseFilterSet):
    asignado = django_filters.ChoiceFilter(
        label="Asignación", choices=ASIGNADO_CHOICES, method="filter_asignado", empty_label="Todos"
    )
    documento = Documento("serie", "marca", "modelo", "tipo")

    class Meta:
        model = Equipo
        fields = ["busqueda", "asignado"]

    def filter_asignado(self, queryset, name, value):
        return queryset.filter(conexion__isnull=value != "si")
