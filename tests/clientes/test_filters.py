import pytest

from clientes.factories import ClienteCorpFactory

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
