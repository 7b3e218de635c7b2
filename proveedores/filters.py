import django_filters

from isp_portal import ubigeo
from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet

from .choices import EstadoServicio, ModalidadServicio
from .models import Proveedor, ServicioProveedor

ACTIVO_CHOICES = [("1", "Activos"), ("0", "Inactivos")]


class ProveedorFilterSet(BaseFilterSet):
    activo = django_filters.ChoiceFilter(
        label="Estado", choices=ACTIVO_CHOICES, method="filter_activo", empty_label="Todos"
    )

    class Meta:
        model = Proveedor
        fields = ["busqueda", "activo"]

    documento = Documento("nombre", "contacto", "ruc")

    def filter_activo(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class ServicioProveedorFilterSet(BaseFilterSet):
    proveedor = django_filters.ModelChoiceFilter(
        label="Proveedor", queryset=Proveedor.objects.only("pk", "nombre"), empty_label="Todos"
    )
    modalidad = django_filters.ChoiceFilter(
        label="Modalidad", choices=ModalidadServicio.choices, empty_label="Todas"
    )
    estado = django_filters.ChoiceFilter(
        label="Estado", choices=EstadoServicio.choices, empty_label="Todos"
    )
    departamento = django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )

    class Meta:
        model = ServicioProveedor
        fields = ["busqueda", "proveedor", "modalidad", "estado", "departamento"]

    documento = Documento(
        "codigo", "tipo", "locacion", "departamento", "provincia", "distrito", "proveedor__nombre"
    )
