"""Load added to provider services by writes other than a bandwidth change: a new
connection, one moved to another service or back from BAJA — the same oversubscription rule."""

from collections.abc import Sequence
from dataclasses import dataclass

from ..choices import EstadoConexion
from ..models import Conexion
from ..selectors import servicios_con_capacidad
from .ancho_de_banda import ErroresDeAjuste, error_sobresuscripcion
from .bloqueos import bloquear_servicios


@dataclass(frozen=True)
class Carga:
    """Mbps about to be added to a provider service's vendida (a new connection, one moved
    to the service or back from BAJA)."""

    servicio_id: int
    mbps: int


def servicios_verificar_carga(
    *, cargas: Sequence[Carga], confirmar_sobresuscripcion: bool = False
) -> None:
    """Lock the services (pk order) and refuse load that would oversell them, unless
    confirmed: ErroresDeAjuste {position: error} for each load that tips its service over.

    Call it before writing the load, inside the writer's transaction, so the services stay
    locked until the write commits.
    """
    # Positions stay those of `cargas`: loads of no service or no Mbps are skipped in place.
    cargas = [(i, c) for i, c in enumerate(cargas) if c.servicio_id is not None and c.mbps > 0]
    if not cargas:
        return
    servicio_ids = {c.servicio_id for _, c in cargas}
    bloquear_servicios(servicio_ids)
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    disponible = {pk: s.capacidad_disponible for pk, s in servicios.items()}
    errores = {}
    for i, carga in cargas:
        disponible[carga.servicio_id] -= carga.mbps
        if disponible[carga.servicio_id] < 0 and not confirmar_sobresuscripcion:
            codigo = servicios[carga.servicio_id].codigo
            errores[i] = error_sobresuscripcion(codigo, -disponible[carga.servicio_id])
    if errores:
        raise ErroresDeAjuste(errores)


def verificar_carga(carga: Carga, *, confirmar: bool) -> None:
    try:
        servicios_verificar_carga(cargas=[carga], confirmar_sobresuscripcion=confirmar)
    except ErroresDeAjuste as errores:
        raise errores.errores[0] from None


def carga_de(conexion: Conexion) -> int:
    return 0 if conexion.estado == EstadoConexion.BAJA else conexion.bw_contratado
