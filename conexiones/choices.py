from django.db import models


class TipoServicio(models.TextChoices):
    """`Conexion.tipo_enlace`: the service sold to the client ("Tipo de servicio")."""

    INTERNET = "Internet", "Internet"
    IPVPN = "IPVPN", "IPVPN"
    FIBRA_OSCURA = "Fibra Oscura", "Fibra Oscura"
    SEGURIDAD_PERIMETRAL = "Seguridad Perimetral", "Seguridad Perimetral"
    TELEFONIA_IP = "Telefonia IP", "Telefonía IP"
    INTERNET_P2P = "Internet P2P", "Internet P2P"
    VPN = "VPN", "VPN"
    TRANSPORTE = "Transporte", "Transporte"
    TRANSITO_IP = "Transito IP", "Tránsito IP"
    CABLEADO_ESTRUCTURADO = "Cableado estructurado", "Cableado estructurado"


class ModalidadEnlace(models.TextChoices):
    """`Conexion.modalidad_enlace`: the physical link ("Tipo de enlace" / "Modalidad")."""

    P2P = "P2P", "P2P"
    FIBRA_OSCURA = "Fibra Oscura", "Fibra Oscura"
    GPON = "GPON", "GPON"
    SATELITAL = "Satelital", "Satelital"


class EstadoConexion(models.TextChoices):
    PENDIENTE = "PENDIENTE", "Pendiente"
    ACTIVO = "ACTIVO", "Activo"
    SUSPENDIDO = "SUSPENDIDO", "Suspendido"
    DOWN = "DOWN", "Down"
    BAJA = "BAJA", "Baja"

    @classmethod
    def desde_fuente(cls, valor: str) -> str:
        """Map the old system's values (INACTIVO) onto ours."""
        valor = (valor or "").strip().upper()
        return cls.SUSPENDIDO if valor == "INACTIVO" else valor


class ModoAjuste(models.TextChoices):
    AUMENTAR = "AUMENTAR", "Aumentar"
    DISMINUIR = "DISMINUIR", "Disminuir"


class TipoNodo(models.TextChoices):
    POP = "POP", "POP"
    TORRE = "Torre", "Torre"
    DATA_CENTER = "Data Center", "Data Center"
    OLT = "OLT", "OLT"
    CLIENTE = "Cliente", "Cliente"
    OTRO = "Otro", "Otro"


class TipoEquipo(models.TextChoices):
    ROUTER = "Router", "Router"
    SWITCH = "Switch", "Switch"
    ONT = "ONT", "ONT"
    RADIO = "Radio", "Radio"
    FIREWALL = "Firewall", "Firewall"
    MEDIA_CONVERTER = "Conversor de medios", "Conversor de medios"
    OTRO = "Otro", "Otro"


class EstadoAjusteProgramado(models.TextChoices):
    """Where a scheduled bandwidth change stands (AjusteProgramado.estado)."""

    PENDIENTE = "PENDIENTE", "Pendiente"
    # Applied at inicio; a temporary change stays APLICADO until it is reverted at fin.
    APLICADO = "APLICADO", "Aplicado"
    REVERTIDO = "REVERTIDO", "Revertido"
    CANCELADO = "CANCELADO", "Cancelado"
    # Its rules failed when applied (nothing written) or when reverted at fin (the change
    # stays applied: see AjusteProgramado.reversion_fallida, to retry or resolve).
    FALLIDO = "FALLIDO", "Fallido"
    # A temporary change whose whole period passed while no scheduler ran: never applied,
    # nothing to revert; the connection stayed as it was. Not a failure of its rules.
    VENCIDO = "VENCIDO", "Vencido sin aplicar"
    # A failed revert an operator closed without reverting (the nota says why and who).
    RESUELTO = "RESUELTO", "Resuelto sin revertir"
