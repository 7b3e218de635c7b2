"""Reads of provider services with their derived capacity figures."""

from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast, Greatest

from .models import ServicioProveedor


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
