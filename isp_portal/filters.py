"""Base filterset of every list page: Bootstrap widgets and the `busqueda` search box."""

import django_filters
from django import forms


class BaseFilterSet(django_filters.FilterSet):
    """Filters keep the source API's parameter names (`busqueda`, `estado`, field names)."""

    busqueda = django_filters.CharFilter(
        label="Buscar",
        method="filter_busqueda",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Buscar…"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            clase = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{clase} form-control-sm")
            if clase == "form-select":
                field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_busqueda(self, queryset, name, value):
        value = value.strip()
        return self.search(queryset, value) if value else queryset

    def search(self, queryset, value: str):
        """Override: narrow the queryset to rows matching the search box."""
        raise NotImplementedError
