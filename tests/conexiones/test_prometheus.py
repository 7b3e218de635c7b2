"""leer_prometheus against a real Prometheus: known series written as OpenMetrics, turned
into TSDB blocks by promtool, served by prometheus on a free local port; the command must
store exactly those readings. Skipped without Debian's prometheus unless REQUIRE_PROMETHEUS=1.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from conexiones.factories import ConexionFactory
from conexiones.models import MuestraUtilizacion

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"

if not (os.path.exists(PROMETHEUS) and os.path.exists(PROMTOOL)):
    if os.environ.get("REQUIRE_PROMETHEUS") == "1":
        raise RuntimeError("REQUIRE_PROMETHEUS=1 pero prometheus/promtool no están instalados")
    pytest.skip(
        "prometheus no está instalado (apt-get install prometheus)", allow_module_level=True
    )

pytestmark = pytest.mark.django_db
PASOS = 6


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _inicio() -> datetime:
    # Recent (within Prometheus' retention) and on a five-minute mark.
    ahora = datetime.now(UTC) - timedelta(hours=1)
    return ahora.replace(minute=ahora.minute - ahora.minute % 5, second=0, microsecond=0)


def _openmetrics(inicio: datetime) -> tuple[str, dict]:
    """Gauges in Mbps for two known CIDs and one the portal does not know; the expected
    readings {(cid, momento): (entrada, salida)}."""
    lineas = ["# TYPE enlace_entrada_mbps gauge", "# TYPE enlace_salida_mbps gauge"]
    esperadas = {}
    filas_entrada, filas_salida = [], []
    for paso in range(PASOS):
        momento = inicio + timedelta(minutes=5 * paso)
        t = int(momento.timestamp())
        for cid, base in (("257001", 100), ("257002", 7), ("999999", 1)):
            entrada, salida = base + paso * 2.5, base / 2 + paso
            filas_entrada.append(f'enlace_entrada_mbps{{cid="{cid}"}} {entrada} {t}')
            filas_salida.append(f'enlace_salida_mbps{{cid="{cid}"}} {salida} {t}')
            if cid != "999999":
                esperadas[(cid, momento)] = (Decimal(str(entrada)), Decimal(str(salida)))
    # OpenMetrics wants each metric family's samples together.
    texto = "\n".join([lineas[0], *filas_entrada, lineas[1], *filas_salida, "# EOF"]) + "\n"
    return texto, esperadas


@pytest.fixture
def prometheus(tmp_path):
    inicio = _inicio()
    texto, esperadas = _openmetrics(inicio)
    (tmp_path / "datos.om").write_text(texto)
    datos = tmp_path / "tsdb"
    subprocess.run(
        [
            PROMTOOL,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            str(tmp_path / "datos.om"),
            str(datos),
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "prometheus.yml").write_text("global:\n  scrape_interval: 1h\n")
    puerto = _puerto_libre()
    proceso = subprocess.Popen(
        [
            PROMETHEUS,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={datos}",
            f"--web.listen-address=127.0.0.1:{puerto}",
            "--storage.tsdb.retention.time=30d",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{puerto}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("prometheus no arrancó")
        yield url, inicio, esperadas
    finally:
        proceso.terminate()
        proceso.wait(timeout=20)


def test_leer_prometheus_guarda_exactamente_esas_lecturas(prometheus, settings, capsys):
    url, inicio, esperadas = prometheus
    settings.PROMETHEUS_URL = url
    settings.PROMETHEUS_ENTRADA = 'enlace_entrada_mbps{cid!=""}'
    settings.PROMETHEUS_SALIDA = 'enlace_salida_mbps{cid!=""}'
    uno = ConexionFactory(cid_enlace="257001", bw_contratado=500)
    ConexionFactory(cid_enlace="257002", bw_contratado=50)
    fin = inicio + timedelta(minutes=5 * (PASOS - 1))
    call_command("leer_prometheus", "--desde", inicio.isoformat(), "--hasta", fin.isoformat())
    salida = capsys.readouterr().out
    assert f"{len(esperadas)} lecturas guardadas" in salida
    assert "Desconocidos: 999999" in salida
    guardadas = {
        (m.conexion.cid_enlace, m.momento): (m.entrada_mbps, m.salida_mbps)
        for m in MuestraUtilizacion.objects.select_related("conexion")
    }
    assert guardadas == esperadas
    uno.refresh_from_db()
    assert uno.bw_utilizado_momento == fin
    assert uno.bw_utilizado == 113  # 112.5, rounded half up
    # Read again: the same readings are replaced, never doubled.
    call_command("leer_prometheus", "--desde", inicio.isoformat(), "--hasta", fin.isoformat())
    assert MuestraUtilizacion.objects.count() == len(esperadas)


def test_prometheus_caido_es_un_error_claro(settings):
    from django.core.management.base import CommandError

    settings.PROMETHEUS_URL = f"http://127.0.0.1:{_puerto_libre()}"
    with pytest.raises(CommandError, match="No se pudo consultar"):
        call_command("leer_prometheus")
