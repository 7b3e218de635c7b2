"""Creating and editing connections: their fields, equipment and bandwidth in one transaction."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from ..choices import ModoAjuste
from ..models import CID_REPETIDO, Conexion, Equipo
from .ancho_de_banda import conexion_ajustar_bw
from .bloqueos import conexiones_bloquear
from .capacidad import Carga, carga_de, verificar_carga
from .cids import conexiones_asignar_cids
from .permisos import NO_PUEDE_AJUSTAR, PERMISO_AJUSTAR_BW, exigir_permiso

MOTIVO_EDICION = "Edición de la conexión"
# Related fields given as instances or primary keys.
_RELACIONES = {"cliente", "servicio", "nodo_a", "nodo_b"}


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
    exigir_permiso(
        usuario, "conexiones.add_conexion", "No tiene permiso para registrar conexiones."
    )
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
        verificar_carga(Carga(conexion.servicio_id, carga_de(conexion)), confirmar=confirmar)
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


# Fields conexion_actualizar writes directly; bw_contratado goes through conexiones_ajustar_bw
# and bw_utilizado comes from monitoring only (services.utilizacion).
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
            carga_antes = (bloqueada.servicio_id, carga_de(bloqueada))
            for campo, valor in datos.items():
                setattr(bloqueada, campo, valor)
            if datos:
                bloqueada.full_clean()  # its rules and constraints (a CID not taken, …)
                if bloqueada.servicio_id is not None:
                    nueva = carga_de(bloqueada)
                    antes = carga_antes[1] if carga_antes[0] == bloqueada.servicio_id else 0
                    verificar_carga(
                        Carga(bloqueada.servicio_id, nueva - antes, bw_actual=antes),
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
    try:
        exigir_permiso(usuario, PERMISO_AJUSTAR_BW)
    except PermissionDenied:
        raise ValidationError({"bw_contratado": NO_PUEDE_AJUSTAR}) from None
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


def _pk(value) -> int | None:
    return getattr(value, "pk", value)
