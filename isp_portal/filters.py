"""Base filterset of every list page: Bootstrap widgets and the `busqueda` search box."""

import django_filters
from django import forms
from django.db import models
from django.db.models import Q

from . import ubigeo

# A search that matches more rows than this shows "más de 1 000" instead of counting them:
# counting tens of thousands of matches through joins costs more than the page itself.
MAX_COINCIDENCIAS = 1000


class BaseFilterSet(django_filters.FilterSet):
    """Filters keep the source API's parameter names (`busqueda`, `estado`, field names).

    After filtering, `conteo` holds the number of rows when a search already knows it, and
    `mas_de` the cap when the search matched more rows (see `search_branches`).
    """

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
        value = value.strip()
        if not value:
            return queryset
        ramas = self.search_branches(queryset, value)
        if not ramas:
            return self.search(queryset, value)
        encontrados: list = []
        for rama in ramas:
            faltan = MAX_COINCIDENCIAS + 1 - len(encontrados)
            encontrados += rama.order_by().values_list("pk", flat=True)[:faltan]
            if len(encontrados) > MAX_COINCIDENCIAS:
                # Many matches: the list walks its order and stops at a page; nothing counts.
                self.mas_de = MAX_COINCIDENCIAS
                return self.search(queryset, value)
        self.conteo = len(encontrados)
        return queryset.filter(pk__in=encontrados)

    # Fields that contain the search text, any of them (`search_q`).
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, value: str):
        """Narrow the queryset to rows matching the search box."""
        return queryset.filter(self.search_q(value))

    def search_q(self, value: str) -> Q:
        """Rows where one of `search_fields` contains the text; override to match more."""
        assert self.search_fields, f"{type(self).__name__}: defina search_fields o search()"
        condicion = Q()
        for campo in self.search_fields:
            condicion |= Q(**{f"{campo}__icontains": value})
        return condicion

    def search_branches(self, queryset, value: str) -> list:
        """Override to split the search into querysets that never overlap, each served by
        an index, whose union is `search()`.

        They are read one after the other, MAX_COINCIDENCIAS + 1 pks in all at most (a
        LIMIT each, so PostgreSQL plans each to stop early): with fewer matches the list is
        exactly those rows and needs no count; with more it is `search()` and shows
        "más de …". Empty: the search is one filter and the list counts its rows.
        """
        return []


def departamento_filter() -> django_filters.ChoiceFilter:
    """The departamento filter of every list of places (Peru's ubigeo list)."""
    return django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )
