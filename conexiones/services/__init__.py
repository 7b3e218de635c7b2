"""Writes of connections, each rule in one place, one module per concern.

- `ancho_de_banda`: every change of bw_contratado (Ajustar BW, the edit form, imports, the
  admin, the API, the scheduler) and its ledger (AjusteBW), on the figures of
  `conexiones.calculo`.
- `capacidad`: load added to a provider service some other way (a new connection, one moved
  to another service or back from BAJA), with the same oversubscription rule.
- `cids`: the client's sequence of connection CIDs.
- `conexiones`: creating and editing connections.
- `programados`: scheduled and temporary changes and the scheduler.
- `bloqueos`: the row locks, always in one order (clients, provider services, connections,
  equipment, each by primary key) so concurrent writers cannot deadlock.
- `permisos`: the one permission check.
- `utilizacion`: monitoring readings (every way in), the connection's bw_utilizado, the
  hourly roll-ups, the saturation percentiles and the readings' partitions.

Read-only previews (the Ajustar BW modal's, a scheduled change's) are selectors.
"""

from ..calculo import BW_MINIMO, CalculoAjuste, calcular_ajuste
from ..models import CID_REPETIDO
from .ancho_de_banda import (
    MOTIVO_MAXIMO,
    ErroresDeAjuste,
    PedidoAjuste,
    conexion_ajustar_bw,
    conexiones_ajustar_bw,
    verificar_ajuste,
)
from .bloqueos import clientes_bloquear, conexiones_bloquear
from .capacidad import Carga, servicios_verificar_carga
from .cids import (
    SECUENCIA_DIGITOS,
    conexion_siguiente_cid,
    conexiones_asignar_cids,
    error_cid_de_cliente,
    prefijo_de_cid,
    siguientes_cids,
)
from .conexiones import (
    CAMPOS_EDITABLES,
    MOTIVO_EDICION,
    conexion_actualizar,
    conexion_crear,
    equipos_asignar,
)
from .errores import Sobresuscripcion
from .permisos import PERMISO_AJUSTAR_BW, exigir_permiso
from .programados import (
    EjecucionProgramador,
    ajuste_programado_cancelar,
    ajuste_programado_crear,
    ajuste_programado_reintentar,
    ajuste_programado_resolver,
    ajustes_programados_aplicar,
)
from .utilizacion import (
    ANTICIPO_MAXIMO,
    LOTE_MAXIMO,
    Lectura,
    MuestrasInvalidas,
    Registro,
    lecturas_validar,
    muestras_cargar,
    muestras_registrar,
    particiones_asegurar,
    particiones_mantener,
    utilizacion_consolidar,
    utilizacion_percentiles,
)

__all__ = [
    "ANTICIPO_MAXIMO",
    "LOTE_MAXIMO",
    "Lectura",
    "MuestrasInvalidas",
    "Registro",
    "lecturas_validar",
    "muestras_cargar",
    "muestras_registrar",
    "particiones_asegurar",
    "particiones_mantener",
    "utilizacion_consolidar",
    "utilizacion_percentiles",
    "BW_MINIMO",
    "CAMPOS_EDITABLES",
    "CID_REPETIDO",
    "MOTIVO_EDICION",
    "MOTIVO_MAXIMO",
    "PERMISO_AJUSTAR_BW",
    "SECUENCIA_DIGITOS",
    "CalculoAjuste",
    "Carga",
    "EjecucionProgramador",
    "ErroresDeAjuste",
    "PedidoAjuste",
    "ajuste_programado_cancelar",
    "ajuste_programado_crear",
    "ajuste_programado_reintentar",
    "ajuste_programado_resolver",
    "ajustes_programados_aplicar",
    "calcular_ajuste",
    "clientes_bloquear",
    "conexion_actualizar",
    "conexion_ajustar_bw",
    "conexion_crear",
    "conexion_siguiente_cid",
    "conexiones_ajustar_bw",
    "conexiones_asignar_cids",
    "conexiones_bloquear",
    "equipos_asignar",
    "error_cid_de_cliente",
    "Sobresuscripcion",
    "exigir_permiso",
    "prefijo_de_cid",
    "servicios_verificar_carga",
    "siguientes_cids",
    "verificar_ajuste",
]
