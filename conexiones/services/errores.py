"""The services' typed refusals: callers switch on the type, never on a message or a code."""

from dataclasses import asdict

from django.core.exceptions import ValidationError

from isp_portal.validators import CambioPorConfirmar

from ..calculo import CalculoAjuste

CAMPO_CONFIRMAR = "confirmar_sobresuscripcion"


class Sobresuscripcion(CambioPorConfirmar):
    """The change would oversell the provider service `servicio` by `mbps` and was not
    confirmed. `calculo` holds the figures read under the rows' lock (or, for a scheduled
    change, those expected at its inicio). An error of the form's confirmation field."""

    def __init__(self, *, servicio, mbps: int, calculo: CalculoAjuste):
        self.servicio, self.mbps, self.calculo = servicio, mbps, calculo
        super().__init__(
            {
                CAMPO_CONFIRMAR: ValidationError(
                    "El servicio %(servicio)s quedaría sobresuscrito en %(mbps)s Mbps%(cuando)s. "
                    "Confirme para continuar.",
                    code="sobresuscripcion",
                    params={
                        "servicio": servicio.codigo,
                        "mbps": mbps,
                        "por_revertir": calculo.servicio_por_revertir,
                        "cuando": self.cuando,
                    },
                )
            }
        )

    @property
    def cuando(self) -> str:
        """When the service is oversold only once the pending reverts of running temporary
        decreases take their Mbps back, it says so."""
        por_revertir = self.calculo.servicio_por_revertir
        if not por_revertir:
            return ""
        return (
            f" cuando se reviertan los cambios temporales en curso ({por_revertir} Mbps por "
            "devolver)"
        )

    def datos(self) -> dict:
        return {"calculo": asdict(self.calculo)}
