"""Writes of maintenance windows with their rules: create, change the window, cancel,
notify (freeze the affected connections, queue one notice per client, never twice) and send
the queued notices by e-mail with each recipient's result."""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.utils import timezone

from isp_portal.formatos import fecha_texto

from . import selectors
from .choices import EstadoNotificacion, TipoAviso, TipoObjeto
from .models import ConexionAfectada, Mantenimiento, Notificacion, PlantillaAviso, motor
from .plantillas import POR_DEFECTO

CAMPOS_EDITABLES = ("inicio", "fin", "tipo", "descripcion")
AVISADO = (TipoAviso.AVISO, TipoAviso.CAMBIO)


def _bloqueado(mantenimiento: Mantenimiento) -> Mantenimiento:
    return Mantenimiento.objects.select_for_update().get(pk=mantenimiento.pk)


def _objeto(tipo_objeto: str, objeto_id):
    if tipo_objeto not in TipoObjeto.values:
        opciones = ", ".join(TipoObjeto.values)
        raise ValidationError({"tipo_objeto": f"Elija una de las opciones: {opciones}."})
    objeto = selectors.objeto_de(tipo_objeto, objeto_id) if objeto_id else None
    if objeto is None:
        etiqueta = TipoObjeto(tipo_objeto).label.lower()
        raise ValidationError({"objeto_id": f"No existe el {etiqueta} {objeto_id}."})
    return objeto


def mantenimiento_crear(
    *, tipo_objeto, objeto_id, inicio, fin, tipo, descripcion, usuario
) -> Mantenimiento:
    objeto = _objeto(tipo_objeto, objeto_id)
    mantenimiento = Mantenimiento(
        tipo_objeto=tipo_objeto,
        objeto_id=objeto.pk,
        objeto_nombre=selectors.nombre_de_objeto(tipo_objeto, objeto)[:200],
        inicio=inicio,
        fin=fin,
        tipo=tipo,
        descripcion=descripcion,
        usuario=usuario,
    )
    mantenimiento._history_user = usuario
    mantenimiento.full_clean()
    mantenimiento.save()
    return mantenimiento


def _abierto(mantenimiento: Mantenimiento, accion: str) -> None:
    if mantenimiento.cancelado_en:
        raise ValidationError(f"El mantenimiento está cancelado: no se puede {accion}.")
    if mantenimiento.fin <= timezone.now():
        raise ValidationError(f"El mantenimiento ya terminó: no se puede {accion}.")


def mantenimiento_actualizar(
    *, mantenimiento: Mantenimiento, datos: dict, usuario
) -> Mantenimiento:
    """Change the window or its text. A new inicio or fin after a notice went out makes a
    new version of the window: those told the old one get the cambio notice on «Notificar».
    """
    with transaction.atomic():
        fila = _bloqueado(mantenimiento)
        _abierto(fila, "cambiar")
        cambiados = [c for c in CAMPOS_EDITABLES if c in datos and getattr(fila, c) != datos[c]]
        if not cambiados:
            return fila
        for campo in cambiados:
            setattr(fila, campo, datos[campo])
        avisados = Notificacion.objects.filter(
            mantenimiento=fila, tipo__in=AVISADO, estado=EstadoNotificacion.ENVIADO
        ).exists()
        if avisados and {"inicio", "fin"} & set(cambiados):
            fila.version += 1
        fila.full_clean()
        fila._history_user = usuario
        fila.save()
        # Queued notices of the old window would say the wrong hours: they go.
        Notificacion.objects.filter(
            mantenimiento=fila, estado=EstadoNotificacion.PENDIENTE, tipo__in=AVISADO
        ).exclude(version=fila.version).delete()
    return fila


def mantenimiento_cancelar(*, mantenimiento: Mantenimiento, usuario) -> Mantenimiento:
    """Cancel a coming or current window; its queued notices are dropped. The clients
    already told get the cancellation notice on «Notificar»."""
    with transaction.atomic():
        fila = _bloqueado(mantenimiento)
        _abierto(fila, "cancelar")
        fila.cancelado_en = timezone.now()
        fila.cancelado_por = usuario
        fila._history_user = usuario
        fila.save(update_fields=["cancelado_en", "cancelado_por", "updated_at"])
        Notificacion.objects.filter(
            mantenimiento=fila, estado=EstadoNotificacion.PENDIENTE, tipo__in=AVISADO
        ).delete()
    return fila


@dataclass
class Pedido:
    """What «Notificar» queued: `en_cola` notices (of `tipos`), `al_dia` clients already told
    this version, `sin_correo` clients that cannot be reached."""

    en_cola: int
    al_dia: int
    sin_correo: int
    tipos: set


def _congelar(mantenimiento: Mantenimiento) -> None:
    """Freeze the impact list into the record; connections that joined it since the last
    notice are added, none is ever taken out (who was told stays)."""
    vivas = selectors.afectadas_en_vivo(mantenimiento).values_list("pk", "cid_enlace", "cliente_id")
    ConexionAfectada.objects.bulk_create(
        [
            ConexionAfectada(
                mantenimiento=mantenimiento, conexion_id=pk, cid_enlace=cid, cliente_id=cliente
            )
            for pk, cid, cliente in vivas
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    if mantenimiento.congelado_en is None:
        mantenimiento.congelado_en = timezone.now()
        mantenimiento.save(update_fields=["congelado_en", "updated_at"])


def mantenimiento_notificar(*, mantenimiento: Mantenimiento, usuario) -> Pedido:
    """Queue the notices the window needs now, one per client (all its CIDs in it):

    - the aviso to every affected client with an e-mail that was never told (or whose
      notice failed);
    - after a change of the window, the cambio to those told an earlier version;
    - after a cancellation, the cancelación to those told (and nothing else).

    A notice sent (or being sent) is never queued again. The queue is sent by
    avisos_enviar (the view sends a short one at once, the worker the rest).
    """
    with transaction.atomic():
        fila = _bloqueado(mantenimiento)
        if not fila.cancelado_en:
            _abierto(fila, "notificar")
            _congelar(fila)
        elif not fila.congelado_en:
            return Pedido(0, 0, 0, set())
        afectadas = (
            ConexionAfectada.objects.filter(mantenimiento=fila)
            .select_related("cliente")
            .order_by("cid_enlace", "pk")
        )
        cids: dict[int, list[str]] = {}
        clientes = {}
        for afectada in afectadas:
            cids.setdefault(afectada.cliente_id, []).append(afectada.cid_enlace)
            clientes[afectada.cliente_id] = afectada.cliente
        existentes: dict[int, list[Notificacion]] = {}
        for n in Notificacion.objects.filter(mantenimiento=fila).order_by("pk"):
            existentes.setdefault(n.cliente_id, []).append(n)

        nuevas, reintentos = [], []
        al_dia = sin_correo = 0
        for cliente_id, cliente in clientes.items():
            if not cliente.correo:
                sin_correo += 1
                continue
            propias = existentes.get(cliente_id, [])
            tipo, version = _que_falta(fila, propias)
            if tipo is None:
                al_dia += 1
                continue
            previa = next(
                (
                    n
                    for n in propias
                    if n.tipo == tipo and (tipo != TipoAviso.CAMBIO or n.version == version)
                ),
                None,
            )
            datos = {
                "correo": cliente.correo,
                "cids": ", ".join(cids[cliente_id]),
                "version": version,
                "usuario": usuario,
            }
            if previa is None:
                nuevas.append(Notificacion(mantenimiento=fila, cliente=cliente, tipo=tipo, **datos))
            elif previa.estado == EstadoNotificacion.FALLIDO:
                for campo, valor in datos.items():
                    setattr(previa, campo, valor)
                previa.estado = EstadoNotificacion.PENDIENTE
                reintentos.append(previa)
            # PENDIENTE or ENVIANDO: already on its way.
        Notificacion.objects.bulk_create(nuevas, batch_size=1000)
        if reintentos:
            ahora = timezone.now()
            for n in reintentos:
                n.updated_at = ahora
            Notificacion.objects.bulk_update(
                reintentos,
                ["correo", "cids", "version", "usuario", "estado", "updated_at"],
                batch_size=1000,
            )
        en_cola = Notificacion.objects.filter(
            mantenimiento=fila,
            estado__in=[EstadoNotificacion.PENDIENTE, EstadoNotificacion.ENVIANDO],
        ).count()
    return Pedido(en_cola, al_dia, sin_correo, {n.tipo for n in nuevas + reintentos})


def avisos_que_faltan(mantenimiento: Mantenimiento) -> dict[str, int]:
    """{tipo: clients} that «Notificar» would queue now among the frozen affected clients
    with an e-mail (nothing is written); the page offers the follow-up from it."""
    if not mantenimiento.congelado_en:
        return {}
    clientes = set(
        ConexionAfectada.objects.filter(mantenimiento=mantenimiento)
        .exclude(cliente__correo="")
        .values_list("cliente_id", flat=True)
    )
    propias: dict[int, list[Notificacion]] = {}
    for n in Notificacion.objects.filter(mantenimiento=mantenimiento).order_by("pk"):
        propias.setdefault(n.cliente_id, []).append(n)
    faltan: dict[str, int] = {}
    for cliente_id in clientes:
        tipo, _ = _que_falta(mantenimiento, propias.get(cliente_id, []))
        if tipo is not None:
            faltan[tipo] = faltan.get(tipo, 0) + 1
    return faltan


def _que_falta(mantenimiento: Mantenimiento, propias: list[Notificacion]):
    """(tipo, version) of the notice a client still needs, or (None, None)."""
    enviadas = [n for n in propias if n.estado == EstadoNotificacion.ENVIADO]
    avisado = [n.version for n in enviadas if n.tipo in AVISADO]
    en_camino = [
        n
        for n in propias
        if n.estado in (EstadoNotificacion.PENDIENTE, EstadoNotificacion.ENVIANDO)
    ]
    if mantenimiento.cancelado_en:
        ya = any(n.tipo == TipoAviso.CANCELACION for n in enviadas + en_camino)
        return (None, None) if not avisado or ya else (TipoAviso.CANCELACION, mantenimiento.version)
    if not avisado:
        aviso = next((n for n in propias if n.tipo == TipoAviso.AVISO), None)
        if aviso is not None and aviso.estado != EstadoNotificacion.FALLIDO:
            return None, None  # on its way
        return TipoAviso.AVISO, mantenimiento.version
    if max(avisado) >= mantenimiento.version:
        return None, None
    if any(n.tipo == TipoAviso.CAMBIO and n.version == mantenimiento.version for n in en_camino):
        return None, None
    return TipoAviso.CAMBIO, mantenimiento.version


# --- Sending --------------------------------------------------------------------------------


def _duracion(mantenimiento: Mantenimiento) -> str:
    minutos = int((mantenimiento.fin - mantenimiento.inicio).total_seconds() // 60)
    dias, resto = divmod(minutos, 24 * 60)
    horas, minutos = divmod(resto, 60)
    partes = [
        f"{dias} d" if dias else "",
        f"{horas} h" if horas else "",
        f"{minutos} min" if minutos else "",
    ]
    return " ".join(p for p in partes if p) or "0 min"


def aviso_texto(notificacion: Notificacion) -> tuple[str, str]:
    """(asunto, cuerpo) of a notice, from the admins' template of its kind."""
    m = notificacion.mantenimiento
    plantilla = PlantillaAviso.objects.filter(tipo=notificacion.tipo).first()
    asunto, cuerpo = (
        (plantilla.asunto, plantilla.cuerpo) if plantilla else POR_DEFECTO[notificacion.tipo]
    )
    afectadas = (
        ConexionAfectada.objects.filter(mantenimiento=m, cliente=notificacion.cliente_id)
        .select_related("conexion")
        .order_by("cid_enlace", "pk")
    )
    contexto = Context(
        {
            "cliente": notificacion.cliente,
            "conexiones": [
                {
                    "cid_enlace": a.cid_enlace,
                    "locacion": a.conexion.locacion if a.conexion else "",
                    "direccion": a.conexion.direccion if a.conexion else "",
                }
                for a in afectadas
            ],
            "cids": notificacion.cids,
            "objeto": str(m),
            "tipo": m.get_tipo_display(),
            "inicio": fecha_texto(m.inicio),
            "fin": fecha_texto(m.fin),
            "duracion": _duracion(m),
            "descripcion": m.descripcion,
            "contacto_noc": settings.AVISOS_CONTACTO_NOC,
            "version": m.version,
        },
        autoescape=False,
    )
    plantillas = motor()
    asunto = " ".join(plantillas.from_string(asunto).render(contexto).split())
    return asunto[:250], plantillas.from_string(cuerpo).render(contexto)


@dataclass
class Envio:
    enviados: int = 0
    fallidos: int = 0


def _terminar(pk: int, estado: str, motivo: str = "") -> None:
    cambios = {"estado": estado, "motivo": motivo[:2000], "updated_at": timezone.now()}
    if estado == EstadoNotificacion.ENVIADO:
        cambios["enviado_en"] = cambios["updated_at"]
    Notificacion.objects.filter(pk=pk, estado=EstadoNotificacion.ENVIANDO).update(**cambios)


def avisos_enviar(*, mantenimiento: Mantenimiento | None = None, limite: int = 200) -> Envio:
    """Send up to `limite` queued notices (of one window, or of all), one e-mail each, over
    one connection to the mail server. Each notice is first claimed (PENDIENTE → ENVIANDO by
    a conditional UPDATE), so any number of senders never send one twice; then marked
    ENVIADO, or FALLIDO with the reason («Notificar» queues it again)."""
    pendientes = Notificacion.objects.filter(estado=EstadoNotificacion.PENDIENTE)
    if mantenimiento is not None:
        pendientes = pendientes.filter(mantenimiento=mantenimiento)
    ids = list(pendientes.order_by("created_at", "pk").values_list("pk", flat=True)[:limite])
    envio = Envio()
    if not ids:
        return envio
    correo = get_connection(fail_silently=False)
    try:
        correo.open()
    except Exception as error:  # the server is down or refuses the login
        motivo = f"No se pudo conectar con el servidor de correo: {error}"
        for pk in ids:
            if _reclamar(pk):
                _terminar(pk, EstadoNotificacion.FALLIDO, motivo)
                envio.fallidos += 1
        return envio
    try:
        for pk in ids:
            if not _reclamar(pk):
                continue  # another sender took it
            n = Notificacion.objects.select_related("mantenimiento", "cliente").get(pk=pk)
            try:
                asunto, cuerpo = aviso_texto(n)
                EmailMessage(
                    asunto, cuerpo, settings.DEFAULT_FROM_EMAIL, [n.correo], connection=correo
                ).send()
            except Exception as error:  # SMTP refusal, network, a broken template…
                _terminar(pk, EstadoNotificacion.FALLIDO, f"{type(error).__name__}: {error}")
                envio.fallidos += 1
            else:
                _terminar(pk, EstadoNotificacion.ENVIADO)
                envio.enviados += 1
    finally:
        # The results are recorded already: a failing QUIT changes none of them.
        with contextlib.suppress(Exception):
            correo.close()
    return envio


def _reclamar(pk: int) -> bool:
    return bool(
        Notificacion.objects.filter(pk=pk, estado=EstadoNotificacion.PENDIENTE).update(
            estado=EstadoNotificacion.ENVIANDO,
            intentos=F("intentos") + 1,
            updated_at=timezone.now(),
        )
    )
