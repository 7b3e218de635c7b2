"""Random input to every create/edit form and to Ajustar BW: never a server error, and
nothing is written when the input is refused."""

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.parametros import HOSTILES, parametros
from tests.isp_portal.rutas import crear_datos, post, todas_las_rutas

pytestmark = pytest.mark.django_db

FORMULARIOS = [
    r for r in todas_las_rutas() if r.accion in ("add", "edit") or r.nombre.endswith("ajustar_bw")
]
VALORES = st.one_of(
    st.sampled_from(HOSTILES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=300),
    st.just("\x00"),
    st.just("x" * 2000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["AUMENTAR", "DISMINUIR", "ACTIVO", "BAJA", "Lima", "20100017491", ""]),
)


def conteos() -> dict:
    return {
        m._meta.label: m._default_manager.count()
        for app in ("clientes", "proveedores", "conexiones")
        for m in apps.get_app_config(app).get_models()
    }


@pytest.mark.parametrize("ruta", FORMULARIOS, ids=[r.nombre for r in FORMULARIOS])
def test_datos_aleatorios_nunca_rompen_un_formulario(operador_client, ruta):
    objetos = crear_datos()
    url = ruta.url(objetos)

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    # The fields the form reads (tests/fuzz/parametros.py); the same examples on every run.
    @given(datos=st.dictionaries(st.sampled_from(parametros(ruta, url)), VALORES, max_size=12))
    def probar(datos):
        antes = conteos()
        respuesta = post(operador_client, url, datos)
        assert respuesta.status_code < 500, (url, datos)
        if respuesta.status_code not in (204, 302):
            assert conteos() == antes, (url, datos)

    probar()
