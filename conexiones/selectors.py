"""Reads of connections that need joins or aggregates, and the provider services' capacity
(derived from the connections riding on them)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
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
from django.utils import timezone

from isp_portal.expresiones import ListaJson
from proveedores.models import ServicioProveedor

from .calculo import CalculoAjuste, calcular_ajuste
from .choices import EstadoAjusteProgramado, EstadoConexion, ModoAjuste
from .models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo


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


def servicios_con_uso(queryset) -> QuerySet[ServicioProveedor]:
    """servicios_con_capacidad and porcentaje_uso (vendida over contratada, in %): what
    every page and API list of provider services shows (registered in conexiones.registros)."""
    return servicios_con_capacidad(queryset).annotate(
        porcentaje_uso=Cast(F("capacidad_vendida"), FloatField())
        * 100.0
        / Cast(Greatest(F("capacidad_contratada"), 1), FloatField())
    )


def servicio_list() -> QuerySet[ServicioProveedor]:
    """Provider services with capacidad_vendida, capacidad_disponible and porcentaje_uso."""
    return servicios_con_uso(ServicioProveedor.objects.select_related("proveedor"))


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


def conexiones_por_equipo(equipo) -> QuerySet[Conexion]:
    """The connection a piece of equipment sits on (at most one)."""
    return (
        Conexion.objects.filter(equipos=equipo)
        .select_related("cliente", "servicio__proveedor")
        .order_by("cid_enlace")
    )


def conexiones_por_proveedor(proveedor) -> QuerySet[Conexion]:
    """Connections riding on any service of a provider."""
    return (
        Conexion.objects.filter(servicio__proveedor=proveedor)
        .select_related("cliente", "servicio__proveedor")
        .order_by("cid_enlace")
    )


def correos_de(conexiones: QuerySet[Conexion]) -> list[str]:
    """The distinct contact e-mails of the connections' clients, in one query."""
    correos = (
        conexiones.exclude(cliente__correo="")
        .order_by("cliente__correo")
        .values_list("cliente__correo", flat=True)
        .distinct()
    )
    return list(correos)


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


# --- Scheduled changes (AjusteProgramado) ---------------------------------------------------

_PENDIENTE = Q(estado=EstadoAjusteProgramado.PENDIENTE)
# Applied, its revert at fin failed: still in force (AjusteProgramado.reversion_fallida).
REVERSION_FALLIDA = Q(estado=EstadoAjusteProgramado.FALLIDO, ajuste_aplicado__isnull=False)
_POR_REVERTIR = Q(estado=EstadoAjusteProgramado.APLICADO, fin__isnull=False)
# The list's default order: what happens in the next 24 h first, soonest first; then what is
# scheduled later; then the finished ones, newest first.
ORDEN_PROGRAMADOS = ("grupo", "proximo", "-inicio", "-pk")


def _proximo_paso():
    """When a scheduled change next does something: inicio while PENDIENTE, fin while a
    temporary one is applied; None once finished."""
    return Case(
        When(_PENDIENTE, then=F("inicio")),
        When(_POR_REVERTIR, then=F("fin")),
        default=None,
        output_field=DateTimeField(),
    )


def ajustes_programados_list(*, ahora: datetime | None = None) -> QuerySet[AjusteProgramado]:
    """Scheduled changes with their connection and client, annotated with `proximo` (when
    they next act) and `grupo` (0: within 24 h of `ahora` or overdue, 1: later, 2: finished)
    for ORDEN_PROGRAMADOS."""
    limite = (ahora or timezone.now()) + timedelta(hours=24)
    return AjusteProgramado.objects.select_related(
        "conexion__cliente", "usuario", "cancelado_por"
    ).annotate(
        proximo=_proximo_paso(),
        grupo=Case(
            When(Q(_PENDIENTE, inicio__lte=limite) | Q(_POR_REVERTIR, fin__lte=limite), then=0),
            When(_PENDIENTE | _POR_REVERTIR, then=1),
            default=2,
            output_field=IntegerField(),
        ),
    )


def ajustes_programados_de_conexion(conexion, *, limite: int = 20) -> list[AjusteProgramado]:
    """A connection's scheduled changes in the list's order (the latest `limite`)."""
    return list(
        ajustes_programados_list().filter(conexion=conexion).order_by(*ORDEN_PROGRAMADOS)[:limite]
    )


def ajustes_programados_vencidos(ahora: datetime) -> QuerySet[AjusteProgramado]:
    """Changes due at `ahora`: PENDIENTE ones whose inicio came, applied temporary ones whose
    fin came; in the order they fell due."""
    return (
        AjusteProgramado.objects.filter(
            Q(_PENDIENTE, inicio__lte=ahora) | Q(_POR_REVERTIR, fin__lte=ahora)
        )
        .annotate(vence=_proximo_paso())
        .order_by("vence", "pk")
    )


def ajustes_programados_resumen(
    *, ahora: datetime | None = None, dias_fallidos: int = 7, limite: int = 5
) -> dict:
    """For the home page: {proximas_24h: changes that act in the next 24 h (or overdue),
    activos: temporary changes in their period, fallidos: the latest failures of the last
    `dias_fallidos` days (at most `limite`), fallidos_total, reversiones_fallidas: failed
    reverts still in force, whatever their age (at most `limite`, oldest first: each waits
    for a retry or a resolution), reversiones_fallidas_total}. Three queries."""
    ahora = ahora or timezone.now()
    desde = ahora - timedelta(days=dias_fallidos)
    # A failed revert is listed apart, not among the recent failures.
    fallido = Q(estado=EstadoAjusteProgramado.FALLIDO, updated_at__gte=desde) & ~REVERSION_FALLIDA
    limite_24h = ahora + timedelta(hours=24)
    cifras = AjusteProgramado.objects.aggregate(
        proximas_24h=Count(
            "pk",
            filter=Q(_PENDIENTE, inicio__lte=limite_24h) | Q(_POR_REVERTIR, fin__lte=limite_24h),
        ),
        activos=Count("pk", filter=_POR_REVERTIR),
        fallidos_total=Count("pk", filter=fallido),
        reversiones_fallidas_total=Count("pk", filter=REVERSION_FALLIDA),
    )
    cifras["fallidos"] = list(
        AjusteProgramado.objects.filter(fallido)
        .select_related("conexion__cliente")
        .order_by("-updated_at", "-pk")[:limite]
    )
    cifras["reversiones_fallidas"] = (
        list(
            AjusteProgramado.objects.filter(REVERSION_FALLIDA)
            .select_related("conexion__cliente")
            .order_by("fin", "pk")[:limite]
        )
        if cifras["reversiones_fallidas_total"]
        else []
    )
    return cifras


# What a scheduled change does to its connection's BW (and so to its service's vendida) when
# it is applied, and when it is reverted: the one place the figures at a moment and the
# pending reverts read it from.
_SUBE = Q(modo=ModoAjuste.AUMENTAR)
_AL_APLICAR = Case(When(_SUBE, then=F("mbps")), default=-F("mbps"), output_field=IntegerField())
_AL_REVERTIR = Case(When(_SUBE, then=-F("mbps")), default=F("mbps"), output_field=IntegerField())
_SIN_BAJA = ~Q(conexion__estado=EstadoConexion.BAJA)  # BAJA is not sold capacity


def _por_revertir_en(momento: datetime | None) -> Q:
    """Temporary decreases still to be reverted after `momento` (None: now, the applied
    ones, due or not): each revert takes its Mbps back from the provider service."""
    if momento is None:
        corriendo = _POR_REVERTIR
    else:
        corriendo = Q(_POR_REVERTIR, fin__gt=momento) | Q(
            _PENDIENTE, inicio__lte=momento, fin__gt=momento
        )
    return corriendo & ~_SUBE


def servicios_por_revertir(servicio_ids) -> dict[int, int]:
    """{provider service id: Mbps the pending reverts of its running temporary decreases
    will take back}; services without any are left out. One query. A change made now that
    leaves less available than that is an oversubscription (the revert would fail)."""
    filas = (
        AjusteProgramado.objects.filter(
            _por_revertir_en(None), _SIN_BAJA, conexion__servicio__in=servicio_ids
        )
        .order_by()
        .values("conexion__servicio")
        .annotate(mbps=Sum(_AL_REVERTIR))
    )
    return {fila["conexion__servicio"]: fila["mbps"] for fila in filas}


@dataclass(frozen=True)
class FigurasEn:
    """A connection's and its provider service's figures (Mbps) at a coming moment, after the
    scheduled changes that will have acted by then (`programados`: how many), and the Mbps
    the reverts of temporary decreases still running then will take back from the service
    (`servicio_por_revertir`)."""

    momento: datetime
    bw_contratado: int
    en_baja: bool
    servicio_disponible: int | None
    servicio_vendida: int | None
    programados: int
    servicio_por_revertir: int = 0


def conexion_figuras_en(*, conexion: Conexion, momento: datetime) -> FigurasEn:
    """The figures Ajustar BW would see at `momento` if every scheduled change runs on time:
    today's figures plus the PENDIENTE changes started by then (and not yet ended), minus
    the applied temporary ones reverted by then. Two queries; `conexion` holds today's
    bw_contratado and estado.

    The service's figures count the changes of every connection on it, except those in BAJA
    (which are not sold capacity).
    """
    habra_empezado = Q(_PENDIENTE, inicio__lte=momento) & (Q(fin=None) | Q(fin__gt=momento))
    habra_terminado = Q(_POR_REVERTIR, fin__lte=momento)
    efecto = Case(
        When(habra_empezado, then=_AL_APLICAR),
        When(habra_terminado, then=_AL_REVERTIR),
        default=0,
        output_field=IntegerField(),
    )
    por_revertir = _por_revertir_en(momento)
    de_la_conexion = Q(conexion=conexion.pk)
    del_servicio = Q(conexion__servicio=conexion.servicio_id) & _SIN_BAJA
    alcance = de_la_conexion | del_servicio if conexion.servicio_id else de_la_conexion
    actuan = habra_empezado | habra_terminado
    cifras = AjusteProgramado.objects.filter(alcance, actuan | por_revertir).aggregate(
        bw=Coalesce(Sum(efecto, filter=de_la_conexion), 0),
        servicio=Coalesce(Sum(efecto, filter=del_servicio), 0),
        programados=Count("pk", filter=actuan),
        por_revertir=Coalesce(Sum(_AL_REVERTIR, filter=del_servicio & por_revertir), 0),
    )
    disponible = vendida = None
    if conexion.servicio_id:
        servicio = (
            servicios_con_capacidad()
            .filter(pk=conexion.servicio_id)
            .values("capacidad_disponible", "capacidad_vendida")
            .get()
        )
        disponible = servicio["capacidad_disponible"] - cifras["servicio"]
        vendida = servicio["capacidad_vendida"] + cifras["servicio"]
    return FigurasEn(
        momento=momento,
        bw_contratado=conexion.bw_contratado + cifras["bw"],
        en_baja=conexion.estado == EstadoConexion.BAJA,
        servicio_disponible=disponible,
        servicio_vendida=vendida,
        programados=cifras["programados"],
        servicio_por_revertir=cifras["por_revertir"] if conexion.servicio_id else 0,
    )


def conexion_ajuste_previo(
    *, conexion: Conexion, servicio: ServicioProveedor | None, modo: str, mbps: int | None
) -> CalculoAjuste:
    """What the modal would do, on figures already read (nothing is locked nor written), with
    the pending reverts of the service's running temporary decreases (one query, only for an
    increase: a decrease cannot oversell).

    `servicio` must come from conexiones.selectors.servicios_con_capacidad() (or be None).
    """
    por_revertir = 0
    if servicio is not None and modo == ModoAjuste.AUMENTAR and mbps:
        por_revertir = servicios_por_revertir([servicio.pk]).get(servicio.pk, 0)
    return calcular_ajuste(
        bw_actual=conexion.bw_contratado,
        en_baja=conexion.estado == EstadoConexion.BAJA,
        servicio_disponible=getattr(servicio, "capacidad_disponible", None),
        servicio_vendida=getattr(servicio, "capacidad_vendida", None),
        modo=modo,
        mbps=mbps,
        servicio_por_revertir=por_revertir,
    )


def ajuste_programado_previo(
    *, conexion: Conexion, modo: str | None, mbps: int | None, inicio: datetime
) -> tuple[CalculoAjuste, FigurasEn]:
    """What a change scheduled for `inicio` would do, on the figures expected then (after
    the changes already scheduled before it): the Ajustar BW preview of a future moment."""
    figuras = conexion_figuras_en(conexion=conexion, momento=inicio)
    calculo = calcular_ajuste(
        bw_actual=figuras.bw_contratado,
        en_baja=figuras.en_baja,
        servicio_disponible=figuras.servicio_disponible,
        servicio_vendida=figuras.servicio_vendida,
        modo=modo,
        mbps=mbps,
        servicio_por_revertir=figuras.servicio_por_revertir,
    )
    return calculo, figuras


def conexion_detalle() -> QuerySet[Conexion]:
    """Connections with their joins and their provider service's derived figures
    (servicio_disponible, servicio_vendida), for the detail page in one query."""
    capacidad = servicios_con_capacidad().filter(pk=OuterRef("servicio_id"))
    return (
        conexion_list()
        .select_related("nodo_a", "nodo_b")
        .annotate(
            servicio_disponible=Subquery(capacidad.values("capacidad_disponible")[:1]),
            servicio_vendida=Subquery(capacidad.values("capacidad_vendida")[:1]),
            # Most connections have none: their page skips that query.
            tiene_programados=Exists(AjusteProgramado.objects.filter(conexion=OuterRef("pk"))),
        )
    )


def servicio_de_conexion(conexion) -> ServicioProveedor | None:
    """The connection's provider service with its capacity figures (servicio_list)."""
    if not conexion.servicio_id:
        return None
    return servicio_list().filter(pk=conexion.servicio_id).first()


def servicios_de_proveedor(proveedor_id) -> QuerySet:
    """(pk, codigo, modalidad, locacion, capacidad_disponible) of a provider's services: the
    only columns their labels need, so one capacity subquery per service."""
    return (
        servicios_con_capacidad()
        .filter(proveedor_id=proveedor_id)
        .order_by("codigo")
        .values_list("pk", "codigo", "modalidad", "locacion", "capacidad_disponible")
    )


def nodo_opciones() -> list[tuple[int, str]]:
    """(pk, label) of every node by name, labelled as Nodo.__str__, without building 2,000
    model instances."""
    filas = Nodo.objects.order_by("nombre").values_list("pk", "nombre", "tipo")
    return [(pk, f"{nombre} ({tipo})") for pk, nombre, tipo in filas]


def equipos_disponibles(conexion: Conexion | None = None, *, texto: str = "") -> QuerySet[Equipo]:
    """Unassigned equipment, plus the pieces already on `conexion` when editing; with
    `texto`, those whose serie, marca or modelo contain it."""
    condicion = Q(conexion__isnull=True)
    if conexion is not None and conexion.pk:
        condicion |= Q(conexion=conexion)
    equipos = Equipo.objects.filter(condicion)
    if texto:
        equipos = equipos.filter(
            Q(serie__icontains=texto) | Q(marca__icontains=texto) | Q(modelo__icontains=texto)
        )
    return equipos.order_by("tipo", "marca", "modelo", "serie")


def conexiones_de_cliente(cliente) -> QuerySet[Conexion]:
    return conexion_list().filter(cliente=cliente).order_by("cid_enlace")


def servicios_de(proveedor) -> QuerySet[ServicioProveedor]:
    """A provider's services with their capacity figures, by code."""
    return servicio_list().filter(proveedor=proveedor).order_by("codigo")


def conexion_api() -> QuerySet[Conexion]:
    """Connections as the API's `Conexion`: with the client, both nodes and the ids of the
    equipment on each (`equipos_ids`, a JSON list or None), in one query."""
    equipos = (
        Equipo.objects.filter(conexion=OuterRef("pk")).order_by().values(lista=ListaJson("pk"))
    )
    return Conexion.objects.select_related("cliente", "nodo_a", "nodo_b").annotate(
        equipos_ids=Subquery(equipos)
    )
