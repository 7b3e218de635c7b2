"""The one integer parser of the site: every integer read from a URL, a query string, a form,
an API request or an imported file goes through `parse_entero`.

Python's int() is too lenient for input: it reads digits of any script (int("١٢") is 12,
and "²".isdigit() is True though int("²") fails) and refuses texts of more than 4,300
digits with a ValueError; the database refuses a number its column cannot hold. Each of those
was a server error somewhere. Here an integer is ASCII digits with an optional sign, within
the bounds given (by default the 64-bit column range of ids and BigIntegerField).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1  # BigAutoField (every id), BigIntegerField
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # IntegerField; PositiveIntegerField from 0

MENSAJE_INVALIDO = "Ingrese un número entero (solo dígitos 0-9)."


def parse_entero(
    valor, *, minimo: int = BIGINT_MIN, maximo: int = BIGINT_MAX, mensajes: dict | None = None
) -> int:
    """`valor` (text or int) as an int from `minimo` to `maximo`, or a Spanish
    ValidationError: code "invalid", or "min_value"/"max_value" with `limit_value` (Django's
    own messages, as the model's validators say them). `mensajes` replaces a code's message,
    as a field's error_messages do."""
    mensajes = mensajes or {}
    if isinstance(valor, int) and not isinstance(valor, bool):
        numero = valor
    else:
        texto = valor.strip() if isinstance(valor, str) else ""
        digitos = texto[1:] if texto[:1] in ("+", "-") else texto
        if not (digitos.isascii() and digitos.isdigit()):
            raise ValidationError(
                mensajes.get("invalid", MENSAJE_INVALIDO),
                code="invalid",
                params={"value": valor},
            )
        # More digits than the bounds have is out of range: not converted (int() would
        # refuse 4,301 digits, and 4,300 cost time for nothing).
        significativos = digitos.lstrip("0") or "0"
        negativo = texto.startswith("-")
        if len(significativos) > len(str(max(abs(minimo), abs(maximo)))):
            numero = minimo - 1 if negativo else maximo + 1
        else:
            numero = -int(significativos) if negativo else int(significativos)
    for validador in (MinValueValidator(minimo), MaxValueValidator(maximo)):
        try:
            validador(numero)
        except ValidationError as error:
            if error.code in mensajes:
                error.message = mensajes[error.code]
            if not isinstance(valor, int):
                # The number as given (shortened), not the bound ± 1 that stood for it.
                dado = texto if len(texto) <= 30 else f"{texto[:29]}…"
                error.params.update(show_value=dado, value=dado)
            raise
    return numero


def id_o_none(valor) -> int | None:
    """The row id in `valor` (a query parameter, a form's raw data), or None when it is
    missing or cannot be one (then it matches no row)."""
    try:
        return parse_entero(valor, minimo=1)
    except ValidationError:
        return None


def rango_columna(campo: models.Field) -> tuple[int, int]:
    """The values the column of an integer model field holds in PostgreSQL (Django's
    portable ranges: SQLite would take 64 bits in every column, so a test there would accept
    what production refuses)."""
    rangos = BaseDatabaseOperations.integer_field_ranges
    return rangos.get(campo.get_internal_type(), (BIGINT_MIN, BIGINT_MAX))


def limite(validador) -> int:
    """A Min/MaxValueValidator's bound, read now: it can be a setting (validators.bw_maximo)."""
    valor = validador.limit_value
    return valor() if callable(valor) else valor


def parse_entero_de_campo(valor, campo: models.Field, mensajes: dict | None = None) -> int:
    """parse_entero within the tightest bounds of a model integer field, its column's range
    and its own validators (BW_MAXIMO_MBPS…), each with its message: what a form and an
    import say of the same number."""
    minimo, maximo = rango_columna(campo)
    minimos = [MinValueValidator(minimo)]
    minimos += [v for v in campo.validators if isinstance(v, MinValueValidator)]
    maximos = [MaxValueValidator(maximo)]
    maximos += [v for v in campo.validators if isinstance(v, MaxValueValidator)]
    cota_minima, cota_maxima = max(minimos, key=limite), min(maximos, key=limite)
    return parse_entero(
        valor,
        minimo=limite(cota_minima),
        maximo=limite(cota_maxima),
        mensajes={
            "min_value": cota_minima.message,
            "max_value": cota_maxima.message,
            **(mensajes or {}),
        },
    )


class IdConverter:
    """`<id:pk>` in URL patterns: a row id the id columns can hold (1 to 2⁶³−1). Any other
    number matches no URL, a 404 as for a missing row; Django's `<int:>` took 20 digits and
    passed them on to a query the database refused."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        try:
            return parse_entero(value, minimo=1)
        except ValidationError:
            raise ValueError(value) from None

    def to_url(self, value) -> str:
        return str(value)
