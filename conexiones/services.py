"""Writes of connections, each rule in one place.

Every change of bw_contratado — Ajustar BW, the edit form, imports, the admin, the API and the
scheduler — goes through `conexiones_ajustar_bw`: it locks the rows, checks the rules
(`verificar_ajuste`) on the figures of `calcular_ajuste`, and writes the connection, its change
history and the ledger (AjusteBW) together. The Ajustar BW preview runs the same
`calcular_ajuste` without writing. Load added to a provider service some other way (a new
connection, a connection moved to another service or back from BAJA) is checked by
`servicios_verificar_carga`, with the same oversubscription rule.

Locks are always taken in one order — clients, provider services, connections, equipment, each
by primary key — so concurrent operations cannot deadlock.
"""

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from clientes.models import ClienteCorp
from isp_portal.validators import bw_maximo, normalizar_cid
from proveedores.models import ServicioProveedor

from .choices import EstadoAjusteProgramado, EstadoConexion, ModoAjuste
from .models import AjusteBW, AjusteProgramado, Conexion, Equipo
from .selectors import (
    FigurasEn,
    ajustes_programados_vencidos,
    conexion_figuras_en,
    servicios_con_capacidad,
)

PERMISO_AJUSTAR_BW = "conexiones.ajustar_bw"
BW_MINIMO = 1
SECUENCIA_DIGITOS = 3
MOTIVO_EDICION = "Edición de la conexión"
MOTIVO_MAXIMO = AjusteBW._meta.get_field("motivo").max_length
CID_REPETIDO = "Ya existe una conexión con este CID."


# --- The bandwidth arithmetic and its rules -----------------------------------------------


@dataclass(frozen=True)
class CalculoAjuste:
    """What a bandwidth change does to a connection and to its provider service (Mbps).

    The `*_resultante` figures are None while the change is not known yet (the preview of a
    modal with no Mbps typed); the service figures are None for a connection without one.
    """

    bw_actual: int
    bw_resultante: int | None
    servicio_disponible_actual: int | None
    servicio_disponible_resultante: int | None
    servicio_vendida_actual: int | None
    servicio_vendida_resultante: int | None

    @property
    def aumenta(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante > self.bw_actual

    @property
    def sobresuscrito(self) -> bool:
        """An increase that leaves the provider service with less than nothing available."""
        return (
            self.aumenta
            and self.servicio_disponible_resultante is not None
            and self.servicio_disponible_resultante < 0
        )

    @property
    def sobresuscripcion_mbps(self) -> int:
        """By how many Mbps the provider service would be oversold (0 if it would not)."""
        return -self.servicio_disponible_resultante if self.sobresuscrito else 0

    @property
    def bajo_minimo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante < BW_MINIMO

    @property
    def bw_maximo(self) -> int:
        """The bound of the model's bw_contratado (settings.BW_MAXIMO_MBPS)."""
        return bw_maximo()

    @property
    def sobre_maximo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante > self.bw_maximo


def calcular_ajuste(
    *,
    bw_actual: int,
    en_baja: bool,
    servicio_disponible: int | None,
    servicio_vendida: int | None,
    modo: str | None,
    mbps: int | None,
) -> CalculoAjuste:
    """The figures of raising (AUMENTAR) or lowering (DISMINUIR) a connection by `mbps`.

    A connection in BAJA is not counted in its service's vendida, so its change would not
    move the service's figures (and it cannot be adjusted anyway: verificar_ajuste).
    """
    delta = None
    if mbps is not None and modo in ModoAjuste.values:
        delta = mbps if modo == ModoAjuste.AUMENTAR else -mbps
    carga = 0 if delta is None or en_baja else delta
    conocido = delta is not None
    return CalculoAjuste(
        bw_actual=bw_actual,
        bw_resultante=bw_actual + delta if conocido else None,
        servicio_disponible_actual=servicio_disponible,
        servicio_disponible_resultante=(
            servicio_disponible - carga if conocido and servicio_disponible is not None else None
        ),
        servicio_vendida_actual=servicio_vendida,
        servicio_vendida_resultante=(
            servicio_vendida + carga if conocido and servicio_vendida is not None else None
        ),
    )


def error_sobresuscripcion(codigo: str, mbps: int) -> ValidationError:
    """The oversubscription refusal; `params` let an import word it its own way."""
    return ValidationError(
        {
            "confirmar_sobresuscripcion": ValidationError(
                "El servicio %(servicio)s quedaría sobresuscrito en %(mbps)s Mbps. "
                "Confirme para continuar.",
                code="sobresuscripcion",
                params={"servicio": codigo, "mbps": mbps},
            )
        }
    )


def verificar_ajuste(
    calculo: CalculoAjuste, *, en_baja: bool, servicio_codigo: str | None, confirmar: bool
) -> None:
    """The rules of a bandwidth change, on figures read under lock: ValidationError if broken."""
    if en_baja:
        raise ValidationError("Una conexión en BAJA no se puede ajustar.", code="baja")
    if calculo.bajo_minimo:
        raise ValidationError(
            {
                "mbps": ValidationError(
                    f"La conexión no puede quedar por debajo de {BW_MINIMO} Mbps "
                    f"(BW actual {calculo.bw_actual} Mbps; puede disminuir hasta "
                    f"{max(calculo.bw_actual - BW_MINIMO, 0)} Mbps).",
                    code="minimo",
                )
            }
        )
    if calculo.sobre_maximo:
        raise ValidationError(
            {
                "mbps": ValidationError(
                    f"El BW resultante ({calculo.bw_resultante} Mbps) supera el máximo de "
                    f"{calculo.bw_maximo} Mbps por conexión (BW actual {calculo.bw_actual} "
                    f"Mbps; puede aumentar hasta "
                    f"{max(calculo.bw_maximo - calculo.bw_actual, 0)} Mbps).",
                    code="maximo",
                )
            }
        )
    if calculo.sobresuscrito and not confirmar:
        raise error_sobresuscripcion(servicio_codigo, calculo.sobresuscripcion_mbps)


# --- Applying bandwidth changes -----------------------------------------------------------


@dataclass(frozen=True)
class PedidoAjuste:
    """One requested change: by `modo` and `mbps`, or to the absolute `bw_nuevo` (imports),
    which is turned into a change against the figure read under lock."""

    conexion_id: int
    modo: str | None = None
    mbps: int | None = None
    bw_nuevo: int | None = None


class ErroresDeAjuste(ValidationError):
    """The changes of a batch that broke a rule: {position in the batch: ValidationError}.

    Nothing of the batch is written.
    """

    def __init__(self, errores: dict[int, ValidationError]):
        self.errores = errores
        super().__init__(list(errores.values()))


def _validar_pedido(pedido: PedidoAjuste) -> None:
    if pedido.bw_nuevo is not None:
        if isinstance(pedido.bw_nuevo, bool) or not isinstance(pedido.bw_nuevo, int):
            raise ValidationError({"mbps": "El BW debe ser un número entero de Mbps."})
        return
    if pedido.modo not in ModoAjuste.values:
        raise ValidationError({"modo": "Elija AUMENTAR o DISMINUIR."})
    mbps = pedido.mbps
    if isinstance(mbps, bool) or not isinstance(mbps, int) or mbps <= 0:
        raise ValidationError({"mbps": "Ingrese un número entero de Mbps mayor que cero."})
    # Its upper bound is the resulting BW's (verificar_ajuste), not a second rule here.


def conexiones_ajustar_bw(
    *,
    pedidos: Sequence[PedidoAjuste],
    motivo: str = "",
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
) -> list[AjusteBW]:
    """Apply bandwidth changes, each checked and written as one ledger row, all or nothing.

    One transaction: the provider services and then the connections are locked (one query
    each, whatever the batch size), every change is checked against the locked figures, in
    order, so each ledger row carries the exact before/after figures even when several
    changes hit the same service or connection. The connections are written with their
    change history (user and motivo) and their ledger rows. A change to the figure a
    connection already has (`bw_nuevo`) is skipped. Raises ErroresDeAjuste.
    `usuario=None` is for trusted callers (imports, demo data, the scheduler's own checks).
    """
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise PermissionDenied("No tiene permiso para ajustar el ancho de banda.")
    errores = {}
    for i, pedido in enumerate(pedidos):
        try:
            _validar_pedido(pedido)
        except ValidationError as error:
            errores[i] = error
    if errores:
        raise ErroresDeAjuste(errores)
    if not pedidos:
        return []
    motivo = (motivo or "").strip()[:MOTIVO_MAXIMO]

    with transaction.atomic():
        conexiones, servicios = _bloquear_conexiones_y_servicios(
            {p.conexion_id for p in pedidos}
        )
        disponible = {pk: s.capacidad_disponible for pk, s in servicios.items()}
        vendida = {pk: s.capacidad_vendida for pk, s in servicios.items()}
        ajustes = []
        for i, pedido in enumerate(pedidos):
            conexion = conexiones[pedido.conexion_id]
            modo, mbps = pedido.modo, pedido.mbps
            if pedido.bw_nuevo is not None:
                if pedido.bw_nuevo == conexion.bw_contratado:
                    continue
                delta = pedido.bw_nuevo - conexion.bw_contratado
                modo = ModoAjuste.AUMENTAR if delta > 0 else ModoAjuste.DISMINUIR
                mbps = abs(delta)
            servicio = servicios.get(conexion.servicio_id)
            en_baja = conexion.estado == EstadoConexion.BAJA
            calculo = calcular_ajuste(
                bw_actual=conexion.bw_contratado,
                en_baja=en_baja,
                servicio_disponible=disponible.get(conexion.servicio_id),
                servicio_vendida=vendida.get(conexion.servicio_id),
                modo=modo,
                mbps=mbps,
            )
            try:
                verificar_ajuste(
                    calculo,
                    en_baja=en_baja,
                    servicio_codigo=servicio and servicio.codigo,
                    confirmar=confirmar_sobresuscripcion,
                )
            except ValidationError as error:
                errores[i] = error
                continue
            conexion.bw_contratado = calculo.bw_resultante
            if servicio is not None:
                disponible[servicio.pk] = calculo.servicio_disponible_resultante
                vendida[servicio.pk] = calculo.servicio_vendida_resultante
            ajustes.append(
                AjusteBW(
                    conexion=conexion,
                    servicio=servicio,
                    modo=modo,
                    mbps=mbps,
                    bw_anterior=calculo.bw_actual,
                    bw_resultante=calculo.bw_resultante,
                    servicio_disponible_anterior=calculo.servicio_disponible_actual,
                    servicio_disponible_resultante=calculo.servicio_disponible_resultante,
                    motivo=motivo,
                    usuario=usuario,
                )
            )
        if errores:
            raise ErroresDeAjuste(errores)
        if ajustes:
            _guardar_bw([a.conexion for a in ajustes], motivo=motivo, usuario=usuario)
            AjusteBW.objects.bulk_create(ajustes)
    return ajustes


def conexion_ajustar_bw(
    *,
    conexion: Conexion,
    modo: str,
    mbps: int,
    motivo: str = "",
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
) -> AjusteBW:
    """Raise or lower one connection's bw_contratado (conexiones_ajustar_bw of one change).

    ValidationError as the forms show it: `{"mbps": …}`, `{"modo": …}`,
    `{"confirmar_sobresuscripcion": …}` (code "sobresuscripcion") or a general error (BAJA).
    The given instance is updated with the new figures.
    """
    try:
        (ajuste,) = conexiones_ajustar_bw(
            pedidos=[PedidoAjuste(conexion.pk, modo=modo, mbps=mbps)],
            motivo=motivo,
            usuario=usuario,
            confirmar_sobresuscripcion=confirmar_sobresuscripcion,
        )
    except ErroresDeAjuste as errores:
        raise errores.errores[0] from None
    conexion.bw_contratado = ajuste.bw_resultante
    conexion.refresh_from_db(fields=["bw_contratado", "bw_disponible", "updated_at"])
    return ajuste


def _guardar_bw(conexiones: list[Conexion], *, motivo: str, usuario) -> None:
    """Write the new bw_contratado of locked connections with their history rows."""
    unicas = list({c.pk: c for c in conexiones}.values())  # the last figure of each
    ahora = timezone.now()
    for conexion in unicas:
        conexion.updated_at = ahora
    Conexion.objects.bulk_update(unicas, ["bw_contratado", "updated_at"])
    Conexion.history.bulk_history_create(
        unicas,
        update=True,
        default_user=usuario,
        default_change_reason=motivo,
        default_date=ahora,
    )


def conexiones_bloquear(filtro: Q, *, servicio_ids: Iterable[int | None] = ()) -> dict:
    """Lock, in the project's order, the provider services of the connections `filtro`
    selects and `servicio_ids` (those they may move to), then the connections; return the
    locked connections by pk.

    A connection moved to another service between the two reads is locked again with the
    right one. Writers that find connections by CID (imports) lock clients before this
    (clientes_bloquear).
    """
    otros = set(servicio_ids) - {None}
    while True:
        actuales = set(
            Conexion.objects.filter(filtro)
            .exclude(servicio=None)
            .order_by()
            .values_list("servicio_id", flat=True)
            .distinct()
        )
        _bloquear_servicios(actuales | otros)
        conexiones = {
            c.pk: c for c in Conexion.objects.select_for_update().filter(filtro).order_by("pk")
        }
        if {c.servicio_id for c in conexiones.values()} - {None} <= actuales:
            return conexiones


def _bloquear_conexiones_y_servicios(
    conexion_ids: set[int],
) -> tuple[dict[int, Conexion], dict[int, ServicioProveedor]]:
    """conexiones_bloquear by pk, with the services' capacity figures read under the lock."""
    conexiones = conexiones_bloquear(Q(pk__in=conexion_ids))
    faltan = conexion_ids - conexiones.keys()
    if faltan:
        raise Conexion.DoesNotExist(f"No existe la conexión {min(faltan)}.")
    servicio_ids = {c.servicio_id for c in conexiones.values()} - {None}
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    return conexiones, servicios


def _bloquear_servicios(servicio_ids) -> None:
    # Lock without the capacity subquery: FOR UPDATE cannot lock an aggregate.
    if servicio_ids:
        list(
            ServicioProveedor.objects.select_for_update()
            .filter(pk__in=servicio_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


# --- Load added to provider services by other writes --------------------------------------


@dataclass(frozen=True)
class Carga:
    """Mbps about to be added to a provider service's vendida (a new connection, one moved
    to the service or back from BAJA)."""

    servicio_id: int
    mbps: int


def servicios_verificar_carga(
    *, cargas: Sequence[Carga], confirmar_sobresuscripcion: bool = False
) -> None:
    """Lock the services (pk order) and refuse load that would oversell them, unless
    confirmed: ErroresDeAjuste {position: error} for each load that tips its service over.

    Call it before writing the load, inside the writer's transaction, so the services stay
    locked until the write commits.
    """
    # Positions stay those of `cargas`: loads of no service or no Mbps are skipped in place.
    cargas = [(i, c) for i, c in enumerate(cargas) if c.servicio_id is not None and c.mbps > 0]
    if not cargas:
        return
    servicio_ids = {c.servicio_id for _, c in cargas}
    _bloquear_servicios(servicio_ids)
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    disponible = {pk: s.capacidad_disponible for pk, s in servicios.items()}
    errores = {}
    for i, carga in cargas:
        disponible[carga.servicio_id] -= carga.mbps
        if disponible[carga.servicio_id] < 0 and not confirmar_sobresuscripcion:
            codigo = servicios[carga.servicio_id].codigo
            errores[i] = error_sobresuscripcion(codigo, -disponible[carga.servicio_id])
    if errores:
        raise ErroresDeAjuste(errores)


def _verificar_carga(carga: Carga, *, confirmar: bool) -> None:
    try:
        servicios_verificar_carga(cargas=[carga], confirmar_sobresuscripcion=confirmar)
    except ErroresDeAjuste as errores:
        raise errores.errores[0] from None


def _carga_de(conexion: Conexion) -> int:
    return 0 if conexion.estado == EstadoConexion.BAJA else conexion.bw_contratado


# --- CIDs -----------------------------------------------------------------------------------


def prefijo_de_cid(cid: str) -> str | None:
    """A client's CID as the prefix of its connections' CIDs: ASCII digits ("１３１" is
    read as "131"), or None when it has other characters ("٣٣٣"), which no connection CID
    may carry."""
    prefijo = normalizar_cid(cid or "")
    return prefijo if prefijo.isascii() and (prefijo.isdigit() or not prefijo) else None


def error_cid_de_cliente(cliente_cid: str) -> ValidationError:
    return ValidationError(
        {
            "cid_enlace": f"El CID del cliente («{cliente_cid}») no es válido: solo dígitos "
            "del 0 al 9. Corríjalo en el cliente o ingrese el CID de la conexión."
        }
    )


def conexion_siguiente_cid(*, cliente: ClienteCorp) -> str:
    """Next free cid_enlace of the client's sequence: client 257 → 257001, 257002, …; ""
    when the client's CID cannot prefix one (prefijo_de_cid).

    A proposal only: conexion_crear assigns it again under the client's row lock.
    """
    propuestos = siguientes_cids({cliente: 1})[cliente.pk]
    return propuestos[0] if propuestos else ""


def siguientes_cids(cuantos: dict[ClienteCorp, int]) -> dict[int, list[str]]:
    """The next `n` free CIDs of each client's sequence, in one query; none for a client
    whose CID is not ASCII digits (prefijo_de_cid).

    Only a proposal unless the clients are locked (clientes_bloquear) in the transaction
    that writes them.
    """
    prefijos = {c: p for c in cuantos if (p := prefijo_de_cid(c.cid)) is not None}
    resultado = {c.pk: [] for c in cuantos}
    if not prefijos:
        return resultado
    filtro = Q()
    for prefijo in prefijos.values():
        # Served by the varchar_pattern_ops index of migration 0005 on PostgreSQL.
        filtro |= Q(cid_enlace__startswith=prefijo)
    usados = set(Conexion.objects.filter(filtro).order_by().values_list("cid_enlace", flat=True))
    for cliente, prefijo in prefijos.items():
        n = cuantos[cliente]
        secuencias = [
            int(cid[len(prefijo) :])
            for cid in usados
            if cid.startswith(prefijo)
            and len(cid) == len(prefijo) + SECUENCIA_DIGITOS
            and cid[len(prefijo) :].isascii()
            and cid[len(prefijo) :].isdigit()
        ]
        siguiente = max(secuencias, default=0) + 1
        propuestos = []
        while len(propuestos) < n:
            candidato = f"{prefijo}{siguiente:0{SECUENCIA_DIGITOS}d}"
            # Another client's CID can share the prefix (25 + 7001 = 257 + 001): skip it.
            if candidato not in usados:
                propuestos.append(candidato)
                usados.add(candidato)
            siguiente += 1
        resultado[cliente.pk] = propuestos
    return resultado


def clientes_bloquear(cliente_ids: Iterable[int]) -> dict[int, ClienteCorp]:
    """Lock clients (pk order) so the CIDs of their sequences are assigned one at a time."""
    bloqueados = ClienteCorp.objects.select_for_update().filter(pk__in=set(cliente_ids))
    return {c.pk: c for c in bloqueados.order_by("pk")}


def conexiones_asignar_cids(conexiones: Sequence[Conexion]) -> None:
    """Give each new connection without cid_enlace the next CID of its client's sequence.

    The clients are locked (one query), so call it inside the transaction that saves the
    connections: two writers creating connections for one client get different CIDs.
    """
    sin_cid = [c for c in conexiones if not c.cid_enlace]
    if not sin_cid:
        return
    cuantos = Counter(c.cliente_id for c in sin_cid)
    clientes = clientes_bloquear(cuantos)
    for cliente in clientes.values():
        if prefijo_de_cid(cliente.cid) is None:
            raise error_cid_de_cliente(cliente.cid)
    cids = siguientes_cids({clientes[pk]: n for pk, n in cuantos.items()})
    for conexion in sin_cid:
        conexion.cid_enlace = cids[conexion.cliente_id].pop(0)


# --- Creating and editing connections --------------------------------------------------------


def conexion_crear(
    *,
    datos: dict,
    equipos: Iterable[Equipo] = (),
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
) -> Conexion:
    """Create a connection, assigning the next CID of its client when none is given.

    The client row is locked so two connections created at once for the same client get
    different CIDs; the unique constraint is the last guard (retried once). The new
    connection's bandwidth is load on its provider service: refused if it oversells it,
    unless confirmed. `usuario=None` is for trusted callers (imports, demo data) only.
    """
    if usuario is not None and not usuario.has_perm("conexiones.add_conexion"):
        raise PermissionDenied("No tiene permiso para registrar conexiones.")
    for intento in range(2):
        try:
            with transaction.atomic():
                return _conexion_crear(
                    datos=datos,
                    equipos=list(equipos),
                    usuario=usuario,
                    confirmar=confirmar_sobresuscripcion,
                )
        except IntegrityError:
            if datos.get("cid_enlace") or intento:
                raise ValidationError({"cid_enlace": CID_REPETIDO}) from None
    raise AssertionError("unreachable")


def _conexion_crear(*, datos: dict, equipos: list[Equipo], usuario, confirmar: bool) -> Conexion:
    # Related rows may come as instances or primary keys.
    conexion = Conexion(
        **{
            (f"{campo}_id" if campo in _RELACIONES and not hasattr(v, "pk") else campo): v
            for campo, v in datos.items()
        }
    )
    # The model's rules and constraints (BW bounds, nodes A and B distinct, a CID not
    # taken); a CID left blank is assigned below.
    conexion.full_clean(exclude=None if conexion.cid_enlace else ["cid_enlace"])
    conexiones_asignar_cids([conexion])
    if conexion.servicio_id is not None:
        _verificar_carga(Carga(conexion.servicio_id, _carga_de(conexion)), confirmar=confirmar)
    conexion._history_user = usuario
    conexion.save()
    if equipos:
        equipos_asignar(conexion=conexion, equipos=equipos)
    return conexion


def equipos_asignar(*, conexion: Conexion, equipos: Iterable[Equipo]) -> None:
    """Put the given equipment on the connection; each piece sits on one connection at most."""
    ids = [e.pk for e in equipos]
    bloqueados = list(Equipo.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    ocupados = [e for e in bloqueados if e.conexion_id not in (None, conexion.pk)]
    if ocupados:
        series = ", ".join(e.serie for e in ocupados)
        raise ValidationError({"equipos": f"Equipos ya asignados a otra conexión: {series}."})
    Equipo.objects.filter(conexion=conexion).exclude(pk__in=ids).update(conexion=None)
    Equipo.objects.filter(pk__in=ids).update(conexion=conexion)


_RELACIONES = {"cliente", "servicio", "nodo_a", "nodo_b"}

# Fields conexion_actualizar writes directly; bw_contratado goes through conexiones_ajustar_bw.
CAMPOS_EDITABLES = frozenset(
    {
        "cid_enlace",
        "cliente",
        "servicio",
        "tipo_enlace",
        "modalidad_enlace",
        "estado",
        "fecha_activacion",
        "bw_utilizado",
        "departamento",
        "provincia",
        "distrito",
        "direccion",
        "locacion",
        "nodo_a",
        "configuracion_nodo_a",
        "nodo_b",
        "configuracion_nodo_b",
    }
)


def conexion_actualizar(
    *,
    conexion: Conexion,
    datos: dict,
    equipos: Iterable[Equipo] | None = None,
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
    bw_anterior: int | None = None,
) -> Conexion:
    """Edit a connection in one transaction: its fields, its equipment and its bandwidth.

    `datos` holds only the fields to change. A new `bw_contratado` is applied as an
    AUMENTAR/DISMINUIR adjustment (ledger row, permission and rules of conexiones_ajustar_bw)
    by its difference with `bw_anterior`, the figure the editor saw: an adjustment made
    meanwhile by someone else is kept, not overwritten. Without `bw_anterior` the difference
    is taken against the current figure. A connection moved to another service or back from
    BAJA is load on that service (servicios_verificar_carga). `equipos=None` leaves
    equipment alone.
    """
    datos = dict(datos)
    bw_nuevo = datos.pop("bw_contratado", None)
    desconocidos = set(datos) - CAMPOS_EDITABLES
    if desconocidos:
        raise ValueError(f"Campos no editables: {', '.join(sorted(desconocidos))}")
    try:
        with transaction.atomic():
            bloqueada = conexiones_bloquear(
                Q(pk=conexion.pk), servicio_ids=[_pk(datos.get("servicio"))]
            )[conexion.pk]
            carga_antes = (bloqueada.servicio_id, _carga_de(bloqueada))
            for campo, valor in datos.items():
                setattr(bloqueada, campo, valor)
            if datos:
                bloqueada.full_clean()  # its rules and constraints (a CID not taken, …)
                if bloqueada.servicio_id is not None:
                    nueva = _carga_de(bloqueada)
                    antes = carga_antes[1] if carga_antes[0] == bloqueada.servicio_id else 0
                    _verificar_carga(
                        Carga(bloqueada.servicio_id, nueva - antes),
                        confirmar=confirmar_sobresuscripcion,
                    )
                campos = [Conexion._meta.get_field(c).attname for c in datos]
                bloqueada._history_user = usuario
                bloqueada.save(update_fields=[*campos, "updated_at"])
            if equipos is not None:
                equipos_asignar(conexion=bloqueada, equipos=list(equipos))
            base = bloqueada.bw_contratado if bw_anterior is None else bw_anterior
            if bw_nuevo is not None and bw_nuevo != base:
                _ajustar_por_edicion(
                    bloqueada,
                    bw_nuevo - base,
                    usuario=usuario,
                    confirmar_sobresuscripcion=confirmar_sobresuscripcion,
                )
    except IntegrityError:
        cid = datos.get("cid_enlace")
        if cid and Conexion.objects.filter(cid_enlace=cid).exclude(pk=conexion.pk).exists():
            raise ValidationError({"cid_enlace": CID_REPETIDO}) from None
        raise
    conexion.refresh_from_db()
    return conexion


def _ajustar_por_edicion(conexion, delta, *, usuario, confirmar_sobresuscripcion) -> None:
    """A bandwidth typed in the edit form: an adjustment, its errors on the form's field."""
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise ValidationError(
            {"bw_contratado": "No tiene permiso para ajustar el ancho de banda."}
        )
    try:
        conexion_ajustar_bw(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR if delta > 0 else ModoAjuste.DISMINUIR,
            mbps=abs(delta),
            motivo=MOTIVO_EDICION,
            usuario=usuario,
            confirmar_sobresuscripcion=confirmar_sobresuscripcion,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # BAJA: a general error, shown on the field
            raise ValidationError({"bw_contratado": error.messages}) from None
        if "mbps" in error.error_dict:
            raise ValidationError({"bw_contratado": error.error_dict["mbps"]}) from None
        raise


# --- The Ajustar BW preview -----------------------------------------------------------------


def conexion_ajuste_previo(
    *, conexion: Conexion, servicio: ServicioProveedor | None, modo: str, mbps: int | None
) -> CalculoAjuste:
    """What the modal would do, on figures already read (nothing is locked nor written).

    `servicio` must come from conexiones.selectors.servicios_con_capacidad() (or be None).
    """
    return calcular_ajuste(
        bw_actual=conexion.bw_contratado,
        en_baja=conexion.estado == EstadoConexion.BAJA,
        servicio_disponible=getattr(servicio, "capacidad_disponible", None),
        servicio_vendida=getattr(servicio, "capacidad_vendida", None),
        modo=modo,
        mbps=mbps,
    )


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


# --- Scheduled and temporary changes (AjusteProgramado) -------------------------------------
#
# Scheduling stores the change; `ajustes_programados_aplicar` (manage.py
# aplicar_ajustes_programados) applies it at inicio and reverts it at fin through
# conexion_ajustar_bw, so every rule, lock, ledger row and history row is the bandwidth
# service's. Lock order: the AjusteProgramado row first, then what conexion_ajustar_bw locks.

logger = logging.getLogger(__name__)

# A scheduler run every minute is this late at most; later, the change notes its delay.
RETRASO_TOLERADO = timedelta(minutes=2)
Estado = EstadoAjusteProgramado


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
    )
    return calculo, figuras


def ajuste_programado_crear(
    *,
    conexion: Conexion,
    modo: str,
    mbps: int,
    motivo: str = "",
    inicio: datetime | None = None,
    fin: datetime | None = None,
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
) -> AjusteProgramado:
    """Schedule a change of `conexion` at `inicio` (None or past: now), reverted at `fin`
    (None: permanent).

    A change starting now is applied at once through conexion_ajustar_bw (its errors are
    raised and nothing is stored). A later one is checked with the rules of verificar_ajuste
    on the figures expected at inicio, so the operator hears now of a BAJA, the 1 Mbps floor
    or an oversubscription to confirm; the scheduler checks again under lock when it runs.
    ValidationError: {"modo"|"mbps"|"fin"|"confirmar_sobresuscripcion": …} or general (BAJA).
    """
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise PermissionDenied("No tiene permiso para ajustar el ancho de banda.")
    _validar_pedido(PedidoAjuste(conexion.pk, modo=modo, mbps=mbps))
    # A time without zone is the site's (America/Lima), as the forms read it.
    inicio, fin = (
        timezone.make_aware(m) if m is not None and timezone.is_naive(m) else m
        for m in (inicio, fin)
    )
    ahora = timezone.now()
    inmediato = inicio is None or inicio <= ahora
    if inmediato:
        inicio = ahora
    if fin is not None and fin <= inicio:
        cuando = "a la hora actual" if inmediato else "al inicio"
        raise ValidationError({"fin": f"El fin debe ser posterior {cuando}."})
    programado = AjusteProgramado(
        conexion=conexion,
        modo=modo,
        mbps=mbps,
        motivo=(motivo or "").strip()[:MOTIVO_MAXIMO],
        inicio=inicio,
        fin=fin,
        usuario=usuario,
        confirmar_sobresuscripcion=confirmar_sobresuscripcion,
    )
    if not inmediato:
        calculo, figuras = ajuste_programado_previo(
            conexion=conexion, modo=modo, mbps=mbps, inicio=inicio
        )
        verificar_ajuste(
            calculo,
            en_baja=figuras.en_baja,
            servicio_codigo=conexion.servicio.codigo if conexion.servicio_id else None,
            confirmar=confirmar_sobresuscripcion,
        )
        programado.save()
        return programado
    with transaction.atomic():
        programado.estado = Estado.APLICADO
        programado.save()
        programado.ajuste_aplicado = _aplicar(
            programado, revertir=False, usuario=usuario, paso=""
        )
        programado.save(update_fields=["ajuste_aplicado", "updated_at"])
    return programado


def ajuste_programado_cancelar(*, programado: AjusteProgramado, usuario=None) -> AjusteProgramado:
    """Cancel a scheduled change: before it runs, it simply never will; during the period of
    a temporary change, it is reverted now through conexion_ajustar_bw (its errors raised,
    nothing changed). A finished or permanent applied change cannot be cancelled."""
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise PermissionDenied("No tiene permiso para ajustar el ancho de banda.")
    with transaction.atomic():
        # Waits for a scheduler that is applying it, then sees what it did.
        bloqueado = AjusteProgramado.objects.select_for_update().get(pk=programado.pk)
        if not bloqueado.cancelable:
            raise ValidationError(
                "Este ajuste programado ya está %(estado)s: no se puede cancelar.",
                code="no_cancelable",
                params={"estado": bloqueado.get_estado_display().lower()},
            )
        ahora = timezone.now()
        if not _reclamar(bloqueado, ahora):
            raise ValidationError(
                "El ajuste programado cambió mientras tanto; vuelva a intentarlo.",
                code="cambiado",
            )
        if bloqueado.estado == Estado.APLICADO:
            bloqueado.ajuste_revertido = _aplicar(
                bloqueado, revertir=True, usuario=usuario, paso="cancelado, revierte "
            )
            nota = (
                f"Cancelado el {_fecha(ahora)} durante su periodo: revertido antes del fin "
                f"({_fecha(bloqueado.fin)})."
            )
        else:
            nota = f"Cancelado el {_fecha(ahora)}, antes de aplicarse."
        bloqueado.estado = Estado.CANCELADO
        bloqueado.cancelado_por = usuario
        bloqueado.nota = _agregar_nota(bloqueado.nota, nota)
        bloqueado.save()
    return bloqueado


@dataclass
class EjecucionProgramador:
    """What one run of the scheduler did: the changes it handled (with their new estado and
    nota) and those it could not handle for an unexpected error (pk, error), left as they
    were for the next run."""

    hechos: list[AjusteProgramado] = field(default_factory=list)
    errores: list[tuple[int, str]] = field(default_factory=list)


def ajustes_programados_aplicar() -> EjecucionProgramador:
    """Apply every change whose inicio came and revert every temporary one whose fin came,
    each in its own transaction, exactly once however many schedulers run at the same time.

    Each due row is taken with SELECT … FOR UPDATE SKIP LOCKED: a concurrent scheduler skips
    it instead of waiting, and once this one commits the row is no longer due. The claim is
    re-checked by an UPDATE conditioned on the estado read, which is what keeps SQLite (no
    row locks, one writer at a time) to one application too. A change whose rules fail at
    run time becomes FALLIDO with the reason and nothing of it is written; one that ran
    late (nothing was running at its time) notes the delay.
    """
    ejecucion = EjecucionProgramador()
    vistos: set[int] = set()
    while True:
        pk = None
        try:
            with transaction.atomic():
                ahora = timezone.now()
                programado = (
                    ajustes_programados_vencidos(ahora)
                    .exclude(pk__in=vistos)
                    .select_for_update(skip_locked=True)
                    .first()
                )
                if programado is None:
                    return ejecucion
                pk = programado.pk
                if _reclamar(programado, ahora):
                    _ejecutar(programado, ahora)
                    ejecucion.hechos.append(programado)
        except Exception as error:
            if pk is None:
                raise
            # Left as it was (rolled back) for the next run; the others still run.
            logger.exception("No se pudo ejecutar el ajuste programado %s", pk)
            ejecucion.errores.append((pk, repr(error)))
        finally:
            if pk is not None:
                vistos.add(pk)


def _reclamar(programado: AjusteProgramado, ahora: datetime) -> bool:
    """Take the change as read (same estado) for this transaction; False if someone else
    changed it first."""
    tomado = AjusteProgramado.objects.filter(pk=programado.pk, estado=programado.estado).update(
        updated_at=ahora
    )
    return tomado == 1


def _ejecutar(programado: AjusteProgramado, ahora: datetime) -> None:
    """Apply (PENDIENTE) or revert (APLICADO) a due change, or mark it FALLIDO with why."""
    revertir = programado.estado == Estado.APLICADO
    retraso = ahora - (programado.fin if revertir else programado.inicio)
    if not revertir and programado.fin is not None and programado.fin <= ahora:
        programado.estado = Estado.FALLIDO
        nota = (
            f"No se aplicó: su periodo ({_fecha(programado.inicio)} – {_fecha(programado.fin)}) "
            "pasó sin que corriera el programador."
        )
    else:
        try:
            ajuste = _aplicar(
                programado,
                revertir=revertir,
                usuario=programado.usuario,
                paso="fin de " if revertir else "",
            )
        except (ValidationError, PermissionDenied) as error:
            programado.estado = Estado.FALLIDO
            prefijo = "No se pudo revertir al fin" if revertir else "No se aplicó"
            nota = f"{prefijo}: {_razon(error, programado)}"
        else:
            if revertir:
                programado.estado, programado.ajuste_revertido = Estado.REVERTIDO, ajuste
            else:
                programado.estado, programado.ajuste_aplicado = Estado.APLICADO, ajuste
            nota = ""
            if retraso > RETRASO_TOLERADO:
                nota = (
                    f"{'Revertido' if revertir else 'Aplicado'} con {_duracion(retraso)} de "
                    f"retraso: el programador no corrió a la hora."
                )
    programado.nota = _agregar_nota(programado.nota, nota)
    programado.save()


def _aplicar(programado: AjusteProgramado, *, revertir: bool, usuario, paso: str) -> AjusteBW:
    """The change (or, reverting, its opposite) through the bandwidth service."""
    modo = programado.modo
    if revertir:
        modo = ModoAjuste.DISMINUIR if modo == ModoAjuste.AUMENTAR else ModoAjuste.AUMENTAR
    return conexion_ajustar_bw(
        conexion=programado.conexion,
        modo=modo,
        mbps=programado.mbps,
        motivo=_motivo_programado(programado, paso),
        usuario=usuario,
        confirmar_sobresuscripcion=programado.confirmar_sobresuscripcion,
    )


def _motivo_programado(programado: AjusteProgramado, paso: str = "") -> str:
    """The ledger's motivo: «programado: Evento», «programado: fin de Evento»."""
    return f"programado: {paso}{programado.motivo or f'ajuste programado #{programado.pk}'}"


def _razon(error: ValidationError | PermissionDenied, programado: AjusteProgramado) -> str:
    if isinstance(error, PermissionDenied):
        return f"{programado.usuario} ya no tiene permiso para ajustar el ancho de banda."
    sobresuscripcion = getattr(error, "error_dict", {}).get("confirmar_sobresuscripcion")
    if sobresuscripcion:
        params = sobresuscripcion[0].params
        return (
            f"el servicio {params['servicio']} quedaría sobresuscrito en {params['mbps']} Mbps "
            "y la sobresuscripción no se confirmó al programarlo."
        )
    return " ".join(error.messages)


def _agregar_nota(nota: str, mas: str) -> str:
    return "\n".join(n for n in (nota, mas) if n)


def _fecha(momento: datetime) -> str:
    return date_format(timezone.localtime(momento), "d/m/Y H:i")


def _duracion(lapso: timedelta) -> str:
    """«3 d 4 h», «2 h 5 min», «7 min»."""
    minutos = int(lapso.total_seconds() // 60)
    dias, minutos = divmod(minutos, 24 * 60)
    horas, minutos = divmod(minutos, 60)
    partes = [(dias, "d"), (horas, "h"), (minutos, "min")]
    texto = " ".join(f"{n} {u}" for n, u in partes if n)
    return texto or "menos de 1 min"


# --- Locks for batch writers ------------------------------------------------------------------
