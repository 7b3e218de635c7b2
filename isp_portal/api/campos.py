"""Serializer fields that read JSON strictly: integers are integers (no booleans, fractions or
digits of other scripts), booleans are true/false or 1/0, ids fit the database."""

import math

from rest_framework import serializers

MAX_ID = 2**63 - 1  # BigAutoField


class Entero(serializers.IntegerField):
    default_error_messages = {"invalid": "Ingrese un número entero."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, float) and math.isfinite(data) and data.is_integer():
            data = int(data)
        if isinstance(data, str):
            texto = data.strip()
            digitos = texto.removeprefix("-")
            if not (digitos.isascii() and digitos.isdigit() and len(digitos) <= 30):
                self.fail("invalid")
            data = int(texto)
        if not isinstance(data, int):
            self.fail("invalid")
        return data


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
