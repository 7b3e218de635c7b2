"""Any input gets a JSON answer in Spanish and never a server error: wrong types, unknown
fields, huge numbers, digits of other scripts, NUL bytes, lone surrogates, bad JSON."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conexiones.models import AjusteBW, Conexion
from tests.isp_portal.rutas import crear_datos

pytestmark = pytest.mark.django_db

CUERPOS_CRUDOS = [
    "",
    "{",
    '{"modo": "AUMENTAR", "mbps": }',
    "[]",
    "null",
    '"texto"',
    "123",
    '{"mbps": NaN}',
    '{"mbps": Infinity}',
    '{"mbps": 1e999}',
    '{"mbps": ' + "9" * 5000 + "}",
    "[" * 100_000 + "]" * 100_000,
    '{"razon_social": "\\ud800"}',
    '{"\\ud800": 1}',
    '{"oficina": "a\\u0000b", "cliente_id": 1}',
    '{"cid": "\\u0000"}',
    b'{"cid": "\xff\xfe"}',
]
VALORES_RAROS = [
    None,
    True,
    -1,
    0,
    2**63,
    10**40,
    1.5,
    "١٢٣",
    "𝟙𝟚𝟛",
    "²",
    "9" * 5000,
    "1e3",
    "\x00",
    "a" * 10_000,
    [],
    [1, [2]],
    {"a": 1},
    "2025-13-45",
    "INACTIVO",
    # Far dates and moments (issue 21): 400, never a stored row no page can read.
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "0001-01-01T00:00:00+05:00",
]
CAMPOS = [
    "cid",
    "ruc",
    "razon_social",
    "is_active",
    "fecha_activacion",
    "cliente_id",
    "id",
    "oficina",
    "departamento",
    "provincia",
    "servicio_id",
    "nodo_a",
    "nodo_b",
    "estado",
    "bw_contratado",
    "bw_utilizado",
    "equipos_ids",
    "modo",
    "mbps",
    "motivo",
    "confirmar",
    "tipo_enlace",
    "configuracion_nodo_b",
    "desconocido",
]


@pytest.fixture(autouse=True)
def _sin_limite(sin_limite):
    pass


@pytest.fixture
def escrituras():
    datos = crear_datos()
    cliente = datos["clientes.ClienteCorp"]
    conexion = datos["conexiones.Conexion"]
    return [
        ("post", "/v1/clientes-corporativo/crear"),
        ("put", f"/v1/clientes-corporativo/editar/{cliente.pk}"),
        ("post", "/v1/sedes/crear"),
        ("put", "/v1/sedes/editar"),
        ("post", "/v1/conexiones"),
        ("put", f"/v1/conexiones/{conexion.pk}"),
        ("post", f"/v1/conexiones/{conexion.pk}/ajustar-bw"),
    ]


def _es_error_json(respuesta):
    assert respuesta.status_code < 500, respuesta.content[:300]
    assert respuesta["Content-Type"] == "application/json", respuesta.content[:300]
    return json.loads(respuesta.content)


def test_cuerpos_invalidos(api_admin, escrituras):
    for metodo, url in escrituras:
        for cuerpo in CUERPOS_CRUDOS:
            if metodo == "put" and cuerpo == "":
                continue  # an empty PUT changes nothing: 200
            respuesta = getattr(api_admin, metodo)(url, cuerpo)
            datos = _es_error_json(respuesta)
            assert respuesta.status_code == 400, (url, cuerpo[:40], datos)


def test_json_invalido_dice_donde(api_admin):
    respuesta = api_admin.post("/v1/conexiones", '{"cid": 1,,}')
    assert _es_error_json(respuesta) == {
        "detail": "El cuerpo no es un JSON válido (línea 1, columna 11)."
    }


def test_otro_formato_que_json_es_415(api_admin):
    respuesta = api_admin.post("/v1/conexiones", "cid=1", content_type="text/plain")
    assert respuesta.status_code == 415
    assert "detail" in _es_error_json(respuesta)


def test_valores_raros_en_cada_campo(api_admin, escrituras):
    """Every field of every write (and one it does not know) with every odd value."""
    from django.urls import resolve

    for metodo, url in escrituras:
        vista = resolve(url).func.view_class
        campos = [*vista.serializer_class().fields, "desconocido"]
        for campo in campos:
            for valor in VALORES_RAROS:
                respuesta = getattr(api_admin, metodo)(url, {campo: valor})
                datos = _es_error_json(respuesta)
                assert respuesta.status_code in (200, 201, 400, 404, 409), (
                    url,
                    campo,
                    valor,
                    datos,
                )


def test_campo_desconocido_con_pista(api_admin, escrituras):
    conexion = Conexion.objects.get()
    respuesta = api_admin.put(f"/v1/conexiones/{conexion.pk}", {"cid_enlace": "X", "foo": 1})
    assert _es_error_json(respuesta) == {
        "cid_enlace": ["Campo desconocido: use «cid»."],
        "foo": ["Campo desconocido."],
    }
    solo_lectura = api_admin.put(f"/v1/conexiones/{conexion.pk}", {"bw_disponible": 3})
    assert _es_error_json(solo_lectura) == {"bw_disponible": ["Campo desconocido."]}


@pytest.mark.parametrize(
    "consulta",
    [
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=١٠",
        "limit=²",
        "limit=" + "9" * 5000,
        "offset=²",
        "offset=" + "9" * 5000,
        "cliente_id=²",
        "cliente_id=١٢",
        "cliente_id=" + "9" * 5000,
        "proveedor=²",
        "offset=99999999999999999999",
        "offset=abc",
        "estado=NADA",
        "busqueda=%00",
        "cliente_id=abc",
        "cliente_id=99999999999999999999999",
        "proveedor=xyz",
        "tipo_enlace=%ED%A0%80",
    ],
)
def test_parametros_invalidos_de_las_listas(api_admin, consulta):
    crear_datos()
    respuesta = api_admin.get(f"/v1/conexiones/listar?{consulta}")
    assert respuesta.status_code == 400, respuesta.content
    assert _es_error_json(respuesta)


def test_offset_mas_alla_del_final(api_admin):
    crear_datos()
    datos = _es_error_json(api_admin.get("/v1/conexiones/listar?offset=1000000000"))
    assert datos == {"count": 1, "limit": 10, "offset": 1_000_000_000, "results": []}


@pytest.mark.parametrize(
    "url",
    [
        "/v1/conexiones/99999999999999999999999",
        "/v1/conexiones/0",
        "/v1/conexiones/abc",
        "/v1/clientes-corporativo/99999999999999999999",
        "/v1/sedes/cliente/99999999999999999999",
        "/v1/conexiones/99999999999999999999/ajustes",
        "/v1/no-existe",
        "/v1/conexiones/listar/",
    ],
)
def test_rutas_inexistentes_son_404_json(api_admin, url):
    respuesta = api_admin.get(url)
    assert respuesta.status_code == 404
    assert "detail" in _es_error_json(respuesta)


@pytest.mark.parametrize("url", ["/v1/%00", "/v1/conexiones/listar?busqueda=a%00b"])
def test_un_caracter_nulo_es_400_json(api_admin, url):
    """Refused before the API (isp_portal.nulos), still in its JSON shape."""
    respuesta = api_admin.get(url)
    assert respuesta.status_code == 400
    assert "nulo" in _es_error_json(respuesta)["detail"]


def test_metodo_no_permitido_es_405_json(api_admin, api_anonimo):
    for cliente in (api_admin, api_anonimo):
        respuesta = cliente.delete("/v1/conexiones/listar")
        assert respuesta.status_code == 405
        assert _es_error_json(respuesta) == {"detail": 'Método "DELETE" no permitido.'}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cuerpo=st.dictionaries(
        st.sampled_from(CAMPOS),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(min_value=-(2**70), max_value=2**70),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=30),
            st.lists(st.integers(min_value=-5, max_value=2**64), max_size=3),
        ),
        max_size=6,
    ),
    indice=st.integers(min_value=0, max_value=6),
)
def test_entradas_al_azar_nunca_dan_error_del_servidor(api_admin, escrituras, cuerpo, indice):
    metodo, url = escrituras[indice]
    ajustes = AjusteBW.objects.count()
    respuesta = getattr(api_admin, metodo)(url, cuerpo)
    datos = _es_error_json(respuesta)
    if respuesta.status_code >= 400:
        assert isinstance(datos, dict) and datos
        assert AjusteBW.objects.count() == ajustes
