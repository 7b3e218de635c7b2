from django.db import models

from isp_portal.historial import Historial
from isp_portal.models import Entidad, Ubicacion, unico
from isp_portal.validators import (
    CAPACIDAD_TECHO_MBPS,
    validate_capacidad_maxima,
    validate_ruc,
)

from .choices import EstadoServicio, ModalidadServicio


class Proveedor(Entidad):
    nombre = models.CharField("nombre", max_length=150)
    ruc = models.CharField("RUC", max_length=11, blank=True, validators=[validate_ruc])
    contacto = models.CharField("contacto", max_length=150, blank=True)
    telefono = models.CharField("teléfono", max_length=40, blank=True)
    email = models.EmailField("correo", blank=True)
    is_active = models.BooleanField("activo", default=True)

    history = Historial()

    class Meta:
        verbose_name = "proveedor"
        verbose_name_plural = "proveedores"
        ordering = ["nombre"]
        constraints = [
            unico("nombre", "proveedor_nombre_unico", "Ya existe un proveedor con este nombre."),
            unico(
                "ruc",
                "proveedor_ruc_unico",
                "Ya existe un proveedor con este RUC.",
                condition=~models.Q(ruc=""),
            ),
        ]

    def __str__(self):
        return self.nombre


class ServicioProveedor(Ubicacion):
    proveedor = models.ForeignKey(
        Proveedor, on_delete=models.PROTECT, related_name="servicios", verbose_name="proveedor"
    )
    codigo = models.CharField("código de circuito", max_length=80)
    modalidad = models.CharField("modalidad", max_length=20, choices=ModalidadServicio.choices)
    tipo = models.CharField("tipo", max_length=80, blank=True)
    capacidad_contratada = models.PositiveIntegerField(
        "capacidad contratada (Mbps)", validators=[validate_capacidad_maxima]
    )
    estado = models.CharField(
        "estado", max_length=12, choices=EstadoServicio.choices, default=EstadoServicio.ACTIVO
    )

    history = Historial()

    class Meta:
        verbose_name = "servicio de proveedor"
        verbose_name_plural = "servicios de proveedor"
        ordering = ["proveedor__nombre", "codigo"]
        constraints = [
            models.UniqueConstraint(
                fields=["proveedor", "codigo"],
                name="servicioproveedor_codigo_unico",
                violation_error_message="El proveedor ya tiene un servicio con este código.",
            ),
            # The bound of validate_capacidad_maxima at its ceiling (isp_portal.validators).
            models.CheckConstraint(
                condition=models.Q(
                    capacidad_contratada__gte=0, capacidad_contratada__lte=CAPACIDAD_TECHO_MBPS
                ),
                name="servicioproveedor_capacidad_rango",
            ),
        ]

    def __str__(self):
        return f"{self.proveedor} · {self.codigo}" if self.proveedor_id else self.codigo
