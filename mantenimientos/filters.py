from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet

from .choices import EstadoMantenimiento, TipoMantenimiento, TipoObjeto
from .models import Mantenimiento


def _inicio_del_dia(dia) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time.min))


class MantenimientoFilterSet(BaseFilterSet):
    """By estado (derived: the list's annotation), kind, object and the days it touches."""

    estado = django_filters.ChoiceFilter(
        choices=EstadoMantenimiento.choices, empty_label="Todos", field_name="estado_actual"
    )
    tipo = django_filters.ChoiceFilter(choices=TipoMantenimiento.choices, empty_label="Todos")
    tipo_objeto = django_filters.ChoiceFilter(
        label="Sobre", choices=TipoObjeto.choices, empty_label="Todos"
    )
    desde = django_filters.DateFilter(
        label="Desde", method="filter_desde", widget=forms.DateInput(attrs={"type": "date"})
    )
    hasta = django_filters.DateFilter(
        label="Hasta", method="filter_hasta", widget=forms.DateInput(attrs={"type": "date"})
    )
    documento = Documento("objeto_nombre", "descripcion")

    class Meta:
        model = Mantenimiento
        fields = ["busqueda", "estado", "tipo", "tipo_objeto", "desde", "hasta"]

    def filter_desde(self, queryset, name, value):
        return queryset.filter(fin__gt=_inicio_del_dia(value))

    def filter_hasta(self, queryset, name, value):
        try:
            siguiente = value + timedelta(days=1)
        except OverflowError:  # 31/12/9999: no day after, no bound
            return queryset
        return queryset.filter(inicio__lt=_inicio_del_dia(siguiente))


class MantenimientoAPIFilterSet(MantenimientoFilterSet):
    """The API's filters: the list page's without its date pickers."""

    class Meta(MantenimientoFilterSet.Meta):
        fields = ["busqueda", "estado", "tipo", "tipo_objeto"]

    desde = None
    hasta = None
