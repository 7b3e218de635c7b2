"""What full_clean() says of an instance, for the model tests."""

from django.core.exceptions import ValidationError


def errores(instancia, **kwargs) -> dict[str, list[str]]:
    """The message dict of full_clean(), or {} when the instance is valid."""
    try:
        instancia.full_clean(**kwargs)
    except ValidationError as e:
        return e.message_dict
    return {}


def mensajes(instancia) -> list[str]:
    """Every message of full_clean(), of any field."""
    return [m for lista in errores(instancia).values() for m in lista]
