"""Abstract models shared by the apps."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from isp_portal import ubigeo

CAMPOS_UBICACION = ("departamento", "provincia", "distrito", "direccion", "locacion")


class Entidad(models.Model):
    """A model with its own pages, named as every URL is: `<app>:<model>_<action>`."""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        opts = self._meta
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])


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
