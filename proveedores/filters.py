import django_filters
from django.db.models import Q

from isp_portal import ubigeo
from isp_portal.filters import BaseFilterSet
from isp_portal.validators import normalizar_ruc

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

    def search(self, queryset, value):
        """Nombre and contacto contain the text; the RUC matches from its start."""
        condicion = Q(nombre__icontains=value) | Q(contacto__icontains=value)
        ruc = normalizar_ruc(value)
        if ruc.isdigit():
            condicion |= Q(ruc__startswith=ruc)
        return queryset.filter(condicion)

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

    def search(self, queryset, value):
        """Circuit code, tipo, locación and the provider's name contain the text."""
        return queryset.filter(
            Q(codigo__icontains=value)
            | Q(tipo__icontains=value)
            | Q(locacion__icontains=value)
            | Q(proveedor__nombre__icontains=value)
        )
