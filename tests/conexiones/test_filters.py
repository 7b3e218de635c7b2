"""The connection search: its document, an exact or capped count, other filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory
from conexiones.filters import ConexionFilterSet
from conexiones.selectors import conexion_list
from tests.view_base import MAX_QUERIES

pytestmark = pytest.mark.django_db

URL = "/conexiones/"


def filas(response) -> list[int]:
    return [obj.pk for obj in response.context["object_list"]]


@pytest.fixture
def tope(monkeypatch):
    """A small cap on counted matches, so a few rows are "many"."""
    monkeypatch.setattr("isp_portal.busqueda.MAX_COINCIDENCIAS", 3)
    return 3


def test_una_conexion_que_coincide_por_cliente_y_por_locacion_sale_una_vez(lectura_client):
    andina = ClienteCorpFactory(razon_social="Minera Andina S.A.")
    doble = ConexionFactory(cliente=andina, locacion="Puno - Andina Norte")
    por_cliente = ConexionFactory(cliente=andina, locacion="Lima - Ate")
    por_locacion = ConexionFactory(locacion="Cusco - Andina Sur")
    ConexionFactory(locacion="Lima - Breña")
    response = lectura_client.get(URL, {"busqueda": "ANDINA"})
    assert sorted(filas(response)) == sorted([doble.pk, por_cliente.pk, por_locacion.pk])
    assert response.context["paginator"].count == 3
    assert "1–3 de 3<" in response.content.decode()


def test_busca_por_cid_y_ruc(lectura_client):
    c = ConexionFactory(cid_enlace="257001")
    otra = ConexionFactory(cid_enlace="2580011")
    assert filas(lectura_client.get(URL, {"busqueda": "257001"})) == [c.pk]
    assert filas(lectura_client.get(URL, {"busqueda": c.cliente.ruc})) == [c.pk]
    # A number is looked for from its start: the start of a CID finds it, its end does not.
    assert set(filas(lectura_client.get(URL, {"busqueda": "2580"}))) == {otra.pk}
    assert filas(lectura_client.get(URL, {"busqueda": "80011"})) == []


def test_sin_count_cuando_la_busqueda_ya_sabe_cuantas_son(lectura_client):
    ConexionFactory.create_batch(2, locacion="Arequipa - Cayma")
    with CaptureQueriesContext(connection) as ctx:
        response = lectura_client.get(URL, {"busqueda": "cayma"})
    assert response.context["paginator"].count == 2
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)


def test_muchas_coincidencias_no_se_cuentan(lectura_client, tope):
    ConexionFactory.create_batch(tope + 2, locacion="Arequipa - Cayma")
    with CaptureQueriesContext(connection) as ctx:
        response = lectura_client.get(URL, {"busqueda": "cayma"})
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    paginator = response.context["paginator"]
    assert paginator.mas_de and paginator.count == tope
    contenido = response.content.decode()
    assert f"de más de {tope}" in contenido and "afine la búsqueda" in contenido
    assert len(filas(response)) == tope  # only the first `tope` rows are paged


def test_tantas_como_el_tope_se_cuentan_exactas(lectura_client, tope):
    ConexionFactory.create_batch(tope, locacion="Arequipa - Cayma")
    response = lectura_client.get(URL, {"busqueda": "cayma"})
    assert not response.context["paginator"].mas_de
    assert "más de" not in response.content.decode()
    assert len(filas(response)) == tope


def test_la_busqueda_ve_solo_lo_que_dejan_los_otros_filtros(lectura_client, tope):
    """Many ACTIVO matches, one PENDIENTE: with estado=PENDIENTE the count is exact."""
    ConexionFactory.create_batch(tope + 2, locacion="Arequipa - Cayma")
    pendiente = ConexionFactory(locacion="Arequipa - Cayma", estado=EstadoConexion.PENDIENTE)
    response = lectura_client.get(URL, {"busqueda": "cayma", "estado": "PENDIENTE"})
    assert filas(response) == [pendiente.pk]
    assert response.context["paginator"].count == 1
    assert not response.context["paginator"].mas_de


def test_exportar_no_tiene_tope(lectura_client, tope):
    ConexionFactory.create_batch(tope + 2, locacion="Arequipa - Cayma")
    response = lectura_client.get(URL, {"busqueda": "cayma", "exportar": "csv"})
    texto = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(texto.strip().splitlines()) == 1 + tope + 2


def test_busqueda_en_consultas_constantes(operador_client):
    ConexionFactory(locacion="Arequipa - Cayma")
    with CaptureQueriesContext(connection) as pocas:
        operador_client.get(URL, {"busqueda": "cayma"})
    ConexionFactory.create_batch(15, locacion="Arequipa - Cayma")
    with CaptureQueriesContext(connection) as muchas:
        operador_client.get(URL, {"busqueda": "cayma"})
    assert len(pocas) == len(muchas) <= MAX_QUERIES


def test_la_busqueda_la_sirve_el_indice_del_documento(plan_postgres):
    from isp_portal.busqueda import filtrar

    ConexionFactory()
    consulta = filtrar(conexion_list(), "Cayma Andina", ConexionFilterSet.documento)
    plan = plan_postgres(consulta.order_by().values("pk"))
    assert "conexion_busqueda_trgm" in plan and "Seq Scan" not in plan
