"""Hostile input on every page: each URL pattern with every query parameter and form field it
reads (tests/fuzz/parametros.py) set to digits of other scripts, numbers of thousands of
digits, NUL, markup, SQL or long texts. Never a server error, for the operator (GET and POST)
or the reader (GET). Deterministic: the same examples on every run, SQLite and PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.parametros import HOSTILES, parametros
from tests.isp_portal.rutas import get, post, todas_las_rutas

pytestmark = pytest.mark.django_db

# logout would end the session the other examples use; login answers before the session.
RUTAS = [r for r in todas_las_rutas() if r.clase not in ("sesion", "publica")]
POST = [r for r in RUTAS if r.clase == "escritura" or r.nombre == "tokens_api"]
VALORES = st.one_of(st.sampled_from(HOSTILES), st.text(max_size=30))
AJUSTES = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def ids(rutas):
    return [r.nombre for r in rutas]


def consultas(nombres: list[str]):
    """Some of the page's keys (and `next`, read by every form page) with hostile values."""
    return st.dictionaries(st.sampled_from([*nombres, "next"]), VALORES, min_size=1, max_size=5)


def juntos(nombres: list[str]) -> list[list[str]]:
    """The keys sent together: all but `page`, which alone (a 404 past the last page) would
    end the view before it reads the others."""
    grupos = [[n for n in nombres if n != "page"]]
    return grupos + [["page"]] if "page" in nombres else grupos


def sin_error_del_servidor(respuesta, ruta, datos):
    assert respuesta.status_code < 500, (ruta.nombre, datos)


@pytest.mark.parametrize("ruta", RUTAS, ids=ids(RUTAS))
def test_cada_parametro_con_cada_valor_hostil(operador_client, datos_de_rutas, ruta):
    """Every key the page reads set at once to each hostile value, as the operator."""
    url = ruta.url(datos_de_rutas)
    nombres = parametros(ruta, url) or ["next"]
    for valor in HOSTILES:
        for grupo in juntos(nombres):
            datos = dict.fromkeys(grupo, valor)
            sin_error_del_servidor(get(operador_client, url, data=datos), ruta, datos)


@pytest.mark.parametrize(("usuario", "ejemplos"), [("operador", 4), ("lectura", 2)])
@pytest.mark.parametrize("ruta", RUTAS, ids=ids(RUTAS))
def test_mezclas_al_azar(request, datos_de_rutas, ruta, usuario, ejemplos):
    cliente = request.getfixturevalue(f"{usuario}_client")
    url = ruta.url(datos_de_rutas)

    @settings(AJUSTES, max_examples=ejemplos)
    @given(datos=consultas(parametros(ruta, url)))
    def probar(datos):
        sin_error_del_servidor(get(cliente, url, data=datos), ruta, datos)

    probar()


@pytest.mark.parametrize("ruta", POST, ids=ids(POST))
def test_formularios_con_valores_hostiles(operador_client, datos_de_rutas, ruta):
    """Each form field (and each key read by hand) posted with hostile values: at once with
    each value, then mixed."""
    url = ruta.url(datos_de_rutas)
    nombres = parametros(ruta, url) or ["next"]
    for valor in HOSTILES:
        datos = dict.fromkeys(nombres, valor)
        sin_error_del_servidor(post(operador_client, url, datos), ruta, datos)

    @settings(AJUSTES, max_examples=4)
    @given(datos=consultas(nombres))
    def probar(datos):
        sin_error_del_servidor(post(operador_client, url, datos), ruta, datos)

    probar()
