import django_filters
from django.db.models import Q

from isp_portal.filters import BaseFilterSet
from isp_portal.validators import normalizar_ruc

from .choices import EstadoCliente
from .models import ClienteCorp, Sede


class ClienteCorpFilterSet(BaseFilterSet):
    estado = django_filters.ChoiceFilter(
        label="Estado", choices=EstadoCliente.choices, method="filter_estado", empty_label="Todos"
    )

    class Meta:
        model = ClienteCorp
        fields = ["busqueda", "estado"]

    def search(self, queryset, value):
        """Razón social contains the text; RUC, CID and ERP code match exactly (indexed)."""
        condicion = Q(razon_social__icontains=value) | Q(cid=value) | Q(cod_erp__iexact=value)
        ruc = normalizar_ruc(value)
        if ruc.isdigit():
            condicion |= Q(ruc=ruc) if len(ruc) == 11 else Q(ruc__startswith=ruc)
        return queryset.filter(condicion)

    def filter_estado(self, queryset, name, value):
        return queryset.filter(is_active=value == EstadoCliente.ACTIVO)


class SedeFilterSet(BaseFilterSet):
    class Meta:
        model = Sede
        fields = ["busqueda", "departamento"]

    def search(self, queryset, value):
        return queryset.filter(
            Q(oficina__icontains=value)
            | Q(direccion__icontains=value)
            | Q(locacion__icontains=value)
        )
