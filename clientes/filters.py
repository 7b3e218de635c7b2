import django_filters

from isp_portal import ubigeo
from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet

from .choices import EstadoCliente
from .models import ClienteCorp, Sede
from .selectors import clientes_buscar


class ClienteCorpFilterSet(BaseFilterSet):
    estado = django_filters.ChoiceFilter(
        label="Estado", choices=EstadoCliente.choices, method="filter_estado", empty_label="Todos"
    )

    class Meta:
        model = ClienteCorp
        fields = ["busqueda", "estado"]

    def search(self, queryset, value):
        return clientes_buscar(value, queryset=queryset)

    def filter_estado(self, queryset, name, value):
        return queryset.filter(is_active=value == EstadoCliente.ACTIVO)


class SedeFilterSet(BaseFilterSet):
    departamento = django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )

    class Meta:
        model = Sede
        fields = ["busqueda", "departamento"]

    documento = Documento("oficina", "locacion", "direccion", "distrito", "provincia")
