"""Writes of the shared base: the API tokens of a user, the one-export-at-a-time lock."""

import hashlib
import secrets
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ExportacionEnCurso, TokenAPI

PREFIJO_TOKEN = "isp_"
PREFIJO_VISIBLE = 12


def token_digest(token: str) -> str:
    """The stored form of a token. Tokens are 256 random bits, so a plain SHA-256 is enough:
    no dictionary or brute force reaches them, and a leaked table gives nothing usable."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_crear(*, usuario, nombre: str = "", dias: int | None = None) -> tuple[TokenAPI, str]:
    """Create a token for `usuario` valid for `dias` days (settings.API_TOKEN_DIAS by default).

    Returns the row and the token itself, which is not stored and cannot be shown again.
    """
    dias = settings.API_TOKEN_DIAS if dias is None else dias
    if isinstance(dias, bool) or not isinstance(dias, int):
        raise ValidationError({"dias": "Indique los días de validez como un número entero."})
    if not 1 <= dias <= settings.API_TOKEN_DIAS_MAXIMO:
        raise ValidationError(
            {"dias": f"La validez va de 1 a {settings.API_TOKEN_DIAS_MAXIMO} días."}
        )
    token = PREFIJO_TOKEN + secrets.token_urlsafe(32)
    fila = TokenAPI.objects.create(
        usuario=usuario,
        nombre=(nombre or "").strip()[: TokenAPI._meta.get_field("nombre").max_length],
        prefijo=token[:PREFIJO_VISIBLE],
        digest=token_digest(token),
        expira=timezone.now() + timedelta(days=dias),
    )
    return fila, token


def token_revocar(*, usuario, token_id) -> bool:
    """Delete one of the user's own tokens; False if it is not theirs or does not exist."""
    borrados, _ = TokenAPI.objects.filter(usuario=usuario, pk=token_id).delete()
    return bool(borrados)


EXPORTACION_PROPIA_EN_CURSO = (
    "Ya tiene una exportación en curso. Espere a que termine su descarga y vuelva a intentarlo."
)
EXPORTACIONES_SIMULTANEAS = (
    "Hay {n} exportaciones en curso en el portal, el máximo a la vez. Vuelva a intentarlo en "
    "un minuto."
)


class ExportacionRechazada(Exception):
    """An export that cannot start now; its message says why, in Spanish."""


def _vencida():
    """Locks whose mark is older than this are of exports no longer read."""
    return timezone.now() - timedelta(seconds=settings.EXPORT_SIN_LECTURA_SEGUNDOS)


def exportacion_iniciar(*, usuario) -> ExportacionEnCurso:
    """Take the user's export lock, or raise ExportacionRechazada: while another export of
    theirs runs, or while settings.EXPORT_SIMULTANEAS_MAX exports run on the whole site (a
    long XLSX holds a server thread; the cap keeps threads for the pages and /salud).

    `iniciada` is the export's last sign of life, moved on while its rows are written
    (exportacion_latidos). A lock not moved for settings.EXPORT_SIN_LECTURA_SEGUNDOS is taken
    over, and not counted: its export ended without releasing it (a killed worker) or its
    client stopped reading (a stalled download no longer pulls rows). Taking it over moves
    `iniciada`, so that old export, should it go on, releases nothing (exportacion_terminar).
    """
    ahora = timezone.now()
    vencida = _vencida()
    try:
        with transaction.atomic():
            exportacion = ExportacionEnCurso.objects.create(usuario=usuario, iniciada=ahora)
    except IntegrityError:  # the unique usuario: another export of the user holds it
        if not ExportacionEnCurso.objects.filter(usuario=usuario, iniciada__lt=vencida).update(
            iniciada=ahora
        ):
            raise ExportacionRechazada(EXPORTACION_PROPIA_EN_CURSO) from None
        exportacion = ExportacionEnCurso(usuario=usuario, iniciada=ahora)
    # Counted after taking the lock, this one included: of two starting at once, each sees
    # the other, so the cap is never passed (at worst both give way).
    maximo = settings.EXPORT_SIMULTANEAS_MAX
    if ExportacionEnCurso.objects.filter(iniciada__gte=vencida).count() > maximo:
        exportacion_terminar(exportacion)
        raise ExportacionRechazada(EXPORTACIONES_SIMULTANEAS.format(n=maximo))
    return exportacion


def exportacion_latido(exportacion: ExportacionEnCurso) -> bool:
    """Mark the export alive now; False when its lock was taken over meanwhile."""
    ahora = timezone.now()
    movidas = ExportacionEnCurso.objects.filter(
        usuario=exportacion.usuario_id, iniciada=exportacion.iniciada
    ).update(iniciada=ahora)
    if movidas:
        exportacion.iniciada = ahora
    return bool(movidas)


def segundos() -> float:
    """The clock of the marks (its own name, so a test can move it alone)."""
    return time.monotonic()


def exportacion_latidos(filas: Iterable, exportacion: ExportacionEnCurso) -> Iterator:
    """The rows of an export, marking it alive every quarter of EXPORT_SIN_LECTURA_SEGUNDOS
    while they are taken. A CSV's rows are taken as its client reads them: a client that
    stops reading stops the marks, and its slot is free within that time, not when the
    server at last gives up on the connection."""
    cada = settings.EXPORT_SIN_LECTURA_SEGUNDOS / 4
    proximo = segundos() + cada
    for fila in filas:
        yield fila
        if segundos() >= proximo:
            exportacion_latido(exportacion)
            proximo = segundos() + cada


def exportacion_terminar(exportacion: ExportacionEnCurso) -> None:
    ExportacionEnCurso.objects.filter(
        usuario=exportacion.usuario_id, iniciada=exportacion.iniciada
    ).delete()
