"""Reads of connections that need joins or aggregates, and the provider services' capacity
(derived from the connections riding on them)."""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from isp_portal.expresiones import ListaJson
from proveedores.models import ServicioProveedor

from .choices import EstadoConexion
from .models import AjusteBW, Conexion, Equipo


def servicios_con_capacidad(queryset=None) -> QuerySet[ServicioProveedor]:
    """Provider services annotated with capacidad_vendida and capacidad_disponible: the one
    place they are computed.

    vendida is the sum of bw_contratado of the service's connections not in BAJA.
    """
    if queryset is None:
        queryset = ServicioProveedor.objects.all()
    # SUM as a plain function, not an aggregate: no GROUP BY in the subquery, which is
    # evaluated once per service (a fifth cheaper over 1,333 services).
    vendida = (
        Conexion.objects.filter(servicio=OuterRef("pk"))
        .exclude(estado=EstadoConexion.BAJA)
        .order_by()
        .values(total=Func(F("bw_contratado"), function="SUM"))
    )
    return queryset.annotate(
        capacidad_vendida=Coalesce(Subquery(vendida, output_field=IntegerField()), 0),
    ).annotate(
        capacidad_disponible=F("capacidad_contratada") - F("capacidad_vendida"),
    )


def servicio_list() -> QuerySet[ServicioProveedor]:
    """Provider services with capacidad_vendida, capacidad_disponible and porcentaje_uso."""
    return servicios_con_capacidad(ServicioProveedor.objects.select_related("proveedor")).annotate(
        porcentaje_uso=Cast(F("capacidad_vendida"), FloatField())
        * 100.0
        / Cast(Greatest(F("capacidad_contratada"), 1), FloatField())
    )


def servicios_mas_cargados(*, limite: int = 10) -> list[ServicioProveedor]:
    return list(servicio_list().order_by("-porcentaje_uso", "codigo")[:limite])


def conexion_list() -> QuerySet[Conexion]:
    return Conexion.objects.select_related("cliente", "servicio__proveedor")


def conexiones_resumen() -> dict:
    """{por_estado: [{estado, etiqueta, total}] for every estado, zeros included; bw_vendido:
    Mbps sold, bw_contratado of every connection not in BAJA}.

    One pass over the connections (an index-only scan of (estado, bw_contratado) on
    PostgreSQL) instead of one for the counts and another for the sum.
    """
    filas = (
        Conexion.objects.order_by()
        .values_list("estado")
        .annotate(
            total=Count("*"),
            vendido=Sum("bw_contratado", filter=~Q(estado=EstadoConexion.BAJA)),
        )
    )
    totales = {estado: total for estado, total, _ in filas}
    return {
        "por_estado": [
            {"estado": valor, "etiqueta": etiqueta, "total": totales.get(valor, 0)}
            for valor, etiqueta in EstadoConexion.choices
        ],
        "bw_vendido": sum(vendido or 0 for _, _, vendido in filas),
    }


def ajustes_recientes(*, limite: int = 10) -> QuerySet[AjusteBW]:
    """The latest adjustments with their connection and client.

    The `limite` rows are chosen first (a subquery), then joined: a join before the LIMIT
    let PostgreSQL merge the ledger with a walk of all 200k connections when its statistics
    of the ledger were stale.
    """
    ultimos = AjusteBW.objects.order_by("-created_at", "-id").values("pk")[:limite]
    return (
        AjusteBW.objects.filter(pk__in=ultimos)
        .select_related("conexion__cliente", "usuario")
        .order_by("-created_at", "-id")
    )


def conexiones_por_nodo(nodo) -> QuerySet[Conexion]:
    """Connections through `nodo` as nodo A or nodo B; `extremo` says which ("A" or "B").

    A connection never has the same node at both ends (constraint conexion_nodos_distintos),
    so each connection appears once.
    """
    return (
        Conexion.objects.filter(Q(nodo_a=nodo) | Q(nodo_b=nodo))
        .select_related("cliente", "servicio__proveedor")
        .annotate(
            extremo=Case(
                When(nodo_a=nodo, then=Value("A")), default=Value("B"), output_field=CharField()
            )
        )
        .order_by("cid_enlace")
    )


def conexiones_por_servicio(servicio) -> QuerySet[Conexion]:
    """Connections riding on a provider service."""
    return (
        Conexion.objects.filter(servicio=servicio)
        .select_related("cliente", "servicio__proveedor")
        .order_by("cid_enlace")
    )


def uso_de_nodo(nodo) -> dict:
    """{como_a, como_b, activas}: how many connections use the node, in one query."""
    return Conexion.objects.filter(Q(nodo_a=nodo) | Q(nodo_b=nodo)).aggregate(
        como_a=Count("id", filter=Q(nodo_a=nodo)),
        como_b=Count("id", filter=Q(nodo_b=nodo)),
        activas=Count("id", filter=Q(estado=EstadoConexion.ACTIVO)),
    )


def ajustes_por_servicio(servicio, *, limite: int = 20) -> QuerySet[AjusteBW]:
    """The latest BW adjustments charged to a provider service."""
    return (
        AjusteBW.objects.filter(servicio=servicio)
        .select_related("conexion", "usuario")
        .order_by("-created_at", "-id")[:limite]
    )


def conexion_api() -> QuerySet[Conexion]:
    """Connections as the API's `Conexion`: with the client, both nodes and the ids of the
    equipment on each (`equipos_ids`, a JSON list or None), in one query."""
    equipos = (
        Equipo.objects.filter(conexion=OuterRef("pk")).order_by().values(lista=ListaJson("pk"))
    )
    return Conexion.objects.select_related("cliente", "nodo_a", "nodo_b").annotate(
        equipos_ids=Subquery(equipos)
    )
