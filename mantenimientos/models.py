from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone

from isp_portal.historial import Historial
from isp_portal.models import Entidad

from .choices import (
    EstadoMantenimiento,
    EstadoNotificacion,
    TipoAviso,
    TipoMantenimiento,
    TipoObjeto,
)

FIN_DESPUES_DE_INICIO = "El fin debe ser posterior al inicio."
# Dates a window may have: far ones overflow the database once in UTC.
RANGO_ANIOS = (2000, 2100)


class Mantenimiento(Entidad):
    """A maintenance window on a node, a provider service, a piece of equipment or a
    provider; its affected connections are that object's «Impacto» list without BAJA.

    Written only by mantenimientos.services; `estado` is derived from the clock and the
    cancellation (selectors.con_estado annotates it for lists and filters).
    """

    tipo_objeto = models.CharField("tipo de objeto", max_length=12, choices=TipoObjeto.choices)
    objeto_id = models.PositiveBigIntegerField("id del objeto")
    # The object's name when the window was created or last changed: lists and the
    # calendar show it without a join per kind of object.
    objeto_nombre = models.CharField("objeto", max_length=200)
    inicio = models.DateTimeField("inicio")
    fin = models.DateTimeField("fin")
    tipo = models.CharField(
        "tipo", max_length=12, choices=TipoMantenimiento.choices, default="planificado"
    )
    descripcion = models.TextField("descripción", max_length=4000)
    # Bumped when the window changes after a notice went out: clients told an earlier
    # version get the follow-up notice.
    version = models.PositiveIntegerField("versión", default=1)
    # When the affected connections were first frozen (the first «Notificar»).
    congelado_en = models.DateTimeField("afectadas congeladas el", null=True, blank=True)
    cancelado_en = models.DateTimeField("cancelado el", null=True, blank=True)
    cancelado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cancelado por",
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mantenimientos",
        verbose_name="creado por",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    history = Historial(excluded_fields=["congelado_en", "updated_at"])

    class Meta:
        verbose_name = "mantenimiento"
        verbose_name_plural = "mantenimientos"
        ordering = ["-inicio", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__gt=models.F("inicio")),
                name="mantenimiento_fin_despues_de_inicio",
                violation_error_message=FIN_DESPUES_DE_INICIO,
            ),
        ]
        indexes = [
            models.Index(fields=["tipo_objeto", "objeto_id"], name="mant_objeto_idx"),
            models.Index(fields=["fin", "inicio"], name="mant_fin_inicio_idx"),
        ]

    def __str__(self):
        return f"{self.get_tipo_objeto_display()} {self.objeto_nombre}"

    def clean(self):
        super().clean()
        errores = {}
        for campo in ("inicio", "fin"):
            valor = getattr(self, campo)
            if valor and not RANGO_ANIOS[0] <= timezone.localtime(valor).year <= RANGO_ANIOS[1]:
                errores[campo] = (
                    f"Indique una fecha entre los años {RANGO_ANIOS[0]} y {RANGO_ANIOS[1]}."
                )
        if not errores and self.inicio and self.fin and self.fin <= self.inicio:
            errores["fin"] = FIN_DESPUES_DE_INICIO
        if errores:
            raise ValidationError(errores)

    def estado_en(self, ahora=None) -> str:
        ahora = ahora or timezone.now()
        if self.cancelado_en:
            return EstadoMantenimiento.CANCELADO
        if self.fin <= ahora:
            return EstadoMantenimiento.TERMINADO
        if self.inicio <= ahora:
            return EstadoMantenimiento.EN_CURSO
        return EstadoMantenimiento.PROGRAMADO

    @property
    def estado(self) -> str:
        # A list's annotation (selectors.con_estado) wins: one clock for the whole page.
        return self.__dict__.get("estado_actual") or self.estado_en()

    def get_estado_display(self) -> str:
        return EstadoMantenimiento(self.estado).label


class ConexionAfectada(models.Model):
    """A connection of the window's impact list, frozen when the first notice was sent: who
    was told stays as it was, whatever happens to the connection later."""

    mantenimiento = models.ForeignKey(
        Mantenimiento, on_delete=models.CASCADE, related_name="afectadas"
    )
    conexion = models.ForeignKey(
        "conexiones.Conexion",
        on_delete=models.SET_NULL,
        null=True,
        related_name="mantenimientos_afectada",
        verbose_name="conexión",
    )
    cid_enlace = models.CharField("CID", max_length=30)
    cliente = models.ForeignKey(
        "clientes.ClienteCorp", on_delete=models.PROTECT, related_name="+", verbose_name="cliente"
    )

    class Meta:
        verbose_name = "conexión afectada"
        verbose_name_plural = "conexiones afectadas"
        constraints = [
            models.UniqueConstraint(
                fields=["mantenimiento", "conexion"], name="afectada_unica_por_mantenimiento"
            )
        ]

    def __str__(self):
        return self.cid_enlace


class Notificacion(models.Model):
    """One e-mail to one client about one window: its result is kept (enviado, or fallido
    with the reason). A client gets each notice once: the aviso once per window, a cambio
    once per version of the window, the cancelación once (the constraints)."""

    mantenimiento = models.ForeignKey(
        Mantenimiento, on_delete=models.CASCADE, related_name="notificaciones"
    )
    cliente = models.ForeignKey(
        "clientes.ClienteCorp", on_delete=models.PROTECT, related_name="+", verbose_name="cliente"
    )
    tipo = models.CharField("aviso", max_length=12, choices=TipoAviso.choices)
    # The window's version the message describes.
    version = models.PositiveIntegerField("versión")
    correo = models.EmailField("correo")
    cids = models.TextField("CIDs afectados")
    estado = models.CharField(
        "estado",
        max_length=10,
        choices=EstadoNotificacion.choices,
        default=EstadoNotificacion.PENDIENTE,
    )
    motivo = models.TextField("motivo del fallo", blank=True)
    intentos = models.PositiveIntegerField("intentos", default=0)
    enviado_en = models.DateTimeField("enviado el", null=True, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pedido por",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"
        ordering = ["mantenimiento", "cliente", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mantenimiento", "cliente", "tipo"],
                condition=~models.Q(tipo=TipoAviso.CAMBIO),
                name="notificacion_una_por_tipo",
            ),
            models.UniqueConstraint(
                fields=["mantenimiento", "cliente", "version"],
                condition=models.Q(tipo=TipoAviso.CAMBIO),
                name="notificacion_cambio_una_por_version",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(estado=EstadoNotificacion.PENDIENTE),
                name="notificacion_pendiente_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} a {self.correo}"


AYUDA_PLANTILLA = (
    "Sintaxis de plantillas de Django. Variables: {{ cliente.razon_social }}, "
    "{{ cliente.responsable }}, {{ cids }}, {% for c in conexiones %}{{ c.cid_enlace }} "
    "{{ c.locacion }} {{ c.direccion }}{% endfor %}, {{ objeto }}, {{ tipo }}, {{ inicio }}, "
    "{{ fin }} (hora de Lima), {{ duracion }}, {{ descripcion }}, {{ contacto_noc }}, "
    "{{ version }}."
)


class PlantillaAviso(models.Model):
    """The subject and body of a notice, in Django's template syntax, edited by admins in
    /admin/. Variables: cliente, conexiones (cid_enlace, locacion, direccion), cids,
    objeto, tipo, inicio, fin, duracion, descripcion, contacto_noc, version."""

    tipo = models.CharField("aviso", max_length=12, choices=TipoAviso.choices, unique=True)
    asunto = models.CharField("asunto", max_length=250, help_text=AYUDA_PLANTILLA)
    cuerpo = models.TextField("cuerpo", help_text=AYUDA_PLANTILLA)
    updated_at = models.DateTimeField("actualizada", auto_now=True)

    history = Historial()

    class Meta:
        verbose_name = "plantilla de aviso"
        verbose_name_plural = "plantillas de aviso"
        ordering = ["tipo"]

    def __str__(self):
        return self.get_tipo_display()

    def clean(self):
        super().clean()
        errores = {}
        for campo in ("asunto", "cuerpo"):
            try:
                motor().from_string(getattr(self, campo) or "")
            except TemplateSyntaxError as error:
                errores[campo] = f"Error en la plantilla: {error}"
        if errores:
            raise ValidationError(errores)


def motor() -> Engine:
    """A template engine for plain-text e-mail: no autoescaping, Django's built-in tags and
    filters only (no template loading from disk)."""
    return Engine(autoescape=False, loaders=[], builtins=["django.templatetags.l10n"])
