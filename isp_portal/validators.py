"""Validators shared by every app."""

import re
import unicodedata

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.pe import ruc as stdnum_ruc
from stdnum.util import clean


def normalizar_ruc(value: str) -> str:
    """RUC without spaces, dots or dashes, as stored."""
    value = value or ""
    if value.isascii() and value.isdigit():
        return value  # already compact: stdnum's clean() costs on large imports
    return clean(value, " .-").strip()


def validate_ruc(value: str) -> None:
    """An 11-digit Peruvian RUC with a valid check digit."""
    compact = normalizar_ruc(value)
    if not (compact.isascii() and compact.isdigit()):
        raise ValidationError("El RUC solo admite dígitos del 0 al 9.", code="ruc_digitos")
    if len(compact) != 11:
        raise ValidationError(
            "El RUC debe tener 11 dígitos (tiene %(n)s).",
            code="ruc_longitud",
            params={"n": len(compact)},
        )
    try:
        stdnum_ruc.validate(compact)
    except StdnumValidationError:
        raise ValidationError(
            "El RUC %(ruc)s no es válido: su dígito verificador no corresponde.",
            code="ruc_invalido",
            params={"ruc": compact},
        ) from None


# --- CIDs -------------------------------------------------------------------------------------
# `\d` and str.isdigit() take the digits of every script ("٣٣٣", "１３１"): a CID is ASCII so
# it sorts, searches and prefixes the connections' CIDs alike. Full-width and other
# compatibility digits become ASCII first (normalizar_cid, the CID fields' to_python); what
# NFKC leaves (Arabic-Indic digits…) is refused.


def normalizar_cid(value: str) -> str:
    """A CID as stored: NFKC ("１３１" → "131", "ＡＢ－１" → "AB-1")."""
    if not value or value.isascii():
        return value
    return unicodedata.normalize("NFKC", value)


validate_cid = RegexValidator(
    r"\A[0-9]+\Z", "El CID solo admite dígitos del 0 al 9.", code="cid_digitos"
)
validate_cid_enlace = RegexValidator(
    r"\A[A-Za-z0-9._-]+\Z",
    "El CID solo admite letras sin tilde (A-Z), dígitos (0-9), guiones (-), guiones bajos (_) "
    "y puntos.",
    code="cid_caracteres",
)


# --- Bandwidth bounds (Mbps) --------------------------------------------------------------------
# settings.BW_MAXIMO_MBPS bounds a connection's BW, CAPACIDAD_MAXIMA_MBPS a provider service's
# capacity; read at each check, so the setting can change without a migration. The database's
# CheckConstraints hold these ceilings instead (a constraint cannot read settings): the
# setting may lower the bound freely, while raising it above BW_TECHO_MBPS needs a migration
# that raises these constants (the system check isp_portal.E001 refuses it otherwise).
BW_TECHO_MBPS = 100_000
CAPACIDAD_TECHO_MBPS = 10 * BW_TECHO_MBPS


def bw_maximo() -> int:
    """The most Mbps one connection may have."""
    return settings.BW_MAXIMO_MBPS


def capacidad_maxima() -> int:
    """The most Mbps a provider service may have contracted."""
    return settings.CAPACIDAD_MAXIMA_MBPS


# Model field validators (forms, imports and services read them from the field). The limit
# is the function, so migrations store its name, not the figure of the day.
validate_bw_maximo = MaxValueValidator(
    bw_maximo, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por conexión."
)
# A connection has at least 1 Mbps (an import without the column must not create one at 0).
BW_MINIMO_MBPS = 1
MENSAJE_BW_MINIMO = "Ingrese un número entero de Mbps mayor que cero."
validate_bw_minimo = MinValueValidator(BW_MINIMO_MBPS, MENSAJE_BW_MINIMO)
validate_capacidad_maxima = MaxValueValidator(
    capacidad_maxima,
    "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por servicio.",
)


def validate_telefono(value: str) -> None:
    """A phone number as people write it: digits with spaces, dots, dashes, parentheses and
    a leading +; from 6 digits (a local number) to 15 (the longest international one). ASCII
    digits only, as CIDs: a dialler does not read "٣"."""
    digitos = sum(c in "0123456789" for c in value)
    if not re.fullmatch(r"\+?[0-9 ().-]+", value) or not 6 <= digitos <= 15:
        raise ValidationError(
            "Ingrese un teléfono de 6 a 15 dígitos (se aceptan espacios, guiones, "
            "paréntesis y un + inicial).",
            code="telefono",
        )


def verificar_bw_maximo(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: BW_MAXIMO_MBPS within the database's ceiling, else every write above
    the ceiling would pass the validators and fail in the database."""
    maximo = settings.BW_MAXIMO_MBPS
    if isinstance(maximo, int) and 1 <= maximo <= BW_TECHO_MBPS:
        return []
    return [
        checks.Error(
            f"BW_MAXIMO_MBPS={maximo!r}: debe ser un entero de 1 a {BW_TECHO_MBPS}.",
            hint="Para subirlo por encima, suba BW_TECHO_MBPS (isp_portal/validators.py) y "
            "cree la migración de las restricciones de conexiones y proveedores.",
            id="isp_portal.E001",
        )
    ]


class CambioPorConfirmar(ValidationError):
    """A change that breaks no rule but needs the user's confirmation (it oversells a provider
    service): a form shows it as an error of its confirmation field; the API answers it 409
    with `datos()` beside the messages (isp_portal.api.errores)."""

    def datos(self) -> dict:
        return {}
