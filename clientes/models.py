from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from isp_portal.historial import Historial
from isp_portal.models import Entidad, Ubicacion, unico
from isp_portal.validators import validate_digitos, validate_ruc, validate_telefono


class ClienteCorp(Entidad):
    cid = models.CharField("CID", max_length=20, validators=[validate_digitos])
    cod_erp = models.CharField("código ERP", max_length=40, blank=True)
    razon_social = models.CharField("razón social", max_length=200)
    ruc = models.CharField("RUC", max_length=11, validators=[validate_ruc])
    responsable = models.CharField("responsable", max_length=150, blank=True)
    telefono = models.CharField(
        "teléfono", max_length=40, blank=True, validators=[validate_telefono]
    )
    correo = models.EmailField("correo", blank=True)
    fecha_activacion = models.DateField("fecha de activación", null=True, blank=True)
    is_active = models.BooleanField("activo", default=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    history = Historial()

    class Meta:
        verbose_name = "cliente corporativo"
        verbose_name_plural = "clientes corporativos"
        ordering = ["razon_social", "id"]
        # The list's orders and the ERP search (iexact compares UPPER() on both sides).
        # The trigram index of the razón social search is PostgreSQL-only: migration 0002.
        indexes = [
            models.Index(fields=["razon_social", "id"], name="clientecorp_razon_social_id"),
            models.Index(fields=["cod_erp", "id"], name="clientecorp_cod_erp_id"),
            models.Index(Upper("cod_erp"), name="clientecorp_cod_erp_upper"),
        ]
        constraints = [
            unico("ruc", "clientecorp_ruc_unico", "Ya existe un cliente con este RUC."),
            unico("cid", "clientecorp_cid_unico", "Ya existe un cliente con este CID."),
        ]

    def __str__(self):
        return self.razon_social


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
