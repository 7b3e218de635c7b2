from django.db import models
from django.urls import reverse

from isp_portal.historial import Historial
from isp_portal.models import Ubicacion
from isp_portal.validators import validate_ruc

from .choices import EstadoServicio, ModalidadServicio


class Proveedor(models.Model):
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
            models.UniqueConstraint(
                fields=["nombre"],
                name="proveedor_nombre_unico",
                violation_error_message="Ya existe un proveedor con este nombre.",
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=["ruc"],
                condition=~models.Q(ruc=""),
                name="proveedor_ruc_unico",
                violation_error_message="Ya existe un proveedor con este RUC.",
                violation_error_code="unique",
            ),
        ]

    def __str__(self):
        return self.nombre

    def get_absolute_url(self):
        return reverse("proveedores:proveedor_detail", args=[self.pk])


class ServicioProveedorQuerySet(models.QuerySet):
    def with_capacity(self):
        """Annotate capacidad_vendida / capacidad_disponible: the one place they are computed.

        vendida is the sum of bw_contratado of the service's connections not in BAJA.
        """
        from conexiones.choices import EstadoConexion
        from conexiones.models import Conexion

        # SUM as a plain function, not an aggregate: no GROUP BY in the subquery, which is
        # evaluated once per service (a fifth cheaper over 1,333 services).
        vendida = (
            Conexion.objects.filter(servicio=models.OuterRef("pk"))
            .exclude(estado=EstadoConexion.BAJA)
            .order_by()
            .values(total=models.Func(models.F("bw_contratado"), function="SUM"))
        )
        return self.annotate(
            capacidad_vendida=models.functions.Coalesce(
                models.Subquery(vendida, output_field=models.IntegerField()), 0
            ),
        ).annotate(
            capacidad_disponible=models.F("capacidad_contratada") - models.F("capacidad_vendida"),
        )


class ServicioProveedor(Ubicacion):
    proveedor = models.ForeignKey(
        Proveedor, on_delete=models.PROTECT, related_name="servicios", verbose_name="proveedor"
    )
    codigo = models.CharField("código de circuito", max_length=80)
    modalidad = models.CharField("modalidad", max_length=20, choices=ModalidadServicio.choices)
    tipo = models.CharField("tipo", max_length=80, blank=True)
    capacidad_contratada = models.PositiveIntegerField("capacidad contratada (Mbps)")
    estado = models.CharField(
        "estado", max_length=12, choices=EstadoServicio.choices, default=EstadoServicio.ACTIVO
    )

    objects = ServicioProveedorQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=models.Q(capacidad_contratada__gte=0),
                name="servicioproveedor_capacidad_no_negativa",
            ),
        ]

    def __str__(self):
        return f"{self.proveedor} · {self.codigo}" if self.proveedor_id else self.codigo

    def get_absolute_url(self):
        return reverse("proveedores:servicioproveedor_detail", args=[self.pk])
