"""Scheduled and temporary changes (AjusteProgramado).

Scheduling stores the change; `ajustes_programados_aplicar` (manage.py
aplicar_ajustes_programados) applies it at inicio and reverts it at fin through
conexion_ajustar_bw, so every rule, lock, ledger row and history row is the bandwidth
service's. Lock order: the AjusteProgramado row first, then what conexion_ajustar_bw locks.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..choices import EstadoAjusteProgramado, ModoAjuste
from ..models import AjusteBW, AjusteProgramado, Conexion
from ..selectors import ajuste_programado_previo, ajustes_programados_vencidos
from .ancho_de_banda import (
    MOTIVO_MAXIMO,
    PedidoAjuste,
    conexion_ajustar_bw,
    validar_pedido,
    verificar_ajuste,
)
from .permisos import PERMISO_AJUSTAR_BW, exigir_permiso

logger = logging.getLogger(__name__)

# A scheduler run every minute is this late at most; later, the change notes its delay.
RETRASO_TOLERADO = timedelta(minutes=2)
Estado = EstadoAjusteProgramado


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
    exigir_permiso(usuario, PERMISO_AJUSTAR_BW)
    validar_pedido(PedidoAjuste(conexion.pk, modo=modo, mbps=mbps))
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
    exigir_permiso(usuario, PERMISO_AJUSTAR_BW)
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
