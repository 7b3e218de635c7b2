import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp

pytestmark = pytest.mark.django_db

URL = "/clientes_corporativo/"


def pks(response):
    return {obj.pk for obj in response.context["object_list"]}


@pytest.fixture
def clientes():
    return {
        "andina": ClienteCorpFactory(
            razon_social="Minera Andina S.A.", ruc="20100017491", cid="7001", cod_erp="ERP-AND"
        ),
        "costa": ClienteCorpFactory(
            razon_social="Pesquera Costa S.A.C.", ruc="20131312955", cid="7002",
            cod_erp="ERP-COS", is_active=False,
        ),
    }


@pytest.mark.parametrize(
    ("busqueda", "clave"),
    [
        ("andina", "andina"),
        ("COSTA", "costa"),
        ("20100017491", "andina"),
        ("201 000 174 91", "andina"),
        ("20.131.312.955", "costa"),
        ("7002", "costa"),
        ("erp-and", "andina"),
    ],
)
def test_busqueda_por_cada_campo(operador_client, clientes, busqueda, clave):
    response = operador_client.get(URL, {"busqueda": busqueda})
    assert response.status_code == 200
    assert pks(response) == {clientes[clave].pk}


@pytest.mark.parametrize(("estado", "clave"), [("activo", "andina"), ("inactivo", "costa")])
def test_filtro_estado(operador_client, clientes, estado, clave):
    response = operador_client.get(URL, {"estado": estado})
    assert pks(response) == {clientes[clave].pk}


def test_limpiar_apunta_a_la_lista_sin_filtros(operador_client, clientes):
    response = operador_client.get(URL, {"busqueda": "andina", "estado": "activo"})
    assert f'href="{URL}">Limpiar' in response.content.decode()


def test_paginacion_conserva_filtros(operador_client):
    ClienteCorpFactory.create_batch(25, razon_social="Comercial Sur")
    response = operador_client.get(URL, {"busqueda": "sur"})
    assert response.context["paginator"].num_pages == 3
    html = response.content.decode()
    assert "?busqueda=sur&amp;page=2" in html
    response = operador_client.get(URL, {"busqueda": "sur", "page": 3})
    assert len(response.context["object_list"]) == 5
    assert "?busqueda=sur&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("orden", ["ruc", "-ruc"])
def test_orden_por_ruc(operador_client, clientes, orden):
    response = operador_client.get(URL, {"orden": orden})
    rucs = [obj.ruc for obj in response.context["object_list"]]
    assert rucs == sorted(rucs, reverse=orden.startswith("-"))


@pytest.mark.parametrize("params", [{}, {"busqueda": "andina"}, {"busqueda": "20100017491"}])
def test_consultas_constantes(operador_client, django_assert_max_num_queries, params):
    ClienteCorpFactory.create_batch(25)
    with django_assert_max_num_queries(8):
        assert operador_client.get(URL, params).status_code == 200


def consulta_de_la_pagina(client, params) -> str:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return next(q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"])


@pytest.mark.parametrize(
    ("orden", "clave", "inverso"),
    [("", "razon_social", False), ("-ruc", "ruc", True), ("cid", "cid", False)],
)
def test_resultados_de_una_busqueda_en_orden(operador_client, orden, clave, inverso):
    for nombre in ("Zeta Sur", "Alfa Sur", "Minera sur", "Beta Sur"):
        ClienteCorpFactory(razon_social=nombre)
    ClienteCorpFactory(razon_social="Norte")
    response = operador_client.get(URL, {"busqueda": "sur", "orden": orden})
    valores = [getattr(obj, clave) for obj in response.context["object_list"]]
    assert len(valores) == 4
    assert valores == sorted(valores, reverse=inverso)


def test_pocas_coincidencias_se_ordenan_sin_recorrer_el_indice(operador_client, es_postgres):
    """PostgreSQL sorts the matches of a search (`razon_social || ''` cannot use the
    razón social index); with many matches, or no search, the list walks the index."""
    ClienteCorpFactory.create_batch(3, razon_social="Comercial Sur")
    ClienteCorpFactory(razon_social="Norte")
    marca = "|| ''" if es_postgres else "razon_social"
    assert marca in consulta_de_la_pagina(operador_client, {"busqueda": "sur"})
    assert "|| ''" not in consulta_de_la_pagina(operador_client, {})


def test_muchas_coincidencias_recorren_el_indice(operador_client, monkeypatch):
    monkeypatch.setattr("clientes.views.ClienteCorpListView.sort_search_matches", 2)
    ClienteCorpFactory.create_batch(3, razon_social="Comercial Sur")
    assert "|| ''" not in consulta_de_la_pagina(operador_client, {"busqueda": "sur"})
    response = operador_client.get(URL, {"busqueda": "sur"})
    assert response.context["paginator"].count == 3


def test_la_busqueda_la_sirve_el_indice_del_documento(plan_postgres):
    from isp_portal.busqueda import filtrar

    ClienteCorpFactory()
    consulta = filtrar(ClienteCorp.objects.all(), "Andina 2010", "busqueda").order_by()
    plan = plan_postgres(consulta.values("pk"))
    assert "clientecorp_busqueda_trgm" in plan and "Seq Scan" not in plan
