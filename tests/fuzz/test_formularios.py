"""Random input to every create/edit form and to Ajustar BW: never a server error, and
nothing is written when the input is refused."""

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.isp_portal.rutas import crear_datos, post, todas_las_rutas

pytestmark = pytest.mark.django_db

FORMULARIOS = [
    r for r in todas_las_rutas() if r.accion in ("add", "edit") or r.nombre.endswith("ajustar_bw")
]
CAMPOS = [
    "cid",
    "cod_erp",
    "razon_social",
    "ruc",
    "responsable",
    "fecha_activacion",
    "is_active",
    "oficina",
    "direccion",
    "departamento",
    "provincia",
    "distrito",
    "locacion",
    "nombre",
    "contacto",
    "telefono",
    "email",
    "codigo",
    "modalidad",
    "tipo",
    "capacidad_contratada",
    "estado",
    "proveedor",
    "cid_enlace",
    "cliente",
    "servicio",
    "tipo_enlace",
    "modalidad_enlace",
    "bw_contratado",
    "bw_utilizado",
    "nodo_a",
    "nodo_b",
    "serie",
    "marca",
    "modelo",
    "equipos",
    "mbps",
    "modo",
    "motivo",
    "confirmar_sobresuscripcion",
]
VALORES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=300),
    st.just("\x00"),
    st.just("x" * 2000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["AUMENTAR", "DISMINUIR", "ACTIVO", "BAJA", "Lima", "20100017491", ""]),
)
DATOS = st.dictionaries(st.sampled_from(CAMPOS), VALORES, max_size=12)


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
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(datos=DATOS)
    def probar(datos):
        antes = conteos()
        respuesta = post(operador_client, url, datos)
        assert respuesta.status_code < 500, (url, datos)
        if respuesta.status_code not in (204, 302):
            assert conteos() == antes, (url, datos)

    probar()
