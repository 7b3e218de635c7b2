"""Load added to provider services by writes other than a bandwidth change: a new
connection, one moved to another service or back from BAJA — the same oversubscription rule."""

from collections.abc import Sequence
from dataclasses import dataclass

from ..calculo import calcular_ajuste
from ..choices import EstadoConexion, ModoAjuste
from ..models import Conexion
from ..selectors import servicios_con_capacidad, servicios_por_revertir
from .ancho_de_banda import ErroresDeAjuste
from .bloqueos import bloquear_servicios
from .errores import Sobresuscripcion


@dataclass(frozen=True)
class Carga:
    """Mbps about to be added to a provider service's vendida (a new connection, one moved
    to the service or back from BAJA); `bw_actual`: the connection's Mbps already counted
    there (its calculation's starting figure)."""

    servicio_id: int
    mbps: int
    bw_actual: int = 0


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
    vendida = {pk: s.capacidad_vendida for pk, s in servicios.items()}
    # Capacity a running temporary decrease freed comes back at its fin (as in
    # conexiones_ajustar_bw): selling it now would make that revert fail.
    por_revertir = servicios_por_revertir(servicio_ids)
    errores = {}
    for i, carga in cargas:
        pk = carga.servicio_id
        calculo = calcular_ajuste(
            bw_actual=carga.bw_actual,
            en_baja=False,
            servicio_disponible=disponible[pk],
            servicio_vendida=vendida[pk],
            modo=ModoAjuste.AUMENTAR,
            mbps=carga.mbps,
            servicio_por_revertir=por_revertir.get(pk, 0),
        )
        disponible[pk] = calculo.servicio_disponible_resultante
        vendida[pk] = calculo.servicio_vendida_resultante
        if calculo.sobresuscrito and not confirmar_sobresuscripcion:
            errores[i] = Sobresuscripcion(
                servicio=servicios[pk], mbps=calculo.sobresuscripcion_mbps, calculo=calculo
            )
    if errores:
        raise ErroresDeAjuste(errores)


def verificar_carga(carga: Carga, *, confirmar: bool) -> None:
    try:
        servicios_verificar_carga(cargas=[carga], confirmar_sobresuscripcion=confirmar)
    except ErroresDeAjuste as errores:
        raise errores.errores[0] from None


def carga_de(conexion: Conexion) -> int:
    return 0 if conexion.estado == EstadoConexion.BAJA else conexion.bw_contratado
