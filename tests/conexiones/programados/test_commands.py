"""manage.py aplicar_ajustes_programados: one pass and exit, or a loop (--cada); on PostgreSQL,
three processes started at the same moment apply each change exactly once."""

import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from conexiones.choices import EstadoAjusteProgramado as Estado
from conexiones.choices import EstadoConexion
from conexiones.factories import AjusteProgramadoFactory, ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado, Conexion
from conexiones.services import programados
from proveedores.factories import ServicioProveedorFactory

from . import VIERNES

pytestmark = pytest.mark.django_db

COMANDO = "aplicar_ajustes_programados"


def ejecutar(*args) -> str:
    salida = StringIO()
    call_command(COMANDO, *args, stdout=salida, stderr=salida)
    return salida.getvalue()


def test_aplica_lo_vencido_y_termina(time_machine):
    time_machine.move_to(VIERNES - timedelta(hours=1), tick=False)
    conexion = ConexionFactory(cid_enlace="257001", bw_contratado=100)
    baja = ConexionFactory(cid_enlace="257002", estado=EstadoConexion.BAJA)
    ok = AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES, mbps=50)
    fallido = AjusteProgramadoFactory(conexion=baja, inicio=VIERNES, mbps=50)
    AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES + timedelta(days=1))

    assert ejecutar() == ""  # nothing due yet
    time_machine.move_to(VIERNES + timedelta(hours=2), tick=False)
    salida = ejecutar()
    assert f"#{ok.pk} 257001 +50 Mbps: Aplicado — Aplicado con 2 h de retraso" in salida
    assert f"#{fallido.pk} 257002 +50 Mbps: Fallido — No se aplicó: Una conexión en BAJA" in salida
    assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 150
    assert ejecutar() == ""


def test_error_inesperado_sale_con_error(time_machine, monkeypatch):
    time_machine.move_to(VIERNES, tick=False)
    programado = AjusteProgramadoFactory(inicio=VIERNES - timedelta(minutes=1))

    def falla(*args, **kwargs):
        raise RuntimeError("sin red")

    monkeypatch.setattr(programados, "_aplicar", falla)
    with pytest.raises(CommandError, match="no se pudieron ejecutar"):
        ejecutar()
    assert AjusteProgramado.objects.get(pk=programado.pk).estado == Estado.PENDIENTE


def test_cada_repite_hasta_ctrl_c(monkeypatch):
    pasadas = []
    original = programados.ajustes_programados_aplicar

    def contar():
        pasadas.append(1)
        return original()

    def dormir(segundos):
        assert segundos == 5
        if len(pasadas) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(
        "conexiones.management.commands.aplicar_ajustes_programados.ajustes_programados_aplicar",
        contar,
    )
    monkeypatch.setattr(time, "sleep", dormir)
    salida = ejecutar("--cada", "5")
    assert "cada 5 s" in salida
    assert len(pasadas) == 3


def test_cada_invalido():
    with pytest.raises(CommandError, match="al menos 1 segundo"):
        ejecutar("--cada", "0")


# --- Several schedulers at once (PostgreSQL) ------------------------------------------------

PROCESOS = 3
CONEXIONES = 10
POR_CONEXION = 3


def _url_de_la_base_de_pruebas() -> str:
    ajustes = connection.settings_dict
    clave = f":{ajustes['PASSWORD']}" if ajustes.get("PASSWORD") else ""
    return (
        f"postgres://{ajustes['USER']}{clave}@{ajustes['HOST'] or '127.0.0.1'}:"
        f"{ajustes['PORT'] or 5432}/{ajustes['NAME']}"
    )


def _esperar_bloqueados(cursor, cuantos: int, procesos) -> None:
    """Until `cuantos` sessions wait for the lock on the scheduled changes' table."""
    limite = time.monotonic() + 120
    while time.monotonic() < limite:
        cursor.execute(
            "SELECT count(*) FROM pg_locks "
            "WHERE relation = 'conexiones_ajusteprogramado'::regclass AND NOT granted"
        )
        if cursor.fetchone()[0] >= cuantos:
            return
        muertos = [p for p in procesos if p.poll() is not None]
        assert not muertos, muertos[0].communicate()
        time.sleep(0.05)
    raise AssertionError("los procesos no llegaron a la tabla")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tres_procesos_a_la_vez_aplican_cada_ajuste_una_vez():
    """Real processes (the command as cron would run it) against the test database, which
    they see because this test commits its data (transaction=True).

    They are released at the same instant: this test holds an exclusive lock on the table
    until the three are waiting for it, so all three ask for the same due rows at once.
    """
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (varios procesos sobre una base compartida)")
    servicio = ServicioProveedorFactory(capacidad_contratada=100_000)
    conexiones = ConexionFactory.create_batch(CONEXIONES, servicio=servicio, bw_contratado=100)
    vencido = timezone.now() - timedelta(minutes=1)
    programados = [
        AjusteProgramadoFactory(conexion=c, inicio=vencido, mbps=10 * (i + 1))
        for c in conexiones
        for i in range(POR_CONEXION)
    ]
    entorno = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": _url_de_la_base_de_pruebas(),
        "DJANGO_SETTINGS_MODULE": "isp_portal.settings_test",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE conexiones_ajusteprogramado IN ACCESS EXCLUSIVE MODE")
        procesos = [
            subprocess.Popen(
                [sys.executable, "manage.py", COMANDO],
                cwd=settings.BASE_DIR,
                env=entorno,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(PROCESOS)
        ]
        _esperar_bloqueados(cursor, PROCESOS, procesos)
    # Committed: the lock is released and the three race for the rows.
    salidas = [p.communicate(timeout=120) for p in procesos]
    for proceso, (_, errores) in zip(procesos, salidas, strict=True):
        assert proceso.returncode == 0, errores

    aplicados_por_proceso = [
        {int(linea.split()[0].lstrip("#")) for linea in salida.splitlines()}
        for salida, _ in salidas
    ]
    todos = [pk for conjunto in aplicados_por_proceso for pk in conjunto]
    assert sorted(todos) == sorted(p.pk for p in programados)  # each once, by one process
    assert AjusteBW.objects.count() == len(programados)
    for programado in AjusteProgramado.objects.all():
        assert programado.estado == Estado.APLICADO
        assert programado.ajuste_aplicado.mbps == programado.mbps
    suma = sum(10 * (i + 1) for i in range(POR_CONEXION))
    assert set(
        Conexion.objects.filter(servicio=servicio).values_list("bw_contratado", flat=True)
    ) == {100 + suma}
    # The ledger of the service is one chain: no two processes read the same figures.
    cadena = list(AjusteBW.objects.filter(servicio=servicio).order_by("id"))
    for anterior, siguiente in zip(cadena, cadena[1:], strict=False):
        assert anterior.servicio_disponible_resultante == siguiente.servicio_disponible_anterior
