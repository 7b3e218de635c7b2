"""Cell converters: a spreadsheet cell → the value stored, or a Spanish ValidationError.

A converter is built once per column from its model field; the messages are the field's own
(its validators and `blank`/`invalid_choice` messages, its Min/MaxValueValidator bounds such
as the bandwidth's), so an import says what the forms say.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import (
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.utils import timezone

from isp_portal import ubigeo
from isp_portal.enteros import parse_entero_de_campo


class _Omitir:
    """A blank cell of a column with a default: the row keeps its current (or default) value."""

    def __repr__(self):
        return "OMITIR"


OMITIR = _Omitir()

Convertidor = Callable[[object], object]

VERDADEROS = {"1", "si", "sí", "s", "true", "t", "verdadero", "v", "x", "activo", "yes", "y"}
FALSOS = {"0", "no", "n", "false", "f", "falso", "inactivo"}
FORMATOS_FECHA = ("%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y")

# PostgreSQL cannot store the character, and the forms refuse it with this message.
sin_caracteres_nulos = ProhibitNullCharactersValidator()


def texto(raw) -> str:
    """A cell as stripped text; XLSX numbers that are whole come back without ".0"."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def _texto_sin_nulos(raw) -> str:
    valor = texto(raw)
    if "\x00" in valor:
        sin_caracteres_nulos(valor)
    return valor


def convertidor(
    campo: models.Field,
    *,
    vacia: bool = False,
    normalizar: Callable[[str], str] | None = None,
) -> Convertidor:
    """The converter of a column stored in `campo`. `vacia` accepts a blank cell even if the
    field does not (a key given on write); `normalizar` cleans the text first (RUC
    separators, old spellings)."""
    if campo.choices:
        return _opcion(campo, normalizar)
    if isinstance(campo, models.BooleanField):
        return _booleano
    if isinstance(campo, models.DateTimeField):
        return _momento
    if isinstance(campo, models.DateField):
        return _fecha(campo)
    if isinstance(campo, models.DecimalField):
        return _decimal(campo)
    if isinstance(campo, models.IntegerField):
        return _entero(campo)
    if isinstance(campo, models.CharField | models.TextField):
        return _texto(campo, vacia=vacia or campo.blank, normalizar=normalizar)
    raise ImproperlyConfigured(f"La importación no sabe leer {campo!r}.")


def referencia(normalizar: Callable[[str], str] | None = None) -> Convertidor:
    """A natural key of a related row (RUC, nombre, código): text, resolved per batch."""

    def convertir(raw):
        valor = _texto_sin_nulos(raw)
        return normalizar(valor) if normalizar and valor else valor

    return convertir


def _texto(campo, *, vacia: bool, normalizar) -> Convertidor:
    validadores = campo.validators  # length, RUC check digit, CID characters, e-mail…

    def convertir(raw):
        valor = campo.to_python(_texto_sin_nulos(raw))  # a CID's full-width digits…
        if normalizar is not None:
            valor = normalizar(valor)
        if not valor:
            if vacia:
                return ""
            raise ValidationError(campo.error_messages["blank"], code="blank")
        for validador in validadores:
            validador(valor)
        return valor

    return convertir


def _opcion(campo, normalizar) -> Convertidor:
    """A choice by value or label, ignoring case and accents ("activo" → "ACTIVO")."""
    opciones: dict[str, str] = {}
    for valor, etiqueta in campo.flatchoices:
        opciones.setdefault(ubigeo.normalizar(etiqueta), valor)
    for valor, _ in campo.flatchoices:
        opciones[ubigeo.normalizar(valor)] = valor

    def convertir(raw):
        valor = _texto_sin_nulos(raw)
        if normalizar is not None:
            valor = normalizar(valor)
        if not valor:
            if campo.blank:
                return ""
            if campo.has_default():
                return OMITIR
            raise ValidationError(campo.error_messages["blank"], code="blank")
        encontrado = opciones.get(ubigeo.normalizar(valor))
        if encontrado is None:
            raise ValidationError(
                campo.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": valor},
            )
        return encontrado

    return convertir


def _entero(campo) -> Convertidor:
    """An integer read by parse_entero (no "²", "١٢" nor "1e3") within the field's bounds."""
    mensajes = {"invalid": "«%(value)s» no es un número entero: use solo dígitos (0-9)."}

    def convertir(raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # an XLSX number
        if not isinstance(raw, int) or isinstance(raw, bool):
            raw = _texto_sin_nulos(raw)
            if not raw:
                return OMITIR
        return parse_entero_de_campo(raw, campo, mensajes)

    return convertir


def _fecha(campo) -> Convertidor:
    """A date (an XLSX date cell, or text as FORMATOS_FECHA), checked by the field's
    validators: the site's range of dates (isp_portal.fechas)."""

    def convertir(raw):
        fecha = _leer_fecha(raw)
        if fecha is not None:
            for validador in campo.validators:
                validador(fecha)
        return fecha

    def _leer_fecha(raw):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        valor = _texto_sin_nulos(raw)
        if not valor:
            if campo.null:
                return None
            raise ValidationError(campo.error_messages["null"], code="null")
        valor = valor.split(" ")[0].split("T")[0]
        try:
            return date.fromisoformat(valor)
        except ValueError:
            pass
        for formato in FORMATOS_FECHA:
            try:
                return datetime.strptime(valor, formato).date()
            except ValueError:
                continue
        raise ValidationError(f"Fecha no válida «{valor}»: use AAAA-MM-DD o DD/MM/AAAA.")

    return convertir


def _momento(raw):
    """A date and time: an XLSX datetime or ISO 8601 text (`2026-12-03T10:05:00-05:00`, or
    `DD/MM/AAAA HH:MM`); without a zone, the site's time zone."""
    if isinstance(raw, datetime):
        momento = raw
    else:
        valor = _texto_sin_nulos(raw)
        if not valor:
            raise ValidationError("Indique la fecha y hora.", code="null")
        try:
            momento = datetime.fromisoformat(valor)
        except ValueError:
            try:
                momento = datetime.strptime(valor, "%d/%m/%Y %H:%M")
            except ValueError:
                raise ValidationError(
                    f"Fecha y hora no válida «{valor}»: use AAAA-MM-DDTHH:MM(+zona) o "
                    "DD/MM/AAAA HH:MM."
                ) from None
    return timezone.make_aware(momento) if timezone.is_naive(momento) else momento


def _decimal(campo) -> Convertidor:
    """A decimal number (`120.5` or `120,5`, or an XLSX number), finite, rounded to the
    field's decimal places; its bounds are the entity's rules."""
    paso = Decimal(1).scaleb(-campo.decimal_places)

    def convertir(raw):
        if isinstance(raw, bool):
            raise ValidationError("Ingrese un número.")
        if isinstance(raw, int | float):
            texto = repr(raw)
        else:
            texto = _texto_sin_nulos(raw).replace(",", ".")
            if not texto:
                raise ValidationError("Ingrese un número.", code="null")
        try:
            numero = Decimal(texto)
        except InvalidOperation:
            raise ValidationError(f"«{texto}» no es un número.") from None
        if not numero.is_finite():
            raise ValidationError("Ingrese un número finito.")
        return numero.quantize(paso)

    return convertir


def _booleano(raw):
    if isinstance(raw, bool):
        return raw
    valor = _texto_sin_nulos(raw).lower()
    if not valor:
        return OMITIR
    if valor in VERDADEROS:
        return True
    if valor in FALSOS:
        return False
    raise ValidationError(f"Valor «{valor}» no válido: use 1/0, sí/no o true/false.")


def canonizar_ubicacion(valores: dict) -> None:
    """departamento/provincia/distrito in their stored spelling when the ubigeo list has them.

    Unknown names stay as written, so the model's check reports them.
    """
    departamento = valores.get("departamento")
    if departamento:
        departamento = ubigeo.canonico_departamento(departamento) or departamento
        valores["departamento"] = departamento
    provincia = valores.get("provincia")
    if provincia and departamento:
        provincia = ubigeo.canonico_provincia(departamento, provincia) or provincia
        valores["provincia"] = provincia
    distrito = valores.get("distrito")
    if distrito and departamento and provincia:
        canonico = ubigeo.canonico_distrito(departamento, provincia, distrito)
        valores["distrito"] = canonico or distrito
