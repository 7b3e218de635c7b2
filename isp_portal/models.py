"""Models shared by the apps: the abstract location, and the API's tokens and rate counters."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from isp_portal import ubigeo
from isp_portal.validators import normalizar_cid

CAMPOS_UBICACION = ("departamento", "provincia", "distrito", "direccion", "locacion")


class Entidad(models.Model):
    """A model with its own pages, named as every URL is: `<app>:<model>_<action>`."""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        from .tables import url_de  # reversed once per model: a list links every row

        opts = self._meta
        return url_de(f"{opts.app_label}:{opts.model_name}_detail", self.pk)


class CIDField(models.CharField):
    """A CID: full-width and other compatibility characters become ASCII (normalizar_cid)
    before its validators run, wherever it is cleaned: forms, imports (the converter calls
    to_python), the API and the services (full_clean). CharField prepares every value it
    saves or looks up with to_python too, so the ORM writes and finds CIDs in ASCII."""

    def to_python(self, value):
        return normalizar_cid(super().to_python(value))

    def deconstruct(self):
        # A plain CharField to migrations: the normalisation is Python only, and a change of
        # class would make SQLite rebuild the table for nothing.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class Ubicacion(Entidad):
    """Location fields, named alike on every model that has a place."""

    departamento = models.CharField("departamento", max_length=60, blank=True)
    provincia = models.CharField("provincia", max_length=60, blank=True)
    distrito = models.CharField("distrito", max_length=80, blank=True)
    direccion = models.CharField("dirección", max_length=255, blank=True)
    locacion = models.CharField("locación", max_length=200, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        validar_ubigeo(self.departamento, self.provincia)

    @property
    def ubicacion_texto(self) -> str:
        partes = [self.distrito, self.provincia, self.departamento]
        return " / ".join(p for p in partes if p)


def validar_ubigeo(departamento: str, provincia: str) -> None:
    """Raise field errors unless departamento/provincia are a pair of Peru's ubigeo list."""
    if not departamento and not provincia:
        return
    if not departamento:
        raise ValidationError({"departamento": "Elija el departamento de la provincia."})
    if departamento not in ubigeo.departamentos():
        raise ValidationError(
            {"departamento": f"«{departamento}» no es un departamento del Perú."}
        )
    if provincia and not ubigeo.es_par_valido(departamento, provincia):
        raise ValidationError(
            {"provincia": f"«{provincia}» no es una provincia de {departamento}."}
        )


class ErroresEnCampos:
    """A model whose cross-field rules raise errors of the whole object (as the API answers
    them) and say, by their code, the field a page or an import shows them next to:
    `campos_de_errores = {code: field}` (isp_portal.forms.ErroresEnCamposMixin, the import
    engine)."""

    campos_de_errores: dict[str, str] = {}

    @classmethod
    def campo_de_error(cls, error: ValidationError) -> str | None:
        return cls.campos_de_errores.get(getattr(error, "code", None))


def unico(campo: str, nombre: str, mensaje: str, **kwargs) -> models.UniqueConstraint:
    """A unique field whose violation reads as an error of that field (code "unique"), as
    a form shows it next to the field."""
    return models.UniqueConstraint(
        fields=[campo],
        name=nombre,
        violation_error_message=mensaje,
        violation_error_code="unique",
        **kwargs,
    )


class TokenAPIQuerySet(models.QuerySet):
    def vigentes(self):
        return self.filter(expira__gt=timezone.now())


class TokenAPI(models.Model):
    """A Bearer token of the API. Only its SHA-256 digest is stored: the token itself is shown
    once, when it is created (isp_portal.services.token_crear)."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tokens_api",
        verbose_name="usuario",
    )
    nombre = models.CharField("descripción", max_length=100, blank=True)
    # The token's first characters, to tell tokens apart on the page; not enough to use it.
    prefijo = models.CharField("prefijo", max_length=12)
    digest = models.CharField("huella SHA-256", max_length=64, unique=True)
    creado = models.DateTimeField("creado", auto_now_add=True)
    expira = models.DateTimeField("vence")

    objects = TokenAPIQuerySet.as_manager()

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"
        ordering = ["-creado", "-id"]

    def __str__(self):
        return f"{self.prefijo}… ({self.usuario_id})"

    @property
    def vencido(self) -> bool:
        return self.expira <= timezone.now()


class ContadorAPI(models.Model):
    """API requests of one user in the current window of the rate limit
    (isp_portal.api.limites): a row in the database, so every worker and node shares it."""

    clave = models.CharField("clave", max_length=100, primary_key=True)
    ventana = models.BigIntegerField("inicio de la ventana (s desde 1970)")
    solicitudes = models.PositiveIntegerField("solicitudes")

    class Meta:
        verbose_name = "contador de solicitudes a la API"
        verbose_name_plural = "contadores de solicitudes a la API"

    def __str__(self):
        return f"{self.clave}: {self.solicitudes}"


class ExportacionEnCurso(models.Model):
    """An export a user is running (isp_portal.services.exportacion_iniciar): one at a time
    per user. A row in the database, so every worker and node sees it."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="usuario",
    )
    iniciada = models.DateTimeField("iniciada")

    class Meta:
        verbose_name = "exportación en curso"
        verbose_name_plural = "exportaciones en curso"

    def __str__(self):
        return f"{self.usuario_id} desde {self.iniciada:%H:%M:%S}"
