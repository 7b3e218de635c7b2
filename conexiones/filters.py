import django_filters
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
    proveedor = django_filters.ModelChoiceFilter(
        label="Proveedor",
        field_name="servicio__proveedor",
        queryset=Proveedor.objects.only("pk", "nombre"),
        empty_label="Todos",
    )
    # Clients are too many for a select: the list links here with ?cliente=<id>.
    cliente = django_filters.NumberFilter(label="Cliente (ID)", field_name="cliente_id")

    class Meta:
        model = Conexion
        fields = ["busqueda", "estado", "tipo_enlace", "proveedor", "cliente"]

    def search(self, queryset, value):
        """CID, client RUC exact (indexed); client razón social and locación contain the text."""
        return queryset.filter(
            Q(cid_enlace=value)
            | Q(cliente__ruc=value)
            | Q(cliente__razon_social__icontains=value)
            | Q(locacion__icontains=value)
        )
