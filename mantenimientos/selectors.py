"""Reads of maintenance windows: their estado, the affected connections (the «Impacto»
lists of conexiones, without BAJA), the clients to notify and those without an e-mail."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.fields import CharField
from django.utils import timezone

from clientes.models import ClienteCorp
from conexiones import selectors as conexion_selectors
from conexiones.choices import EstadoConexion
from conexiones.models import Conexion, Equipo, Nodo
from proveedores.models import Proveedor, ServicioProveedor

from .choices import EstadoMantenimiento, EstadoNotificacion, TipoAviso, TipoObjeto
from .models import ConexionAfectada, Mantenimiento, Notificacion

# Each kind of object: its model, the «Impacto» selector of conexiones, the field that
# names it (how a person types it in the form) and its impact page.
OBJETOS = {
    TipoObjeto.NODO: (Nodo, conexion_selectors.conexiones_por_nodo, "nombre"),
    TipoObjeto.SERVICIO: (
        ServicioProveedor,
        conexion_selectors.conexiones_por_servicio,
        "codigo",
    ),
    TipoObjeto.EQUIPO: (Equipo, conexion_selectors.conexiones_por_equipo, "serie"),
    TipoObjeto.PROVEEDOR: (Proveedor, conexion_selectors.conexiones_por_proveedor, "nombre"),
}
IMPACTO_URL = {
    TipoObjeto.NODO: "conexiones:nodo_impacto",
    TipoObjeto.SERVICIO: "proveedores:servicioproveedor_impacto",
    TipoObjeto.EQUIPO: "conexiones:equipo_impacto",
    TipoObjeto.PROVEEDOR: "proveedores:proveedor_impacto",
}
TIPO_POR_MODELO = {modelo._meta.label_lower: tipo for tipo, (modelo, _, _) in OBJETOS.items()}
# Lists show the current and coming windows first (soonest first), then the past ones.
ORDEN = ("grupo", "orden_inicio", "-fin", "-pk")


def objeto_de(tipo_objeto: str, objeto_id: int):
    """The node, service, equipment or provider, or None."""
    modelo = OBJETOS[tipo_objeto][0]
    return modelo._default_manager.filter(pk=objeto_id).first()


def nombre_de_objeto(tipo_objeto: str, objeto) -> str:
    return str(getattr(objeto, OBJETOS[tipo_objeto][2]))


def objeto_por_nombre(tipo_objeto: str, nombre: str) -> list:
    """The objects of a kind whose name (node, provider), code (service) or serie
    (equipment) is `nombre`, ignoring case (at most 2: enough to tell an ambiguity)."""
    modelo, _, campo = OBJETOS[tipo_objeto]
    filas = modelo._default_manager.filter(**{f"{campo}__iexact": nombre.strip()})
    if tipo_objeto == TipoObjeto.SERVICIO:
        filas = filas.select_related("proveedor")
    return list(filas.order_by("pk")[:2])


def con_estado(queryset: QuerySet[Mantenimiento], ahora: datetime | None = None):
    """Windows annotated with `estado_actual` (EstadoMantenimiento) and the list order's
    `grupo` (0 current or coming, 1 past or cancelled) and `orden_inicio`."""
    ahora = ahora or timezone.now()
    return queryset.annotate(
        estado_actual=Case(
            When(cancelado_en__isnull=False, then=Value(EstadoMantenimiento.CANCELADO)),
            When(fin__lte=ahora, then=Value(EstadoMantenimiento.TERMINADO)),
            When(inicio__lte=ahora, then=Value(EstadoMantenimiento.EN_CURSO)),
            default=Value(EstadoMantenimiento.PROGRAMADO),
            output_field=CharField(),
        ),
        grupo=Case(
            When(cancelado_en__isnull=True, fin__gt=ahora, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        # Coming ones by inicio; past ones (null here) then by fin, newest first (ORDEN).
        orden_inicio=Case(
            When(cancelado_en__isnull=True, fin__gt=ahora, then="inicio"),
            default=None,
        ),
    )


def mantenimiento_list(ahora: datetime | None = None) -> QuerySet[Mantenimiento]:
    enviadas = Count("notificaciones", filter=Q(notificaciones__estado=EstadoNotificacion.ENVIADO))
    return con_estado(Mantenimiento.objects.select_related("usuario"), ahora).annotate(
        avisos_enviados=enviadas
    )


def vigentes(ahora: datetime | None = None) -> QuerySet[Mantenimiento]:
    """Windows not cancelled and not over: coming or current, soonest first."""
    ahora = ahora or timezone.now()
    return con_estado(
        Mantenimiento.objects.filter(cancelado_en__isnull=True, fin__gt=ahora), ahora
    ).order_by("inicio", "pk")


def vigentes_de_objeto(tipo_objeto: str, objeto_id: int, *, limite: int = 5) -> list:
    return list(vigentes().filter(tipo_objeto=tipo_objeto, objeto_id=objeto_id)[:limite])


def de_conexion(conexion: Conexion, *, limite: int = 10) -> list[Mantenimiento]:
    """Windows that touch a connection, newest inicio first: those it was frozen into, and
    the not-yet-frozen ones on its nodes, its provider service, its provider or its
    equipment. One query."""
    objetos = Q()
    for tipo, ids in (
        (TipoObjeto.NODO, [conexion.nodo_a_id, conexion.nodo_b_id]),
        (TipoObjeto.SERVICIO, [conexion.servicio_id]),
        (
            TipoObjeto.PROVEEDOR,
            [conexion.servicio.proveedor_id] if conexion.servicio_id else [],
        ),
    ):
        ids = [i for i in ids if i]
        if ids:
            objetos |= Q(tipo_objeto=tipo, objeto_id__in=ids)
    # Its equipment as a subquery: the whole panel is one query.
    equipos = Equipo.objects.filter(conexion=conexion.pk).values("pk")
    objetos |= Q(tipo_objeto=TipoObjeto.EQUIPO, objeto_id__in=Subquery(equipos))
    condicion = Q(afectadas__conexion=conexion)
    if objetos and conexion.estado != EstadoConexion.BAJA:
        condicion |= Q(congelado_en__isnull=True) & objetos
    return list(
        con_estado(Mantenimiento.objects.filter(condicion).distinct()).order_by("-inicio", "-pk")[
            :limite
        ]
    )


def afectadas_en_vivo(mantenimiento: Mantenimiento) -> QuerySet[Conexion]:
    """The object's «Impacto» list without BAJA, as it is now."""
    _, selector, _ = OBJETOS[mantenimiento.tipo_objeto]
    objeto = objeto_de(mantenimiento.tipo_objeto, mantenimiento.objeto_id)
    if objeto is None:
        return Conexion.objects.none()
    return selector(objeto).exclude(estado=EstadoConexion.BAJA)


def clientes_sin_correo(tipo_objeto: str, objeto) -> int:
    """How many clients of the object's impact list (without BAJA) have no e-mail."""
    _, selector, _ = OBJETOS[tipo_objeto]
    return (
        selector(objeto)
        .exclude(estado=EstadoConexion.BAJA)
        .filter(cliente__correo="")
        .order_by()
        .values("cliente_id")
        .distinct()
        .count()
    )


@dataclass
class ClienteAfectado:
    cliente: ClienteCorp
    cids: list[str] = field(default_factory=list)
    # The latest notice of each kind to this client ({tipo: Notificacion}).
    avisos: dict = field(default_factory=dict)

    @property
    def aviso(self):
        return self.avisos.get(TipoAviso.AVISO)


@dataclass
class Afectacion:
    """Who a window affects: the connections (CID, client), the clients with their CIDs,
    and those without an e-mail. `congelada`: read from the record frozen at the first
    notice; `nuevas`: connections the impact list has now that were not frozen."""

    conexiones: list[tuple[str, int | None, ClienteCorp]]
    clientes: list[ClienteAfectado]
    congelada: bool
    nuevas: int = 0

    @property
    def con_correo(self) -> list[ClienteAfectado]:
        return [c for c in self.clientes if c.cliente.correo]

    @property
    def sin_correo(self) -> list[ClienteAfectado]:
        return [c for c in self.clientes if not c.cliente.correo]


def afectacion(mantenimiento: Mantenimiento, *, con_avisos: bool = False) -> Afectacion:
    """The window's affected connections and clients: the frozen record once notified (plus
    how many connections joined the impact list since), the live impact list before."""
    vivas = afectadas_en_vivo(mantenimiento).select_related("cliente")
    if mantenimiento.congelado_en:
        congeladas = list(
            ConexionAfectada.objects.filter(mantenimiento=mantenimiento)
            .select_related("cliente")
            .order_by("cid_enlace", "pk")
        )
        filas = [(a.cid_enlace, a.conexion_id, a.cliente) for a in congeladas]
        ya = {a.conexion_id for a in congeladas}
        nuevas = vivas.exclude(pk__in=[pk for pk in ya if pk]).count()
    else:
        filas = [(c.cid_enlace, c.pk, c.cliente) for c in vivas.order_by("cid_enlace", "pk")]
        nuevas = 0
    por_cliente: dict[int, ClienteAfectado] = {}
    for cid, _, cliente in filas:
        por_cliente.setdefault(cliente.pk, ClienteAfectado(cliente)).cids.append(cid)
    if con_avisos and mantenimiento.congelado_en:
        for n in Notificacion.objects.filter(mantenimiento=mantenimiento).order_by(
            "version", "created_at", "pk"
        ):
            if n.cliente_id in por_cliente:
                por_cliente[n.cliente_id].avisos[n.tipo] = n
    clientes = sorted(por_cliente.values(), key=lambda c: (c.cliente.razon_social, c.cliente.pk))
    return Afectacion(filas, clientes, bool(mantenimiento.congelado_en), nuevas)


def progreso(mantenimiento: Mantenimiento) -> dict:
    """{pendiente, enviando, enviado, fallido, total} of the window's notices, one query."""
    cifras = Notificacion.objects.filter(mantenimiento=mantenimiento).aggregate(
        total=Count("pk"),
        **{estado: Count("pk", filter=Q(estado=estado)) for estado in EstadoNotificacion.values},
    )
    cifras["en_cola"] = cifras[EstadoNotificacion.PENDIENTE] + cifras[EstadoNotificacion.ENVIANDO]
    return cifras


def notificaciones_de(mantenimiento: Mantenimiento) -> QuerySet[Notificacion]:
    return (
        Notificacion.objects.filter(mantenimiento=mantenimiento)
        .select_related("cliente")
        .order_by("-created_at", "-pk")
    )


def para_calendario(*, dias_pasados: int = 90) -> QuerySet[Mantenimiento]:
    """Windows for the iCalendar feed: every coming one and those of the last days."""
    desde = timezone.now() - timedelta(days=dias_pasados)
    return con_estado(Mantenimiento.objects.filter(fin__gte=desde)).order_by("inicio", "pk")
