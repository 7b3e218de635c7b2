from django.db import models


class ModalidadServicio(models.TextChoices):
    FIBRA_OPTICA = "Fibra Óptica", "Fibra Óptica"
    RADIOENLACE = "Radioenlace", "Radioenlace"
    SATELITAL = "Satelital", "Satelital"
    GPON = "GPON", "GPON"
    COBRE = "Cobre", "Cobre"


class EstadoServicio(models.TextChoices):
    ACTIVO = "ACTIVO", "Activo"
    SUSPENDIDO = "SUSPENDIDO", "Suspendido"
    BAJA = "BAJA", "Baja"
