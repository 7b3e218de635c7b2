from django.db import models


class EstadoCliente(models.TextChoices):
    """Filter values of the client list (`?estado=`)."""

    ACTIVO = "activo", "Activo"
    INACTIVO = "inactivo", "Inactivo"
