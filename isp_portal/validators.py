"""Validators shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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
    if not compact.isdigit():
        raise ValidationError("El RUC solo admite dígitos.", code="ruc_digitos")
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


validate_digitos = RegexValidator(r"^\d+$", "Solo se admiten dígitos.", code="solo_digitos")


def validate_telefono(value: str) -> None:
    """A phone number as people write it: digits with spaces, dots, dashes, parentheses and
    a leading +; from 6 digits (a local number) to 15 (the longest international one)."""
    digitos = sum(c.isdigit() for c in value)
    if not re.fullmatch(r"\+?[\d\s().-]+", value) or not 6 <= digitos <= 15:
        raise ValidationError(
            "Ingrese un teléfono de 6 a 15 dígitos (se aceptan espacios, guiones, "
            "paréntesis y un + inicial).",
            code="telefono",
        )
