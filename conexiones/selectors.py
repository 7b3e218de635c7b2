"""Reads of connections that need joins or aggregates."""

from django.db.models import Count, QuerySet, Sum

from .choices import EstadoConexion
from .models import AjusteBW, Conexion


def conexion_list() -> QuerySet[Conexion]:
    return Conexion.objects.select_related("cliente", "servicio__proveedor")


def conexiones_por_estado() -> list[dict]:
    """[{estado, etiqueta, total}] for every estado, zeros included."""
    totales = dict(
        Conexion.objects.order_by().values_list("estado").annotate(total=Count("*"))
    )
    return [
        {"estado": valor, "etiqueta": etiqueta, "total": totales.get(valor, 0)}
        for valor, etiqueta in EstadoConexion.choices
    ]


def bw_vendido_total() -> int:
    """Mbps sold: bw_contratado of every connection not in BAJA."""
    total = (
        Conexion.objects.exclude(estado=EstadoConexion.BAJA)
        .aggregate(total=Sum("bw_contratado"))["total"]
    )
    return total or 0


def ajustes_recientes(*, limite: int = 10) -> QuerySet[AjusteBW]:
    return AjusteBW.objects.select_related("conexion__cliente", "usuario").order_by(
        "-created_at", "-id"
    )[:limite]
