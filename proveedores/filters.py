import django_filters

from isp_portal.busqueda import Documento
from isp_portal.filters import BaseFilterSet, ModeloChoiceFilter, departamento_filter

from .choices import EstadoServicio, ModalidadServicio
from .models import Proveedor, ServicioProveedor

ACTIVO_CHOICES = [("1", "Activos"), ("0", "Inactivos")]


class ProveedorFilterSet(BaseFilterSet):
    activo = django_filters.ChoiceFilter(
        label="Estado", choices=ACTIVO_CHOICES, method="filter_activo", empty_label="Todos"
    )
    documento = Documento("nombre", "contacto", "ruc")

    class Meta:
        model = Proveedor
        fields = ["busqueda", "activo"]

    def filter_activo(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class ServicioProveedorFilterSet(BaseFilterSet):
    proveedor = ModeloChoiceFilter(
        label="Proveedor", queryset=Proveedor.objects.only("pk", "nombre"), empty_label="Todos"
    )
    modalidad = django_filters.ChoiceFilter(
        label="Modalidad", choices=ModalidadServicio.choices, empty_label="Todas"
    )
    estado = django_filters.ChoiceFilter(
        label="Estado", choices=EstadoServicio.choices, empty_label="Todos"
    )
    departamento = departamento_filter()
    documento = Documento(
        "codigo", "tipo", "locacion", "departamento", "provincia", "distrito", "proveedor__nombre"
    )

    class Meta:
        model = ServicioProveedor
        fields = ["busqueda", "proveedor", "modalidad", "estado", "departamento"]
