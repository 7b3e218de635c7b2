from django.db import models


class TipoObjeto(models.TextChoices):
    """What the maintenance is on: the origin of an «Impacto» list."""

    NODO = "nodo", "Nodo"
    SERVICIO = "servicio", "Servicio del proveedor"
    EQUIPO = "equipo", "Equipo"
    PROVEEDOR = "proveedor", "Proveedor"


class TipoMantenimiento(models.TextChoices):
    PLANIFICADO = "planificado", "Planificado"
    EMERGENCIA = "emergencia", "Emergencia"


class EstadoMantenimiento(models.TextChoices):
    """Derived from the clock and the cancellation, never stored."""

    PROGRAMADO = "programado", "Programado"
    EN_CURSO = "en_curso", "En curso"
    TERMINADO = "terminado", "Terminado"
    CANCELADO = "cancelado", "Cancelado"


class TipoAviso(models.TextChoices):
    AVISO = "aviso", "Aviso de mantenimiento"
    CAMBIO = "cambio", "Cambio de la ventana"
    CANCELACION = "cancelacion", "Cancelación"


class EstadoNotificacion(models.TextChoices):
    PENDIENTE = "pendiente", "Pendiente"
    # Claimed by a sender; stays so if the sender died mid-message (it may have gone out,
    # so it is never sent again on its own).
    ENVIANDO = "enviando", "Enviando"
    ENVIADO = "enviado", "Enviado"
    FALLIDO = "fallido", "Fallido"
