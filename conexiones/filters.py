import django_filters
from django import forms
from django.db.models import Q

from isp_portal.filters import BaseFilterSet
from proveedores.models import Proveedor

from .choices import EstadoConexion, TipoServicio
from .models import Conexion


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

    def search(self, queryset, value):
        """CID, client RUC exact (indexed); client razón social and locación contain the text."""
        return queryset.filter(
            Q(cid_enlace=value)
            | Q(cliente__ruc=value)
            | Q(cliente__razon_social__icontains=value)
            | Q(locacion__icontains=value)
        )
