"""The figure's age on the pages, the charts' markup and the saturation page."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from conexiones.factories import ConexionFactory
from conexiones.services import muestras_cargar, utilizacion_percentiles
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db
LIMA = dt.timezone(dt.timedelta(hours=-5))
AHORA = dt.datetime(2026, 12, 3, 10, 30, tzinfo=LIMA)


@pytest.fixture(autouse=True)
def reloj():
    with time_machine.travel(AHORA, tick=False):
        yield


def lectura(cid, minutos_atras, mbps):
    return {
        "cid_enlace": cid,
        "momento": (AHORA - dt.timedelta(minutes=minutos_atras)).isoformat(),
        "entrada_mbps": mbps,
        "salida_mbps": 0,
    }


def test_lista_y_detalle_muestran_la_edad_de_la_cifra(lectura_client):
    fresca = ConexionFactory(cid_enlace="F1")
    vieja = ConexionFactory(cid_enlace="V1")
    ConexionFactory(cid_enlace="N1")
    muestras_cargar([lectura("F1", 4, 180), lectura("V1", 20, 50)])
    contenido = lectura_client.get("/conexiones/").content.decode()
    assert "hace 4 min" in contenido and "hace 20 min" in contenido
    assert "sin lecturas" in contenido
    assert contenido.count("data-vencida") == 1
    detalle = lectura_client.get(f"/conexiones/{fresca.pk}/").content.decode()
    assert ">180 Mbps<" in detalle and "hace 4 min" in detalle
    assert "data-vencida" not in detalle
    assert "data-grafico-utilizacion" in detalle
    assert f'data-url="/v1/conexiones/{fresca.pk}/utilizacion"' in detalle
    assert "vendor/uplot/uPlot.iife.min.js" in detalle
    assert 'role="img"' in detalle and "<caption" in detalle
    detalle_viejo = lectura_client.get(f"/conexiones/{vieja.pk}/").content.decode()
    assert "data-vencida" in detalle_viejo and "lectura antigua" in detalle_viejo


def test_pagina_del_servicio_tiene_su_grafico(lectura_client):
    servicio = ServicioProveedorFactory()
    contenido = lectura_client.get(f"/proveedores/servicios/{servicio.pk}/").content.decode()
    assert f'data-url="/v1/servicios-proveedor/{servicio.pk}/utilizacion"' in contenido


@pytest.fixture
def saturacion():
    servicio = ServicioProveedorFactory(codigo="CIR-9", capacidad_contratada=1000)
    llena = ConexionFactory(cid_enlace="LL1", bw_contratado=100, servicio=servicio)
    media = ConexionFactory(cid_enlace="ME1", bw_contratado=100, servicio=servicio)
    holgada = ConexionFactory(cid_enlace="HO1", bw_contratado=100, servicio=servicio)
    parada = ConexionFactory(cid_enlace="PA1", bw_contratado=100)
    muestras_cargar(
        [lectura("LL1", 5 * i, 95) for i in range(12)]
        + [lectura("ME1", 5 * i, 82) for i in range(12)]
        + [lectura("HO1", 5 * i, 10) for i in range(12)]
        + [lectura("PA1", 60, 5)]
    )
    utilizacion_percentiles()
    return llena, media, holgada, parada


def test_saturadas_peor_primero(lectura_client, saturacion):
    llena, media, holgada, _ = saturacion
    contenido = lectura_client.get("/utilizacion/").content.decode()
    assert contenido.index("LL1") < contenido.index("ME1")
    assert "HO1" not in contenido
    assert f"/conexiones/{llena.pk}/#utilizacion" in contenido
    assert "Saturación" in contenido
    # Filters: a higher threshold leaves only the full one; a lower one lists all three.
    solo = lectura_client.get("/utilizacion/?umbral=90").content.decode()
    assert "LL1" in solo and "ME1" not in solo
    todas = lectura_client.get("/utilizacion/?umbral=5").content.decode()
    assert all(cid in todas for cid in ("LL1", "ME1", "HO1"))


def test_saturadas_exporta_csv(lectura_client, saturacion):
    respuesta = lectura_client.get("/utilizacion/?exportar=csv")
    filas = list(
        csv.DictReader(io.StringIO(b"".join(respuesta.streaming_content).decode("utf-8-sig")))
    )
    assert [(f["cid_enlace"], f["porcentaje"]) for f in filas] == [("LL1", "95.0"), ("ME1", "82.0")]


def test_sin_lecturas_y_servicios(lectura_client, saturacion):
    contenido = lectura_client.get("/utilizacion/sin-lecturas/").content.decode()
    assert "PA1" in contenido and "LL1" not in contenido
    servicios = lectura_client.get("/utilizacion/servicios/").content.decode()
    assert "CIR-9" in servicios and "187 Mbps" in servicios.replace("\u2009", "")


@pytest.mark.parametrize(
    "url", ["/utilizacion/", "/utilizacion/sin-lecturas/", "/utilizacion/servicios/"]
)
def test_consultas_constantes(lectura_client, django_assert_max_num_queries, url):
    def poblar(n):
        conexiones = ConexionFactory.create_batch(n, bw_contratado=10)
        muestras_cargar(
            [
                {
                    "enlace_id": c.pk,
                    "momento": (AHORA - dt.timedelta(minutes=45)).isoformat(),
                    "entrada_mbps": 9.5,
                    "salida_mbps": 1,
                }
                for c in conexiones
            ]
        )
        utilizacion_percentiles()

    poblar(2)
    lectura_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as pocas:
        assert lectura_client.get(url).status_code == 200
    poblar(12)
    with django_assert_max_num_queries(len(pocas)):
        lectura_client.get(url)


def test_lectura_en_el_menu(lectura_client):
    contenido = lectura_client.get("/").content.decode()
    assert 'href="/utilizacion/"' in contenido


def test_la_lista_de_conexiones_enlaza_la_saturacion(lectura_client):
    assert 'href="/utilizacion/"' in lectura_client.get("/conexiones/").content.decode()
