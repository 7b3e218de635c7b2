"""Reads of providers and their services that need aggregates.

The services' capacity figures come from their connections: conexiones.selectors.
"""

from django.db.models import Count, QuerySet, Sum

from .choices import EstadoServicio
from .models import Proveedor, ServicioProveedor


def proveedor_list() -> QuerySet[Proveedor]:
    """Providers with how many services each has (num_servicios)."""
    return Proveedor.objects.annotate(num_servicios=Count("servicios"))


def capacidad_contratada_total() -> int:
    """Mbps contracted from providers, over the services not in BAJA."""
    total = ServicioProveedor.objects.exclude(estado=EstadoServicio.BAJA).aggregate(
        total=Sum("capacidad_contratada")
    )["total"]
    return total or 0
