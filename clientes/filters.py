import django_filters

from isp_portal.filters import BaseFilterSet, departamento_filter

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
    departamento = departamento_filter()
    documento = "busqueda"  # Sede.busqueda

    class Meta:
        model = Sede
        fields = ["busqueda", "departamento"]
