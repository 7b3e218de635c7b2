"""Imports at the same time as Ajustar BW, or as other imports: an exact ledger, distinct CIDs."""

import csv
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from clientes.factories import ClienteCorpFactory
from conexiones.choices import ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.importacion import CONEXION_COLUMNS
from conexiones.models import AjusteBW, Conexion
from conexiones.selectors import servicios_con_capacidad
from conexiones.services import conexion_ajustar_bw
from isp_portal.tables import export_rows
from proveedores.factories import ServicioProveedorFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IMPORTACIONES, FILAS = 3, 40


def en_paralelo(trabajos) -> list:
    """Run the callables in threads released together; the exceptions they raised."""
    barrera = threading.Barrier(len(trabajos), timeout=60)
    errores = []

    def hilo(trabajo):
        try:
            barrera.wait()
            trabajo()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errores.append(error)
        finally:
            connection.close()

    hilos = [threading.Thread(target=hilo, args=(t,)) for t in trabajos]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    return errores


def test_importacion_y_ajustes_simultaneos_dejan_un_libro_encadenado(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")
    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    conexion = ConexionFactory(servicio=servicio, bw_contratado=100)
    filas = list(export_rows(Conexion.objects.all(), CONEXION_COLUMNS))
    filas[1][filas[0].index("bw_contratado")] = 300
    ruta = tmp_path / "subida.csv"
    with ruta.open("w", newline="", encoding="utf-8") as archivo:
        csv.writer(archivo).writerows(filas)

    def importar():
        call_command("importar", "conexiones", str(ruta), stdout=io.StringIO())

    def ajustar():
        conexion_ajustar_bw(
            conexion=Conexion.objects.get(pk=conexion.pk), modo=ModoAjuste.AUMENTAR, mbps=10
        )

    errores = en_paralelo([importar] + [ajustar] * 4)

    assert errores == []
    ajustes = list(AjusteBW.objects.order_by("pk"))
    assert len(ajustes) == 5
    # Each change starts where the previous one ended: no update was lost.
    bw, disponible = 100, 900
    for ajuste in ajustes:
        assert (ajuste.bw_anterior, ajuste.servicio_disponible_anterior) == (bw, disponible)
        bw, disponible = ajuste.bw_resultante, ajuste.servicio_disponible_resultante
    conexion.refresh_from_db()
    assert conexion.bw_contratado == bw
    assert servicios_con_capacidad().get().capacidad_disponible == disponible
    assert sum(a.motivo == "importación subida.csv" for a in ajustes) == 1


def test_importaciones_a_la_vez_dan_cids_distintos_de_la_secuencia(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")
    cliente = ClienteCorpFactory(cid="257")
    ConexionFactory(cliente=cliente, cid_enlace="257001")
    rutas = []
    for n in range(IMPORTACIONES):
        # Each file on its own provider service: only the client's lock orders them.
        servicio = ServicioProveedorFactory(capacidad_contratada=10_000)
        ruta = tmp_path / f"nuevas-{n}.csv"
        with ruta.open("w", newline="", encoding="utf-8") as archivo:
            escritor = csv.writer(archivo)
            escritor.writerow(
                ["cliente_ruc", "proveedor", "servicio_codigo", "tipo_enlace", "bw_contratado"]
            )
            for _ in range(FILAS):
                fila = [cliente.ruc, servicio.proveedor.nombre, servicio.codigo, "VPN", 10]
                escritor.writerow(fila)
        rutas.append(ruta)

    def importar(ruta):
        return lambda: call_command("importar", "conexiones", str(ruta), stdout=io.StringIO())

    errores = en_paralelo([importar(r) for r in rutas])

    assert errores == []
    cids = sorted(Conexion.objects.values_list("cid_enlace", flat=True))
    assert cids == [f"257{n:03d}" for n in range(1, IMPORTACIONES * FILAS + 2)]
