"""Operations on connections that write several rows under locks.

Every writer of bw_contratado goes through conexion_ajustar_bw so that the ledger
(AjusteBW) and the provider service's figures never disagree. Locks are always taken in
the same order (provider service, then connection) so concurrent operations cannot deadlock.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clientes.models import ClienteCorp
from proveedores.models import ServicioProveedor

from .choices import EstadoConexion, ModoAjuste
from .models import AjusteBW, Conexion, Equipo
from .selectors import servicios_con_capacidad

PERMISO_AJUSTAR_BW = "conexiones.ajustar_bw"
BW_MINIMO = 1
SECUENCIA_DIGITOS = 3


def conexion_siguiente_cid(*, cliente: ClienteCorp) -> str:
    """Next free cid_enlace of the client's sequence: client 257 → 257001, 257002, …

    A proposal only: conexion_crear assigns it again under the client's row lock.
    """
    prefijo = cliente.cid
    # Served by the varchar_pattern_ops index of migration 0005 on PostgreSQL.
    usados = set(
        Conexion.objects.filter(cid_enlace__startswith=prefijo)
        .order_by()
        .values_list("cid_enlace", flat=True)
    )
    secuencias = [
        int(cid[len(prefijo) :])
        for cid in usados
        if len(cid) == len(prefijo) + SECUENCIA_DIGITOS and cid[len(prefijo) :].isdigit()
    ]
    siguiente = max(secuencias, default=0) + 1
    # Another client's CID can share the prefix (25 + 7001 = 257 + 001): skip taken values.
    while True:
        candidato = f"{prefijo}{siguiente:0{SECUENCIA_DIGITOS}d}"
        if candidato not in usados:
            return candidato
        siguiente += 1


def conexion_crear(
    *,
    datos: dict,
    equipos: Iterable[Equipo] = (),
    usuario=None,
) -> Conexion:
    """Create a connection, assigning the next CID of its client when none is given.

    The client row is locked so two connections created at once for the same client get
    different CIDs; the unique constraint is the last guard (retried once).
    `usuario=None` is for trusted callers (imports, demo data) only.
    """
    if usuario is not None and not usuario.has_perm("conexiones.add_conexion"):
        raise PermissionDenied("No tiene permiso para registrar conexiones.")
    for intento in range(2):
        try:
            with transaction.atomic():
                return _conexion_crear(datos=datos, equipos=list(equipos))
        except IntegrityError:
            if datos.get("cid_enlace") or intento:
                raise ValidationError(
                    {"cid_enlace": "Ya existe una conexión con este CID."}
                ) from None
    raise AssertionError("unreachable")


def _conexion_crear(*, datos: dict, equipos: list[Equipo]) -> Conexion:
    cliente = ClienteCorp.objects.select_for_update().get(pk=_pk(datos["cliente"]))
    datos = {**datos, "cliente": cliente}
    if datos.get("servicio"):
        datos["servicio"] = ServicioProveedor.objects.select_for_update().get(
            pk=_pk(datos["servicio"])
        )
    conexion = Conexion(**datos)
    if not conexion.cid_enlace:
        conexion.cid_enlace = conexion_siguiente_cid(cliente=cliente)
    elif Conexion.objects.filter(cid_enlace=conexion.cid_enlace).exists():
        raise ValidationError({"cid_enlace": "Ya existe una conexión con este CID."})
    conexion.full_clean(validate_unique=False, validate_constraints=False)
    conexion.save()
    if equipos:
        equipos_asignar(conexion=conexion, equipos=equipos)
    return conexion


def equipos_asignar(*, conexion: Conexion, equipos: Iterable[Equipo]) -> None:
    """Put the given equipment on the connection; each piece sits on one connection at most."""
    ids = [e.pk for e in equipos]
    bloqueados = list(Equipo.objects.select_for_update().filter(pk__in=ids))
    ocupados = [e for e in bloqueados if e.conexion_id not in (None, conexion.pk)]
    if ocupados:
        series = ", ".join(e.serie for e in ocupados)
        raise ValidationError({"equipos": f"Equipos ya asignados a otra conexión: {series}."})
    Equipo.objects.filter(conexion=conexion).exclude(pk__in=ids).update(conexion=None)
    Equipo.objects.filter(pk__in=ids).update(conexion=conexion)


def conexion_ajustar_bw(
    *,
    conexion: Conexion,
    modo: str,
    mbps: int,
    motivo: str = "",
    usuario=None,
    confirmar_sobresuscripcion: bool = False,
) -> AjusteBW:
    """Raise or lower a connection's bw_contratado and record it in the ledger.

    One transaction; the provider service and the connection rows are locked and every rule
    is checked against the locked figures, so concurrent adjustments never lose an update.
    `usuario=None` is for trusted callers (imports, demo data) only.
    """
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise PermissionDenied("No tiene permiso para ajustar el ancho de banda.")
    if modo not in ModoAjuste.values:
        raise ValidationError({"modo": "Elija AUMENTAR o DISMINUIR."})
    if isinstance(mbps, bool) or not isinstance(mbps, int) or mbps <= 0:
        raise ValidationError({"mbps": "Ingrese un número entero de Mbps mayor que cero."})

    with transaction.atomic():
        bloqueada, servicio = _bloquear_conexion_y_servicio(conexion.pk)
        if bloqueada.estado == EstadoConexion.BAJA:
            raise ValidationError("Una conexión en BAJA no se puede ajustar.", code="baja")

        delta = mbps if modo == ModoAjuste.AUMENTAR else -mbps
        bw_anterior = bloqueada.bw_contratado
        bw_resultante = bw_anterior + delta
        if bw_resultante < BW_MINIMO:
            raise ValidationError(
                {
                    "mbps": f"La conexión no puede quedar por debajo de {BW_MINIMO} Mbps "
                    f"(BW actual {bw_anterior} Mbps; puede disminuir hasta "
                    f"{max(bw_anterior - BW_MINIMO, 0)} Mbps)."
                }
            )

        disponible_anterior = disponible_resultante = None
        if servicio is not None:
            disponible_anterior = servicio.capacidad_disponible
            disponible_resultante = disponible_anterior - delta
            if delta > 0 and disponible_resultante < 0 and not confirmar_sobresuscripcion:
                raise ValidationError(
                    {
                        "confirmar_sobresuscripcion": (
                            f"El servicio {servicio.codigo} quedaría sobresuscrito en "
                            f"{-disponible_resultante} Mbps. Confirme para continuar."
                        )
                    },
                    code="sobresuscripcion",
                )

        Conexion.objects.filter(pk=bloqueada.pk).update(bw_contratado=bw_resultante)
        ajuste = AjusteBW.objects.create(
            conexion=bloqueada,
            servicio=servicio,
            modo=modo,
            mbps=mbps,
            bw_anterior=bw_anterior,
            bw_resultante=bw_resultante,
            servicio_disponible_anterior=disponible_anterior,
            servicio_disponible_resultante=disponible_resultante,
            motivo=(motivo or "").strip()[:255],
            usuario=usuario,
        )
    conexion.bw_contratado = bw_resultante
    conexion.refresh_from_db(fields=["bw_contratado", "bw_disponible", "updated_at"])
    return ajuste


def _bloquear_conexion_y_servicio(conexion_id: int):
    """Lock the provider service first, then the connection (the project's lock order)."""
    while True:
        servicio_id = (
            Conexion.objects.filter(pk=conexion_id).values_list("servicio_id", flat=True).get()
        )
        servicio = None
        if servicio_id is not None:
            # Lock without the aggregate (FOR UPDATE cannot lock an aggregated subquery),
            # then read the derived figures under that lock.
            ServicioProveedor.objects.select_for_update().filter(pk=servicio_id).get()
        conexion = Conexion.objects.select_for_update().get(pk=conexion_id)
        if conexion.servicio_id != servicio_id:
            continue  # moved to another service meanwhile: lock the right one
        if servicio_id is not None:
            servicio = servicios_con_capacidad().get(pk=servicio_id)
        return conexion, servicio


def _pk(value) -> int:
    return getattr(value, "pk", value)


MOTIVO_EDICION = "Edición de la conexión"
# Fields conexion_actualizar writes directly; bw_contratado goes through conexion_ajustar_bw.
CAMPOS_EDITABLES = frozenset(
    {
        "cid_enlace",
        "cliente",
        "servicio",
        "tipo_enlace",
        "modalidad_enlace",
        "estado",
        "fecha_activacion",
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
    AUMENTAR/DISMINUIR adjustment (ledger row, permission and oversubscription rules of
    conexion_ajustar_bw) by its difference with `bw_anterior`, the figure the editor saw:
    an adjustment made meanwhile by someone else is kept, not overwritten. Without
    `bw_anterior` the difference is taken against the current figure.
    `equipos=None` leaves equipment alone.
    Locks: provider service(s) in pk order, then the connection.
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
                raise ValidationError({"cid_enlace": "Ya existe una conexión con este CID."})
            servicio_antes, estado_antes = bloqueada.servicio_id, bloqueada.estado
            for campo, valor in datos.items():
                setattr(bloqueada, campo, valor)
            if datos:
                bloqueada.full_clean(validate_unique=False, validate_constraints=False)
                campos = [Conexion._meta.get_field(c).attname for c in datos]
                bloqueada.save(update_fields=[*campos, "updated_at"])
                if not confirmar_sobresuscripcion:
                    _rechazar_sobresuscripcion_por_carga(bloqueada, servicio_antes, estado_antes)
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
            raise ValidationError({"cid_enlace": "Ya existe una conexión con este CID."}) from None
        raise
    conexion.refresh_from_db()
    return conexion


def _rechazar_sobresuscripcion_por_carga(conexion, servicio_antes, estado_antes) -> None:
    """A connection moved to another service, or back from BAJA, now loads its service:
    refuse if that oversells it, unless confirmed (the service row is already locked)."""
    if conexion.servicio_id is None or conexion.estado == EstadoConexion.BAJA:
        return
    if conexion.servicio_id == servicio_antes and estado_antes != EstadoConexion.BAJA:
        return  # it was already counted there
    servicio = servicios_con_capacidad().get(pk=conexion.servicio_id)
    if servicio.capacidad_disponible < 0:  # vendida includes this connection now
        raise ValidationError(
            {
                "confirmar_sobresuscripcion": (
                    f"El servicio {servicio.codigo} quedaría sobresuscrito en "
                    f"{-servicio.capacidad_disponible} Mbps. Confirme para continuar."
                )
            },
            code="sobresuscripcion",
        )


def _bloquear_para_editar(conexion_id: int, *, nuevo_servicio) -> Conexion:
    """Lock the connection's current and new provider services (pk order), then the connection."""
    while True:
        actual = (
            Conexion.objects.filter(pk=conexion_id).values_list("servicio_id", flat=True).get()
        )
        ids = sorted({i for i in (actual, _pk(nuevo_servicio)) if i is not None})
        if ids:
            list(ServicioProveedor.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        bloqueada = Conexion.objects.select_for_update().get(pk=conexion_id)
        if bloqueada.servicio_id == actual:
            return bloqueada


def _ajustar_por_edicion(conexion, delta, *, usuario, confirmar_sobresuscripcion) -> None:
    if usuario is not None and not usuario.has_perm(PERMISO_AJUSTAR_BW):
        raise ValidationError(
            {"bw_contratado": "No tiene permiso para ajustar el ancho de banda."}
        )
    modo = ModoAjuste.AUMENTAR if delta > 0 else ModoAjuste.DISMINUIR
    try:
        conexion_ajustar_bw(
            conexion=conexion,
            modo=modo,
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


@dataclass(frozen=True)
class AjustePrevio:
    """What an adjustment would do, for the modal's live preview (nothing is written)."""

    bw_actual: int
    bw_resultante: int | None
    servicio_disponible_actual: int | None
    servicio_disponible_resultante: int | None
    servicio_vendida_actual: int | None
    servicio_vendida_resultante: int | None

    @property
    def sobresuscrito(self) -> bool:
        return (
            self.servicio_disponible_resultante is not None
            and self.servicio_disponible_resultante < 0
            and self.bw_resultante is not None
            and self.bw_resultante > self.bw_actual
        )

    @property
    def sobresuscripcion_mbps(self) -> int:
        """By how many Mbps the provider service would be oversold (0 if it would not)."""
        return -self.servicio_disponible_resultante if self.sobresuscrito else 0

    @property
    def bajo_minimo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante < BW_MINIMO


def conexion_ajuste_previo(
    *, conexion: Conexion, servicio: ServicioProveedor | None, modo: str, mbps: int | None
) -> AjustePrevio:
    """The same arithmetic as conexion_ajustar_bw, on figures already read.

    `servicio` must come from servicios_con_capacidad() (or be None).
    """
    disponible = getattr(servicio, "capacidad_disponible", None)
    vendida = getattr(servicio, "capacidad_vendida", None)
    delta = None
    if mbps is not None and modo in ModoAjuste.values:
        delta = mbps if modo == ModoAjuste.AUMENTAR else -mbps
    # A BAJA connection is not counted in the service's vendida: its change would not move it.
    cuenta = conexion.estado != EstadoConexion.BAJA
    return AjustePrevio(
        bw_actual=conexion.bw_contratado,
        bw_resultante=None if delta is None else conexion.bw_contratado + delta,
        servicio_disponible_actual=disponible,
        servicio_disponible_resultante=(
            None if delta is None or disponible is None else disponible - (delta if cuenta else 0)
        ),
        servicio_vendida_actual=vendida,
        servicio_vendida_resultante=(
            None if delta is None or vendida is None else vendida + (delta if cuenta else 0)
        ),
    )
