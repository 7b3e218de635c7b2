import django_filters
from django.db.models import Q

from isp_portal import ubigeo
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
        return clientes_buscar(value, queryset)

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

    def search(self, queryset, value):
        return queryset.filter(
            Q(oficina__icontains=value)
            | Q(direccion__icontains=value)
            | Q(locacion__icontains=value)
        )
