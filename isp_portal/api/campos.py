"""Serializer fields that read JSON strictly: integers are integers (no booleans, fractions or
digits of other scripts), booleans are true/false or 1/0, ids fit the database."""

import math
from datetime import UTC

from django.core.exceptions import ValidationError
from rest_framework import serializers

from isp_portal.enteros import BIGINT_MAX, parse_entero
from isp_portal.fechas import rango_texto, validate_fecha_en_rango

MAX_ID = BIGINT_MAX  # BigAutoField


class Entero(serializers.IntegerField):
    """A JSON integer, or its text (parse_entero), within the 64-bit range; min_value and
    max_value as DRF's."""

    default_error_messages = {"invalid": "Ingrese un número entero."}

    def to_internal_value(self, data):
        if isinstance(data, float) and math.isfinite(data) and data.is_integer():
            data = int(data)
        try:
            return parse_entero(data)
        except ValidationError as error:
            if error.code == "invalid":
                self.fail("invalid")
            raise serializers.ValidationError(error.messages, code=error.code) from None


class Id(Entero):
    """The id of a row: a positive integer the database can hold."""

    default_error_messages = {
        "invalid": "Ingrese el id como un número entero.",
        "min_value": "Ingrese un id válido (entero positivo).",
        "max_value": "Ingrese un id válido (entero positivo).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class Booleano(serializers.BooleanField):
    """true/false or 1/0 (also as text), as the source documents' `is_active`."""

    default_error_messages = {"invalid": "Use true/false o 1/0."}
    VALORES = {"true": True, "1": True, "false": False, "0": False}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, int) and data in (0, 1):
            return bool(data)
        if isinstance(data, str) and data.strip().lower() in self.VALORES:
            return self.VALORES[data.strip().lower()]
        self.fail("invalid")


class Opcion(serializers.ChoiceField):
    default_error_messages = {"invalid_choice": "Elija una de las opciones: {opciones}."}

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except (KeyError, TypeError):
            self.fail("invalid_choice", opciones=", ".join(map(str, self.choices)))


class Texto(serializers.CharField):
    """Text is a JSON string (a number is not silently turned into one)."""

    default_error_messages = {"invalid": "Envíe un texto."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Fecha(serializers.DateField):
    """A date (AAAA-MM-DD) within the site's range (isp_portal.fechas)."""

    default_validators = [validate_fecha_en_rango]


class Momento(serializers.DateTimeField):
    """A moment (ISO 8601; without a zone, the site's) within the site's range. Shown in the
    site's time zone, or in UTC when that zone cannot hold a stored one (near year 1): DRF
    answered that with an error."""

    default_validators = [validate_fecha_en_rango]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A moment whose offset moves it past Python's years (DRF's own check).
        self.error_messages["overflow"] = (
            f"La fecha está fuera del rango admitido ({rango_texto()})."
        )

    def enforce_timezone(self, value):
        # DRF's own check converts to UTC: 9999-12-31T23:59 in Lima overflowed there.
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")

    def to_representation(self, value):
        try:
            return super().to_representation(value)
        except (serializers.ValidationError, OverflowError):
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
