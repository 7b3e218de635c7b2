"""Reads of provider services with their derived capacity figures."""

from django.db.models import Count, F, FloatField, QuerySet, Sum
from django.db.models.functions import Cast, Greatest

from .choices import EstadoServicio
from .models import Proveedor, ServicioProveedor


def servicio_list() -> QuerySet[ServicioProveedor]:
    """Provider services with capacidad_vendida, capacidad_disponible and porcentaje_uso."""
    return (
        ServicioProveedor.objects.with_capacity()
        .select_related("proveedor")
        .annotate(
            porcentaje_uso=Cast(F("capacidad_vendida"), FloatField())
            * 100.0
            / Cast(Greatest(F("capacidad_contratada"), 1), FloatField())
        )
    )


def servicios_mas_cargados(*, limite: int = 10) -> list[ServicioProveedor]:
    return list(servicio_list().order_by("-porcentaje_uso", "codigo")[:limite])


def proveedor_list() -> QuerySet[Proveedor]:
    """Providers with how many services each has (num_servicios)."""
    return Proveedor.objects.annotate(num_servicios=Count("servicios"))


def capacidad_contratada_total() -> int:
    """Mbps contracted from providers, over the services not in BAJA."""
    total = ServicioProveedor.objects.exclude(estado=EstadoServicio.BAJA).aggregate(
        total=Sum("capacidad_contratada")
    )["total"]
    return total or 0
