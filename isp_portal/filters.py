"""Base filterset of every list page: Bootstrap widgets, the `busqueda` search box, and the
filters of integers and rows that read them with the one integer parser."""

import django_filters
from django import forms
from django.db import models
from django_filters.fields import ModelChoiceField as FiltroModelChoiceField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from . import busqueda, ubigeo
from .fechas import FechaField, MomentoField
from .forms import EnteroField, ModeloChoiceField


class EnteroFilter(django_filters.Filter):
    """An integer query parameter (an id, a number) read by parse_entero: NumberFilter's
    DecimalField takes "١٢" as 12 and a thousand digits."""

    field_class = EnteroField


class FechaFilter(django_filters.DateFilter):
    """A day in the query string, within the site's range of dates (isp_portal.fechas): a
    day past 9999 or near year 1 overflowed the moment a filter computes from it."""

    field_class = FechaField


class MomentoFilter(django_filters.DateTimeFilter):
    field_class = MomentoField


class _ModeloChoiceFilterField(FiltroModelChoiceField, ModeloChoiceField):
    """django-filter's choice of a row (its "null" choice) with the id read by parse_entero."""


class ModeloChoiceFilter(django_filters.ModelChoiceFilter):
    """A row chosen by its id in the query string (see ModeloChoiceField)."""

    field_class = _ModeloChoiceFilterField


def _filtros_por_defecto() -> dict:
    """django-filter's filter of each model field, integers and rows through the filters
    above (for a filterset's Meta.fields without a declared filter)."""
    defectos = dict(FILTER_FOR_DBFIELD_DEFAULTS)
    for campo in list(defectos):
        if issubclass(campo, models.IntegerField):
            defectos[campo] = {"filter_class": EnteroFilter}
    defectos[models.DateField] = {"filter_class": FechaFilter}
    defectos[models.DateTimeField] = {"filter_class": MomentoFilter}
    for campo in (models.ForeignKey, models.OneToOneField):
        defectos[campo] = {**defectos[campo], "filter_class": ModeloChoiceFilter}
    return defectos


class BaseFilterSet(django_filters.FilterSet):
    """Filters keep the source API's parameter names (`busqueda`, `estado`, field names).

    The search box looks for every word in `documento` (isp_portal.busqueda): a Documento of
    the model's fields or the name of a column holding one. After filtering, `conteo` holds
    the number of rows a search found, or `mas_de` the cap when it found more.
    """

    documento = None
    FILTER_DEFAULTS = _filtros_por_defecto()

    busqueda = django_filters.CharFilter(
        label="Buscar",
        method="filter_busqueda",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Buscar…"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conteo: int | None = None
        self.mas_de: int | None = None
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                clase = "form-select form-select-sm"
            elif isinstance(field.widget, forms.CheckboxInput):
                clase = "form-check-input"
            else:
                clase = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", clase)

    def filter_queryset(self, queryset):
        """The search box goes last, so a search sees the rows the other filters left."""
        datos = self.form.cleaned_data
        for name in sorted(datos, key=lambda nombre: nombre == "busqueda"):
            queryset = self.filters[name].filter(queryset, datos[name])
            assert isinstance(queryset, models.QuerySet), name
        return queryset

    def filter_busqueda(self, queryset, name, value):
        if not value.strip():
            return queryset
        resultado, conteo = self.search(queryset, value)
        if conteo is None:
            self.mas_de = busqueda.MAX_COINCIDENCIAS
        else:
            self.conteo = conteo
        return resultado

    def search(self, queryset, value: str):
        """(rows matching the search box, their count or None): isp_portal.busqueda.buscar."""
        return busqueda.buscar(queryset, value, self.documento)


def departamento_filter() -> django_filters.ChoiceFilter:
    """The departamento filter of every list of places (Peru's ubigeo list)."""
    return django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )
