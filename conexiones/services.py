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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clientes.models import ClienteCorp
from proveedores.models import ServicioProveedor

from .choices import EstadoConexion, ModoAjuste
from .models import AjusteBW, Conexion, Equipo
from .selectors import servicios_con_capacidad

PERMISO_AJUSTAR_BW = "conexiones.ajustar_bw"
BW_MINIMO = 1
SECUENCIA_DIGITOS = 3
MOTIVO_EDICION = "Edición de la conexión"
MOTIVO_MAXIMO = AjusteBW._meta.get_field("motivo").max_length
CID_REPETIDO = "Ya existe una conexión con este CID."


def bw_maximo() -> int:
    """The most Mbps one connection may have (settings.BW_MAXIMO_MBPS)."""
    return settings.BW_MAXIMO_MBPS


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
    def sobre_maximo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante > bw_maximo()


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
                    f"La conexión no puede superar {bw_maximo()} Mbps (BW actual "
                    f"{calculo.bw_actual} Mbps; puede aumentar hasta "
                    f"{max(bw_maximo() - calculo.bw_actual, 0)} Mbps).",
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
    if mbps > bw_maximo():
        raise ValidationError({"mbps": f"Ingrese como máximo {bw_maximo()} Mbps."})


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


def _bloquear_conexiones_y_servicios(
    conexion_ids: set[int],
) -> tuple[dict[int, Conexion], dict[int, ServicioProveedor]]:
    """Lock the connections' provider services (pk order), then the connections (pk order);
    return them by pk, the services with their capacity figures read under the lock.

    A connection moved to another service between the two reads is locked again with the
    right service.
    """
    while True:
        servicio_ids = _servicios_de(conexion_ids)
        _bloquear_servicios(servicio_ids)
        conexiones = {
            c.pk: c
            for c in Conexion.objects.select_for_update()
            .filter(pk__in=conexion_ids)
            .order_by("pk")
        }
        faltan = conexion_ids - conexiones.keys()
        if faltan:
            raise Conexion.DoesNotExist(f"No existe la conexión {min(faltan)}.")
        if {c.servicio_id for c in conexiones.values()} - {None} <= servicio_ids:
            break
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    return conexiones, servicios


def _servicios_de(conexion_ids) -> set[int]:
    return set(
        Conexion.objects.filter(pk__in=conexion_ids)
        .exclude(servicio=None)
        .order_by()
        .values_list("servicio_id", flat=True)
        .distinct()
    )


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
    cargas = [c for c in cargas if c.servicio_id is not None and c.mbps > 0]
    if not cargas:
        return
    servicio_ids = {c.servicio_id for c in cargas}
    _bloquear_servicios(servicio_ids)
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    disponible = {pk: s.capacidad_disponible for pk, s in servicios.items()}
    errores = {}
    for i, carga in enumerate(cargas):
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


def conexion_siguiente_cid(*, cliente: ClienteCorp) -> str:
    """Next free cid_enlace of the client's sequence: client 257 → 257001, 257002, …

    A proposal only: conexion_crear assigns it again under the client's row lock.
    """
    return siguientes_cids({cliente: 1})[cliente.pk][0]


def siguientes_cids(cuantos: dict[ClienteCorp, int]) -> dict[int, list[str]]:
    """The next `n` free CIDs of each client's sequence, in one query.

    Only a proposal unless the clients are locked (clientes_bloquear) in the transaction
    that writes them.
    """
    if not cuantos:
        return {}
    prefijos = Q()
    for cliente in cuantos:
        # Served by the varchar_pattern_ops index of migration 0005 on PostgreSQL.
        prefijos |= Q(cid_enlace__startswith=cliente.cid)
    usados = set(
        Conexion.objects.filter(prefijos).order_by().values_list("cid_enlace", flat=True)
    )
    resultado = {}
    for cliente, n in cuantos.items():
        prefijo = cliente.cid
        secuencias = [
            int(cid[len(prefijo) :])
            for cid in usados
            if cid.startswith(prefijo)
            and len(cid) == len(prefijo) + SECUENCIA_DIGITOS
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
    conexion.full_clean(
        exclude=None if conexion.cid_enlace else ["cid_enlace"],
        validate_unique=False,
        validate_constraints=False,
    )
    if conexion.cid_enlace and Conexion.objects.filter(cid_enlace=conexion.cid_enlace).exists():
        raise ValidationError({"cid_enlace": CID_REPETIDO})
    conexiones_asignar_cids([conexion])
    if conexion.servicio_id is not None:
        _verificar_carga(Carga(conexion.servicio_id, _carga_de(conexion)), confirmar=confirmar)
    if conexion.bw_contratado > bw_maximo():
        raise ValidationError(
            {"bw_contratado": f"La conexión no puede superar {bw_maximo()} Mbps."}
        )
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
            bloqueada = _bloquear_para_editar(conexion.pk, nuevo_servicio=datos.get("servicio"))
            cid = datos.get("cid_enlace")
            if cid and (
                Conexion.objects.filter(cid_enlace=cid).exclude(pk=bloqueada.pk).exists()
            ):
                raise ValidationError({"cid_enlace": CID_REPETIDO})
            carga_antes = (bloqueada.servicio_id, _carga_de(bloqueada))
            for campo, valor in datos.items():
                setattr(bloqueada, campo, valor)
            if datos:
                bloqueada.full_clean(validate_unique=False, validate_constraints=False)
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


def _bloquear_para_editar(conexion_id: int, *, nuevo_servicio) -> Conexion:
    """Lock the connection's current and new provider services (pk order), then the connection."""
    while True:
        actual = _servicios_de({conexion_id})
        _bloquear_servicios(sorted(actual | {_pk(nuevo_servicio)} - {None}))
        bloqueada = Conexion.objects.select_for_update().get(pk=conexion_id)
        if {bloqueada.servicio_id} - {None} == actual:
            return bloqueada


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
