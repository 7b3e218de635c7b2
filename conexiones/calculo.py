"""The bandwidth arithmetic: what a change does to a connection and its provider service.

Pure figures, no database: the bandwidth service checks and writes them
(conexiones.services.ancho_de_banda) and the previews show them (conexiones.selectors).
"""

from dataclasses import dataclass

from isp_portal.validators import bw_maximo

from .choices import ModoAjuste

BW_MINIMO = 1


@dataclass(frozen=True)
class CalculoAjuste:
    """What a bandwidth change does to a connection and to its provider service (Mbps).

    The `*_resultante` figures are None while the change is not known yet (the preview of a
    modal with no Mbps typed); the service figures are None for a connection without one.
    """

    bw_actual: int
    bw_resultante: int | None
    servicio_disponible_actual: int | None
    servicio_disponible_resultante: int | None
    servicio_vendida_actual: int | None
    servicio_vendida_resultante: int | None

    @property
    def aumenta(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante > self.bw_actual

    @property
    def sobresuscrito(self) -> bool:
        """An increase that leaves the provider service with less than nothing available."""
        return (
            self.aumenta
            and self.servicio_disponible_resultante is not None
            and self.servicio_disponible_resultante < 0
        )

    @property
    def sobresuscripcion_mbps(self) -> int:
        """By how many Mbps the provider service would be oversold (0 if it would not)."""
        return -self.servicio_disponible_resultante if self.sobresuscrito else 0

    @property
    def bajo_minimo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante < BW_MINIMO

    @property
    def bw_maximo(self) -> int:
        """The bound of the model's bw_contratado (settings.BW_MAXIMO_MBPS)."""
        return bw_maximo()

    @property
    def sobre_maximo(self) -> bool:
        return self.bw_resultante is not None and self.bw_resultante > self.bw_maximo


def calcular_ajuste(
    *,
    bw_actual: int,
    en_baja: bool,
    servicio_disponible: int | None,
    servicio_vendida: int | None,
    modo: str | None,
    mbps: int | None,
) -> CalculoAjuste:
    """The figures of raising (AUMENTAR) or lowering (DISMINUIR) a connection by `mbps`.

    A connection in BAJA is not counted in its service's vendida, so its change would not
    move the service's figures (and it cannot be adjusted anyway: verificar_ajuste).
    """
    delta = None
    if mbps is not None and modo in ModoAjuste.values:
        delta = mbps if modo == ModoAjuste.AUMENTAR else -mbps
    carga = 0 if delta is None or en_baja else delta
    conocido = delta is not None
    return CalculoAjuste(
        bw_actual=bw_actual,
        bw_resultante=bw_actual + delta if conocido else None,
        servicio_disponible_actual=servicio_disponible,
        servicio_disponible_resultante=(
            servicio_disponible - carga if conocido and servicio_disponible is not None else None
        ),
        servicio_vendida_actual=servicio_vendida,
        servicio_vendida_resultante=(
            servicio_vendida + carga if conocido and servicio_vendida is not None else None
        ),
    )
