"""Base filterset of every list page: Bootstrap widgets and the `busqueda` search box."""

import django_filters
from django import forms
from django.db import models

from . import busqueda


class BaseFilterSet(django_filters.FilterSet):
    """Filters keep the source API's parameter names (`busqueda`, `estado`, field names).

    The search box looks for every word in `documento` (isp_portal.busqueda): a Documento of
    the model's fields or the name of a column holding one. After filtering, `conteo` holds
    the number of rows a search found, or `mas_de` the cap when it found more.
    """

    documento = None

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
            clase = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{clase} form-control-sm")
            if clase == "form-select":
                field.widget.attrs["class"] = "form-select form-select-sm"

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
