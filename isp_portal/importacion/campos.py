"""Cell converters: a raw spreadsheet cell → the value stored, or a Spanish ValidationError.

They are the import's hot path, so the common case is checked by hand; whenever a value
fails a quick check, the model field itself (`field.clean`) produces the error, so messages
are exactly the forms' and models' ones.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from operator import mul

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models

from isp_portal import ubigeo
from isp_portal.validators import normalizar_ruc, validate_digitos, validate_ruc


class _Omitir:
    """A blank cell of a column with a default: keep the current (or default) value."""

    def __repr__(self):
        return "OMITIR"


OMITIR = _Omitir()

VERDADEROS = {"1", "si", "sí", "s", "true", "t", "verdadero", "v", "x", "activo", "yes", "y"}
FALSOS = {"0", "no", "n", "false", "f", "falso", "inactivo"}
FORMATOS_FECHA = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y")

Convertidor = Callable[[object], object]

# The forms' rule; PostgreSQL could not store the character either.
sin_caracteres_nulos = ProhibitNullCharactersValidator()
_SEPARADORES_RUC = re.compile(r"[\s.\-]+")
_PREFIJOS_RUC = frozenset({"10", "15", "17", "20"})  # as stdnum.pe.ruc
_PESOS_RUC = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_CEROS_RUC = 48 * sum(_PESOS_RUC)


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


def _error_del_campo(campo: models.Field, valor) -> ValidationError:
    """The model field's own error for `valor` (the messages the forms show)."""
    try:
        campo.clean(valor, None)
    except ValidationError as error:
        return error
    return ValidationError("Valor no válido.")


def convertidor_texto(campo: models.CharField, *, normalizar=None) -> Convertidor:
    maximo = campo.max_length
    permite_vacio = campo.blank
    # MaxLengthValidator, validate_ruc and validate_digitos are checked by hand below.
    lentos = [
        v
        for v in campo.validators
        if v not in (validate_ruc, validate_digitos) and not isinstance(v, MaxLengthValidator)
    ]
    es_ruc = validate_ruc in campo.validators
    solo_digitos = validate_digitos in campo.validators

    def convertir(raw):
        valor = raw.strip() if raw.__class__ is str else texto(raw)  # CSV cells are str
        if "\x00" in valor:
            sin_caracteres_nulos(valor)
        if normalizar is not None:
            valor = normalizar(valor)
        if not valor:
            if permite_vacio:
                return valor
            raise _error_del_campo(campo, valor)
        if maximo is not None and len(valor) > maximo:
            raise _error_del_campo(campo, valor)
        if es_ruc and not ruc_valido_rapido(valor):
            validate_ruc(valor)  # raises the model's message
        if solo_digitos and not (valor.isascii() and valor.isdigit()):
            validate_digitos(valor)
        for validador in lentos:
            validador(valor)
        return valor

    return convertir


def compactar_ruc(valor: str) -> str:
    """RUC without spaces, dots or dashes ("20.100.017-491" → "20100017491")."""
    if len(valor) == 11 and valor.isdigit():
        return valor
    return normalizar_ruc(_SEPARADORES_RUC.sub("", valor))


def ruc_valido_rapido(valor: str) -> bool:
    """The common case of validate_ruc without exceptions; False sends it to validate_ruc."""
    if not (len(valor) == 11 and valor.isascii() and valor.isdigit()):
        return False
    # ASCII codes instead of int() per digit: each weighted "0" adds 48 × its weight.
    suma = sum(map(mul, _PESOS_RUC, valor.encode())) - _CEROS_RUC
    return valor[:2] in _PREFIJOS_RUC and ord(valor[10]) - 48 == (11 - suma % 11) % 10


def convertidor_ruc(campo: models.CharField) -> Convertidor:
    """RUC with spaces, dots or dashes compacted before the checks (20 100 017 491)."""
    return convertidor_texto(campo, normalizar=compactar_ruc)


def convertidor_opcion(campo: models.Field, *, traducir=None) -> Convertidor:
    """A choice matched by value or label, ignoring case and accents ("activo" → "ACTIVO")."""
    opciones: dict[str, str] = {}
    for valor, etiqueta in campo.flatchoices:
        opciones.setdefault(ubigeo.normalizar(etiqueta), valor)
    for valor, _ in campo.flatchoices:
        opciones[ubigeo.normalizar(valor)] = valor
    tiene_default = campo.has_default()

    def convertir(raw):
        valor = texto(raw)
        if traducir is not None:
            valor = traducir(valor)
        if not valor:
            if campo.blank:
                return ""
            if tiene_default:
                return OMITIR
            raise _error_del_campo(campo, valor)
        encontrado = opciones.get(ubigeo.normalizar(valor))
        if encontrado is None:
            raise _error_del_campo(campo, valor)
        return encontrado

    return convertir


def convertidor_entero(campo: models.Field) -> Convertidor:
    minimo = 0 if isinstance(campo, models.PositiveIntegerField) else None

    def convertir(raw):
        if isinstance(raw, bool):
            raise _error_del_campo(campo, str(raw))
        if isinstance(raw, int):
            valor = raw
        elif isinstance(raw, float) and raw.is_integer():
            valor = int(raw)
        else:
            crudo = texto(raw)
            if not crudo:
                return OMITIR
            if crudo.isascii() and crudo.isdigit():
                valor = int(crudo)
            else:
                try:
                    numero = float(crudo.replace(",", "."))
                except ValueError:
                    raise _error_del_campo(campo, crudo) from None
                if not numero.is_integer():
                    raise ValidationError(f"«{crudo}» no es un número entero de Mbps.")
                valor = int(numero)
        if minimo is not None and valor < minimo:
            raise _error_del_campo(campo, valor)
        return valor

    return convertir


def _fecha_rapida(valor: str) -> date | None:
    """AAAA-MM-DD and DD/MM/AAAA without strptime (slow on 100k rows); None otherwise."""
    try:
        if len(valor) == 10 and valor[4] == "-" and valor[7] == "-":
            return date(int(valor[:4]), int(valor[5:7]), int(valor[8:]))
        if len(valor) == 10 and valor[2] == "/" and valor[5] == "/":
            return date(int(valor[6:]), int(valor[3:5]), int(valor[:2]))
    except ValueError:
        return None
    return None


def convertidor_fecha(campo: models.DateField) -> Convertidor:
    def convertir(raw):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        valor = texto(raw)
        if not valor:
            if campo.null:
                return None
            raise _error_del_campo(campo, None)
        valor = valor.split(" ")[0].split("T")[0]
        fecha = _fecha_rapida(valor)
        if fecha is not None:
            return fecha
        for formato in FORMATOS_FECHA:
            try:
                return datetime.strptime(valor, formato).date()
            except ValueError:
                continue
        raise ValidationError(f"Fecha no válida «{valor}»: use AAAA-MM-DD o DD/MM/AAAA.")

    return convertir


def convertidor_booleano(campo: models.BooleanField) -> Convertidor:
    def convertir(raw):
        if isinstance(raw, bool):
            return raw
        valor = texto(raw).lower()
        if not valor:
            return OMITIR
        if valor in VERDADEROS:
            return True
        if valor in FALSOS:
            return False
        raise ValidationError(f"Valor «{valor}» no válido: use 1/0, sí/no o true/false.")

    return convertir


def convertidor_para(campo: models.Field) -> Convertidor:
    """The converter of a model field, by its type."""
    if campo.choices:
        return convertidor_opcion(campo)
    if isinstance(campo, models.BooleanField):
        return convertidor_booleano(campo)
    if isinstance(campo, models.DateField) and not isinstance(campo, models.DateTimeField):
        return convertidor_fecha(campo)
    if isinstance(campo, models.IntegerField):
        return convertidor_entero(campo)
    if isinstance(campo, models.CharField | models.TextField):
        if validate_ruc in campo.validators:
            return convertidor_ruc(campo)
        return convertidor_texto(campo)
    raise TypeError(f"Sin convertidor para {campo!r}")


def convertidor_referencia(*, normalizar=None) -> Convertidor:
    """A natural key of a related row (RUC, nombre, código): text, resolved per batch."""

    def convertir(raw):
        valor = texto(raw)
        if "\x00" in valor:
            sin_caracteres_nulos(valor)
        return normalizar(valor) if normalizar and valor else valor

    return convertir


def canonizar_ubicacion(valores: dict) -> None:
    """departamento/provincia/distrito in their stored spelling when the ubigeo list has them.

    Unknown names stay as written so the model's check reports them.
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
