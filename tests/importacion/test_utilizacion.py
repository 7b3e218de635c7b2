"""`manage.py importar utilizacion FILE`: back-filled readings through the utilisation
service (the same rules and storage as the API)."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from conexiones.factories import ConexionFactory
from conexiones.models import MuestraHoraria, MuestraUtilizacion
from tests.isp_portal.test_importar import escribir_csv, importar

pytestmark = pytest.mark.django_db
LIMA = dt.timezone(dt.timedelta(hours=-5))
AHORA = dt.datetime(2026, 12, 3, 10, 30, tzinfo=LIMA)
ENCABEZADO = ["cid_enlace", "momento", "entrada_mbps", "salida_mbps"]


@pytest.fixture(autouse=True)
def reloj():
    with time_machine.travel(AHORA, tick=False):
        yield


@pytest.fixture
def enlace():
    return ConexionFactory(cid_enlace="257001", bw_contratado=200)


def test_csv_guarda_y_consolida_el_historial(tmp_path, enlace):
    filas = [
        ENCABEZADO,
        ["257001", "2026-11-20T08:00:00-05:00", "10,5", "3"],
        ["257001", "20/11/2026 08:05", "20.5", "4"],  # no zone: the site's (Lima)
        ["257001", "2026-12-03T10:25:00-05:00", "150", "90"],
    ]
    salida, _ = importar("utilizacion", escribir_csv(tmp_path / "u.csv", filas))
    assert "3" in salida
    assert list(
        MuestraUtilizacion.objects.order_by("momento").values_list(
            "momento", "entrada_mbps", "salida_mbps"
        )
    ) == [
        (dt.datetime(2026, 11, 20, 8, 0, tzinfo=LIMA), Decimal("10.5"), Decimal("3")),
        (dt.datetime(2026, 11, 20, 8, 5, tzinfo=LIMA), Decimal("20.5"), Decimal("4")),
        (dt.datetime(2026, 12, 3, 10, 25, tzinfo=LIMA), Decimal("150"), Decimal("90")),
    ]
    enlace.refresh_from_db()
    assert enlace.bw_utilizado == 150
    # Old history is rolled up at once (the raw readings go after UTILIZACION_DIAS_CRUDOS).
    assert MuestraHoraria.objects.get().entrada_maximo == Decimal("20.5")
    # Imported again: replaced, not doubled.
    importar("utilizacion", escribir_csv(tmp_path / "u.csv", filas))
    assert MuestraUtilizacion.objects.count() == 3


def test_xlsx(tmp_path, enlace):
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.append(["CID", "Fecha", "Entrada", "Salida"])
    hoja.append(["257001", dt.datetime(2026, 12, 3, 9, 0), 12.25, 1])
    libro.save(tmp_path / "u.xlsx")
    importar("utilizacion", tmp_path / "u.xlsx")
    muestra = MuestraUtilizacion.objects.get()
    assert (muestra.momento, muestra.entrada_mbps) == (
        dt.datetime(2026, 12, 3, 9, 0, tzinfo=LIMA),
        Decimal("12.25"),
    )


def test_filas_malas_con_linea_y_nada_guardado(tmp_path, enlace):
    filas = [
        ENCABEZADO,
        ["257001", "2026-12-03T09:00:00-05:00", "1", "1"],
        ["257001", "ayer", "1", "1"],
        ["257001", "2026-12-03T09:05:00-05:00", "-1", "1"],
        ["999", "2026-12-03T09:05:00-05:00", "1", "nan"],
        ["257001", "2026-12-03T11:00:00-05:00", "1", "1"],
    ]
    _, errores = importar(
        "utilizacion", escribir_csv(tmp_path / "u.csv", filas), esperar_error=True
    )
    assert "línea 3, columna «momento»: Fecha y hora no válida «ayer»" in errores
    assert "línea 4, columna «entrada_mbps»: No puede ser negativo." in errores
    assert "línea 5" in errores and "No existe una conexión con CID 999." in errores
    assert "línea 6, columna «momento»: Está más de 10 minutos en el futuro." in errores
    assert not MuestraUtilizacion.objects.exists()
