from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from isp_portal.busqueda import Documento
from isp_portal.fechas import validate_fecha_en_rango
from isp_portal.historial import Historial
from isp_portal.models import CIDField, Entidad, ErroresEnCampos, Ubicacion, unico
from isp_portal.validators import (
    BW_TECHO_MBPS,
    validate_bw_maximo,
    validate_bw_minimo,
    validate_cid_enlace,
)

from .choices import (
    EstadoAjusteProgramado,
    EstadoConexion,
    ModalidadEnlace,
    ModoAjuste,
    TipoEquipo,
    TipoNodo,
    TipoServicio,
)

# Monitoring readings and their roll-ups, in their own module.
from .utilizacion_modelos import (  # noqa: F401
    MuestraHoraria,
    MuestraUtilizacion,
    UtilizacionSemanal,
)


class Nodo(Ubicacion):
    nombre = models.CharField("nombre", max_length=120)
    tipo = models.CharField("tipo", max_length=20, choices=TipoNodo.choices)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    # What the node search looks in (NodoFilterSet), kept by the database; its trigram
    # index is PostgreSQL-only (migration 0015).
    busqueda = models.GeneratedField(
        expression=Documento("nombre", "direccion", "departamento", "provincia", "distrito"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="búsqueda",
    )

    history = Historial(excluded_fields=["busqueda"])

    class Meta:
        verbose_name = "nodo"
        verbose_name_plural = "nodos"
        ordering = ["nombre"]
        constraints = [unico("nombre", "nodo_nombre_unico", "Ya existe un nodo con este nombre.")]

    def __str__(self):
        return f"{self.nombre} ({self.tipo})"


NODOS_IGUALES = "El nodo A y el nodo B deben ser distintos."
CID_REPETIDO = "Ya existe una conexión con este CID."


class Conexion(ErroresEnCampos, Ubicacion):
    """An enlace: the circuit that joins a provider service, a client and two nodes."""

    campos_de_errores = {"nodos_iguales": "nodo_b"}

    cid_enlace = CIDField("CID", max_length=30, validators=[validate_cid_enlace])
    cliente = models.ForeignKey(
        "clientes.ClienteCorp",
        on_delete=models.PROTECT,
        related_name="conexiones",
        verbose_name="cliente",
    )
    servicio = models.ForeignKey(
        "proveedores.ServicioProveedor",
        on_delete=models.PROTECT,
        related_name="conexiones",
        verbose_name="servicio del proveedor",
        null=True,
        blank=True,
    )
    tipo_enlace = models.CharField("tipo de servicio", max_length=30, choices=TipoServicio.choices)
    modalidad_enlace = models.CharField(
        "tipo de enlace", max_length=20, choices=ModalidadEnlace.choices, blank=True
    )
    estado = models.CharField(
        "estado", max_length=12, choices=EstadoConexion.choices, default=EstadoConexion.PENDIENTE
    )
    fecha_activacion = models.DateField(
        "fecha de activación", null=True, blank=True, validators=[validate_fecha_en_rango]
    )
    bw_contratado = models.PositiveIntegerField(
        "BW contratado (Mbps)", default=0, validators=[validate_bw_minimo, validate_bw_maximo]
    )
    bw_utilizado = models.PositiveIntegerField(
        "BW utilizado (Mbps)", default=0, validators=[validate_bw_maximo]
    )
    # When the reading behind bw_utilizado was taken (conexiones.services.utilizacion).
    bw_utilizado_momento = models.DateTimeField(
        "BW utilizado medido", null=True, blank=True, editable=False
    )
    bw_disponible = models.GeneratedField(
        expression=models.F("bw_contratado") - models.F("bw_utilizado"),
        output_field=models.IntegerField(verbose_name="BW disponible (Mbps)"),
        db_persist=True,
        verbose_name="BW disponible (Mbps)",
    )
    nodo_a = models.ForeignKey(
        Nodo,
        on_delete=models.PROTECT,
        related_name="conexiones_a",
        verbose_name="nodo acceso A",
        null=True,
        blank=True,
    )
    configuracion_nodo_a = models.TextField("configuración nodo A", blank=True)
    nodo_b = models.ForeignKey(
        Nodo,
        on_delete=models.PROTECT,
        related_name="conexiones_b",
        verbose_name="nodo acceso B",
        null=True,
        blank=True,
    )
    configuracion_nodo_b = models.TextField("configuración nodo B", blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)
    # The search document, written by database triggers only (conexiones/busqueda.py).
    busqueda = models.TextField("búsqueda", editable=False, default="")

    history = Historial(
        excluded_fields=["bw_disponible", "busqueda", "bw_utilizado_momento"]
    )

    class Meta:
        verbose_name = "conexión"
        verbose_name_plural = "conexiones"
        ordering = ["-created_at", "-id"]
        permissions = [("ajustar_bw", "Puede ajustar el ancho de banda de una conexión")]
        constraints = [
            unico("cid_enlace", "conexion_cid_enlace_unico", CID_REPETIDO),
            # The bound of validate_bw_maximo at its ceiling (isp_portal.validators).
            models.CheckConstraint(
                condition=models.Q(bw_contratado__gte=0, bw_contratado__lte=BW_TECHO_MBPS),
                name="conexion_bw_contratado_rango",
            ),
            models.CheckConstraint(
                condition=models.Q(bw_utilizado__gte=0, bw_utilizado__lte=BW_TECHO_MBPS),
                name="conexion_bw_utilizado_rango",
            ),
            models.CheckConstraint(
                condition=models.Q(nodo_a__isnull=True)
                | models.Q(nodo_b__isnull=True)
                | ~models.Q(nodo_a=models.F("nodo_b")),
                name="conexion_nodos_distintos",
                violation_error_message=NODOS_IGUALES,
            ),
        ]
        indexes = [
            # Also covers the home page's counts by estado and BW sold (index-only scan).
            models.Index(fields=["estado", "bw_contratado"], name="conexion_estado_bw_idx"),
            models.Index(fields=["tipo_enlace"], name="conexion_tipo_enlace_idx"),
            # Covers the capacity sold per provider service (index-only sums).
            models.Index(
                fields=["servicio", "bw_contratado"],
                condition=~models.Q(estado=EstadoConexion.BAJA),
                name="conexion_servicio_vendida_idx",
            ),
        ]

    def __str__(self):
        return self.cid_enlace

    def clean(self):
        super().clean()
        if self.nodo_a_id is not None and self.nodo_a_id == self.nodo_b_id:
            raise ValidationError(NODOS_IGUALES, code="nodos_iguales")

    def validate_constraints(self, exclude=None):
        # clean() checks the distinct nodes without a query; the constraint is the
        # database's guard and would only repeat the message.
        super().validate_constraints(exclude={*(exclude or ()), "nodo_a"})


def equipo_etiqueta(tipo: str, marca: str, modelo: str, serie: str) -> str:
    """A piece of equipment as its dropdown shows it: `tipo | marca | modelo | SN: serie`."""
    return f"{tipo} | {marca} | {modelo} | SN: {serie}"


class Equipo(Entidad):
    tipo = models.CharField("tipo", max_length=30, choices=TipoEquipo.choices)
    marca = models.CharField("marca", max_length=80)
    modelo = models.CharField("modelo", max_length=80)
    serie = models.CharField("número de serie", max_length=80)
    conexion = models.ForeignKey(
        Conexion,
        on_delete=models.SET_NULL,
        related_name="equipos",
        verbose_name="conexión",
        null=True,
        blank=True,
    )
    # What the equipment search looks in (EquipoFilterSet), as Nodo.busqueda.
    busqueda = models.GeneratedField(
        expression=Documento("serie", "marca", "modelo", "tipo"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="búsqueda",
    )

    history = Historial(excluded_fields=["busqueda"])

    class Meta:
        verbose_name = "equipo"
        verbose_name_plural = "equipos"
        ordering = ["tipo", "marca", "modelo", "serie"]
        constraints = [
            unico("serie", "equipo_serie_unica", "Ya existe un equipo con este número de serie."),
        ]

    def __str__(self):
        return equipo_etiqueta(self.tipo, self.marca, self.modelo, self.serie)


class AjusteBW(models.Model):
    """Append-only ledger of every change of a connection's bw_contratado."""

    conexion = models.ForeignKey(
        Conexion, on_delete=models.PROTECT, related_name="ajustes", verbose_name="conexión"
    )
    # The service the change was charged to; kept because a connection can change service.
    servicio = models.ForeignKey(
        "proveedores.ServicioProveedor",
        on_delete=models.PROTECT,
        related_name="ajustes",
        verbose_name="servicio del proveedor",
        null=True,
        blank=True,
    )
    modo = models.CharField("modo", max_length=10, choices=ModoAjuste.choices)
    mbps = models.PositiveIntegerField("Mbps")
    bw_anterior = models.PositiveIntegerField("BW anterior (Mbps)")
    bw_resultante = models.PositiveIntegerField("BW resultante (Mbps)")
    servicio_disponible_anterior = models.IntegerField(
        "servicio disponible anterior (Mbps)", null=True, blank=True
    )
    servicio_disponible_resultante = models.IntegerField(
        "servicio disponible resultante (Mbps)", null=True, blank=True
    )
    motivo = models.CharField("motivo", max_length=255, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ajustes_bw",
        verbose_name="usuario",
    )
    created_at = models.DateTimeField("fecha", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "ajuste de BW"
        verbose_name_plural = "ajustes de BW"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(mbps__gt=0), name="ajustebw_mbps_positivo"),
        ]

    def __str__(self):
        signo = "+" if self.modo == ModoAjuste.AUMENTAR else "−"
        return f"{self.conexion_id}: {signo}{self.mbps} Mbps"


class AjusteProgramado(models.Model):
    """A bandwidth change to apply at `inicio` and, when temporary, to revert at `fin`.

    Written only by the services of conexiones.services (scheduled, cancelled, applied by
    `manage.py aplicar_ajustes_programados`); each application or reversion goes through the
    bandwidth service and leaves its AjusteBW ledger row, linked here.
    """

    conexion = models.ForeignKey(
        Conexion,
        on_delete=models.PROTECT,
        related_name="ajustes_programados",
        verbose_name="conexión",
    )
    modo = models.CharField("modo", max_length=10, choices=ModoAjuste.choices)
    mbps = models.PositiveIntegerField("Mbps")
    motivo = models.CharField("motivo", max_length=255, blank=True)
    inicio = models.DateTimeField("inicio", validators=[validate_fecha_en_rango])
    fin = models.DateTimeField(
        "fin",
        null=True,
        blank=True,
        help_text="Vacío: el cambio es permanente.",
        validators=[validate_fecha_en_rango],
    )
    estado = models.CharField(
        "estado",
        max_length=10,
        choices=EstadoAjusteProgramado.choices,
        default=EstadoAjusteProgramado.PENDIENTE,
    )
    # Why it failed, how late it ran, how it was cancelled.
    nota = models.TextField("nota", blank=True)
    # An oversubscription the operator accepted when scheduling; without it, a change that
    # would oversell the provider service at run time fails.
    confirmar_sobresuscripcion = models.BooleanField("sobresuscripción confirmada", default=False)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ajustes_programados",
        verbose_name="programado por",
    )
    cancelado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cancelado por",
    )
    # The ledger rows it produced: the change at inicio and its reversion (at fin or when
    # cancelled during its period).
    ajuste_aplicado = models.OneToOneField(
        AjusteBW,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programado_aplicado",
        verbose_name="ajuste aplicado",
    )
    ajuste_revertido = models.OneToOneField(
        AjusteBW,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programado_revertido",
        verbose_name="ajuste de reversión",
    )
    created_at = models.DateTimeField("programado el", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "ajuste programado"
        verbose_name_plural = "ajustes programados"
        ordering = ["inicio", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mbps__gt=0), name="ajusteprogramado_mbps_positivo"
            ),
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True) | models.Q(fin__gt=models.F("inicio")),
                name="ajusteprogramado_fin_despues_de_inicio",
                violation_error_message="El fin debe ser posterior al inicio.",
            ),
        ]
        indexes = [
            # The scheduler's due changes: PENDIENTE by inicio, APLICADO by fin.
            models.Index(fields=["estado", "inicio"], name="ajusteprog_estado_inicio_idx"),
            models.Index(
                fields=["fin"],
                condition=models.Q(estado=EstadoAjusteProgramado.APLICADO, fin__isnull=False),
                name="ajusteprog_por_revertir_idx",
            ),
        ]

    def __str__(self):
        signo = "+" if self.modo == ModoAjuste.AUMENTAR else "−"
        return f"{signo}{self.mbps} Mbps en {self.conexion_id}"

    def get_absolute_url(self):
        return reverse("conexiones:conexion_detail", args=[self.conexion_id]) + "#programados"

    @property
    def temporal(self) -> bool:
        return self.fin is not None

    @property
    def reversion_fallida(self) -> bool:
        """Applied, but its revert at fin failed: the temporary change is still in force
        until someone retries the revert or resolves it."""
        return (
            self.estado == EstadoAjusteProgramado.FALLIDO and self.ajuste_aplicado_id is not None
        )

    @property
    def cancelable(self) -> bool:
        """Before it runs, or during the period of a temporary change (then it is reverted)."""
        return self.estado == EstadoAjusteProgramado.PENDIENTE or (
            self.estado == EstadoAjusteProgramado.APLICADO and self.temporal
        )
