from django.db import models
from django.urls import reverse

from isp_portal.busqueda import Documento
from isp_portal.historial import Historial
from isp_portal.models import Ubicacion
from isp_portal.validators import validate_digitos, validate_ruc


class ClienteCorp(models.Model):
    cid = models.CharField("CID", max_length=20, validators=[validate_digitos])
    cod_erp = models.CharField("código ERP", max_length=40, blank=True)
    razon_social = models.CharField("razón social", max_length=200)
    ruc = models.CharField("RUC", max_length=11, validators=[validate_ruc])
    responsable = models.CharField("responsable", max_length=150, blank=True)
    fecha_activacion = models.DateField("fecha de activación", null=True, blank=True)
    is_active = models.BooleanField("activo", default=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)
    # What the client search looks in (clientes.selectors), kept by the database; its
    # trigram index is PostgreSQL-only: migration 0007.
    busqueda = models.GeneratedField(
        expression=Documento("razon_social", "ruc", "cid", "cod_erp"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="búsqueda",
    )

    history = Historial(excluded_fields=["busqueda"])

    class Meta:
        verbose_name = "cliente corporativo"
        verbose_name_plural = "clientes corporativos"
        ordering = ["razon_social", "id"]
        # The list's orders.
        indexes = [
            models.Index(fields=["razon_social", "id"], name="clientecorp_razon_social_id"),
            models.Index(fields=["cod_erp", "id"], name="clientecorp_cod_erp_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ruc"],
                name="clientecorp_ruc_unico",
                violation_error_message="Ya existe un cliente con este RUC.",
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=["cid"],
                name="clientecorp_cid_unico",
                violation_error_message="Ya existe un cliente con este CID.",
                violation_error_code="unique",
            ),
        ]

    def __str__(self):
        return self.razon_social

    def get_absolute_url(self):
        return reverse("clientes:clientecorp_detail", args=[self.pk])


class Sede(Ubicacion):
    cliente = models.ForeignKey(
        ClienteCorp, on_delete=models.CASCADE, related_name="sedes", verbose_name="cliente"
    )
    oficina = models.CharField("oficina", max_length=150)
    direccion = models.CharField("dirección", max_length=255)

    history = Historial()

    class Meta:
        verbose_name = "sede"
        verbose_name_plural = "sedes"
        ordering = ["cliente_id", "oficina", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cliente", "oficina"],
                name="sede_cliente_oficina_unica",
                violation_error_message="El cliente ya tiene una sede con este nombre de oficina.",
            ),
        ]

    def __str__(self):
        return f"{self.oficina} ({self.cliente})" if self.cliente_id else self.oficina

    def get_absolute_url(self):
        return reverse("clientes:sede_list", args=[self.cliente_id])
