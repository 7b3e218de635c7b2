"""The pull from Prometheus-compatible storage (Prometheus, Thanos, Mimir, VictoriaMetrics:
all serve its HTTP API): one range query per direction for every link at once, each series
carrying the connection's CID in a label; the readings go through the utilisation service.

The HTTP API is plain JSON over GET (`/api/v1/query_range`), read with the standard library.
"""

import json
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings

from .services import LOTE_MAXIMO, MuestrasInvalidas, muestras_cargar

PASO = timedelta(minutes=5)
# Prometheus answers at most 11 000 points per series: ranges are read in windows of a week
# (2 016 steps), which also bounds the readings held at once.
VENTANA = timedelta(days=7)
TIEMPO_DE_ESPERA = 60  # seconds per query


class ErrorDePrometheus(Exception):
    pass


@dataclass
class Lectura:
    guardadas: int = 0
    desconocidas: set[str] = field(default_factory=set)
    descartadas: int = 0  # a step with one direction missing or not a number
    consultas: int = 0


def alinear(momento: datetime) -> datetime:
    """Down to the five-minute mark, so readings land where the pushed ones do."""
    segundos = int(momento.timestamp())
    return datetime.fromtimestamp(segundos - segundos % int(PASO.total_seconds()), tz=UTC)


def _consultar(url: str, consulta: str, desde: datetime, hasta: datetime) -> list[dict]:
    parametros = urllib.parse.urlencode(
        {
            "query": consulta,
            "start": f"{desde.timestamp():.3f}",
            "end": f"{hasta.timestamp():.3f}",
            "step": f"{int(PASO.total_seconds())}s",
        }
    )
    pedido = urllib.request.Request(
        f"{url.rstrip('/')}/api/v1/query_range?{parametros}",
        headers={"Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(pedido, timeout=TIEMPO_DE_ESPERA) as respuesta:
            cuerpo = json.load(respuesta)
    except (OSError, ValueError) as error:
        raise ErrorDePrometheus(f"No se pudo consultar {url}: {error}") from error
    if cuerpo.get("status") != "success":
        raise ErrorDePrometheus(f"Prometheus respondió: {cuerpo.get('error', cuerpo)}")
    datos = cuerpo.get("data", {})
    if datos.get("resultType") != "matrix":
        raise ErrorDePrometheus("La consulta no devuelve una serie por enlace (matrix).")
    return datos.get("result", [])


def _por_cid(series: list[dict], etiqueta: str) -> dict[tuple[str, float], str]:
    valores = {}
    for serie in series:
        cid = serie.get("metric", {}).get(etiqueta)
        if not cid:
            continue
        for momento, valor in serie.get("values", []):
            valores[(cid, float(momento))] = valor
    return valores


def leer_prometheus(desde: datetime, hasta: datetime, *, url: str | None = None) -> Lectura:
    """Read [desde, hasta] (five-minute steps) for every link and store the readings."""
    url = url or settings.PROMETHEUS_URL
    if not url:
        raise ErrorDePrometheus("PROMETHEUS_URL no está configurada.")
    etiqueta = settings.PROMETHEUS_ETIQUETA
    resultado = Lectura()
    inicio = alinear(desde)
    while inicio <= hasta:
        fin = min(inicio + VENTANA - PASO, hasta)
        entrada = _por_cid(_consultar(url, settings.PROMETHEUS_ENTRADA, inicio, fin), etiqueta)
        salida = _por_cid(_consultar(url, settings.PROMETHEUS_SALIDA, inicio, fin), etiqueta)
        resultado.consultas += 2
        muestras = []
        for clave in sorted(entrada.keys() | salida.keys()):
            e, s = entrada.get(clave), salida.get(clave)
            if e is None or s is None or not all(math.isfinite(float(v)) for v in (e, s)):
                resultado.descartadas += 1
                continue
            cid, momento = clave
            muestras.append(
                {
                    "cid_enlace": cid,
                    "momento": datetime.fromtimestamp(momento, tz=UTC),
                    # A counter's rate can be a hair below zero after a reset: none is used.
                    "entrada_mbps": max(float(e), 0.0),
                    "salida_mbps": max(float(s), 0.0),
                }
            )
        for parte in range(0, len(muestras), LOTE_MAXIMO):
            try:
                registro = muestras_cargar(muestras[parte : parte + LOTE_MAXIMO])
            except MuestrasInvalidas as invalidas:
                primero = next(iter(invalidas.errores.items()))
                raise ErrorDePrometheus(
                    f"{len(invalidas.errores)} lecturas inválidas (p. ej. {primero})."
                ) from None
            resultado.guardadas += registro.guardadas
            resultado.desconocidas.update(registro.desconocidas)
        inicio = fin + PASO
    return resultado
