"""Every change of bw_contratado — Ajustar BW, the edit form, imports, the admin, the API and
the scheduler — goes through `conexiones_ajustar_bw`: it locks the rows, checks the rules
(`verificar_ajuste`) on the figures of `calcular_ajuste`, and writes the connection, its change
history and the ledger (AjusteBW) together."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..calculo import BW_MINIMO, CalculoAjuste, calcular_ajuste
from ..choices import EstadoConexion, ModoAjuste
from ..models import AjusteBW, Conexion
from .bloqueos import bloquear_conexiones_y_servicios
from .permisos import PERMISO_AJUSTAR_BW, exigir_permiso

MOTIVO_MAXIMO = AjusteBW._meta.get_field("motivo").max_length


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


def validar_pedido(pedido: PedidoAjuste) -> None:
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
    exigir_permiso(usuario, PERMISO_AJUSTAR_BW)
    errores = {}
    for i, pedido in enumerate(pedidos):
        try:
            validar_pedido(pedido)
        except ValidationError as error:
            errores[i] = error
    if errores:
        raise ErroresDeAjuste(errores)
    if not pedidos:
        return []
    motivo = (motivo or "").strip()[:MOTIVO_MAXIMO]

    with transaction.atomic():
        conexiones, servicios = bloquear_conexiones_y_servicios(
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
