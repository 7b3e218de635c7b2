from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse

from isp_portal.busqueda import Documento
from isp_portal.fechas import validate_fecha_en_rango
from isp_portal.historial import Historial
from isp_portal.models import CIDField, Entidad, Ubicacion, unico
from isp_portal.validators import validate_cid, validate_ruc, validate_telefono


class ClienteCorp(Entidad):
    cid = CIDField("CID", max_length=20, validators=[validate_cid])
    cod_erp = models.CharField("código ERP", max_length=40, blank=True)
    razon_social = models.CharField("razón social", max_length=200)
    ruc = models.CharField("RUC", max_length=11, validators=[validate_ruc])
    responsable = models.CharField("responsable", max_length=150, blank=True)
    telefono = models.CharField(
        "teléfono", max_length=40, blank=True, validators=[validate_telefono]
    )
    correo = models.EmailField("correo", blank=True)
    fecha_activacion = models.DateField(
        "fecha de activación", null=True, blank=True, validators=[validate_fecha_en_rango]
    )
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
            unico("ruc", "clientecorp_ruc_unico", "Ya existe un cliente con este RUC."),
            unico("cid", "clientecorp_cid_unico", "Ya existe un cliente con este CID."),
        ]

    def __str__(self):
        return self.razon_social


OFICINA_REPETIDA = "oficina_repetida"


def oficina_repetida(oficina: str) -> ValidationError:
    return ValidationError(
        "El cliente ya tiene una sede llamada «%(oficina)s».",
        code=OFICINA_REPETIDA,
        params={"oficina": oficina},
    )


class Sede(Ubicacion):
    cliente = models.ForeignKey(
        ClienteCorp, on_delete=models.CASCADE, related_name="sedes", verbose_name="cliente"
    )
    oficina = models.CharField("oficina", max_length=150)
    direccion = models.CharField("dirección", max_length=255)
    # What the sede search looks in (SedeFilterSet), as ClienteCorp.busqueda (migration 0011).
    busqueda = models.GeneratedField(
        expression=Documento("oficina", "locacion", "direccion", "distrito", "provincia"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="búsqueda",
    )

    history = Historial(excluded_fields=["busqueda"])

    class Meta:
        verbose_name = "sede"
        verbose_name_plural = "sedes"
        ordering = ["cliente_id", "oficina", "id"]
        constraints = [
            # "OFICINA CENTRAL" is the same sede as "Oficina Central": isp_normalizar (lower
            # case, no accents) on both databases (isp_portal.busqueda).
            models.UniqueConstraint(
                models.F("cliente"),
                Documento("oficina"),
                name="sede_oficina_unica_sin_acentos",
                violation_error_code=OFICINA_REPETIDA,
                violation_error_message="El cliente ya tiene una sede con este nombre de oficina.",
            ),
        ]

    def __str__(self):
        return f"{self.oficina} ({self.cliente})" if self.cliente_id else self.oficina

    @staticmethod
    def clave_de_oficina(oficina: str) -> str:
        """What the unique constraint compares (case and accents ignored)."""
        return Documento.en_python(oficina)

    def validate_constraints(self, exclude=None):
        """The constraints, also when `cliente` is not a form field (a sede's client comes from
        the URL, and it is what makes the oficina unique); a repeated oficina is an error of
        that field, naming it."""
        if exclude and self.cliente_id is not None:
            exclude = set(exclude) - {"cliente"}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errores = error.update_error_dict({})
            generales = errores.pop(NON_FIELD_ERRORS, [])
            for e in generales:
                if e.code == OFICINA_REPETIDA:
                    errores.setdefault("oficina", []).append(oficina_repetida(self.oficina))
                else:
                    errores.setdefault(NON_FIELD_ERRORS, []).append(e)
            raise ValidationError(errores) from None

    def get_absolute_url(self):
        return reverse("clientes:sede_list", args=[self.cliente_id])
