"""Every write that could oversell a provider service answers the same 409: the messages under
`confirmar` and the calculation the service made under the rows' lock (issue 21: the 409's
`calculo` no longer mixes a stale connection figure with current service figures)."""

import json

import pytest

from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, Conexion
from proveedores.factories import ServicioProveedorFactory

CAMPOS_CALCULO = {
    "bw_actual",
    "bw_resultante",
    "servicio_disponible_actual",
    "servicio_disponible_resultante",
    "servicio_vendida_actual",
    "servicio_vendida_resultante",
    "servicio_por_revertir",
}


@pytest.fixture
def servicio(db):
    servicio = ServicioProveedorFactory(codigo="CIR-409", capacidad_contratada=100)
    ConexionFactory(servicio=servicio, bw_contratado=80)
    return servicio


def _crear(api, servicio):
    conexion = ConexionFactory()
    return api.post(
        "/v1/conexiones",
        {
            "cliente_id": conexion.cliente_id,
            "tipo_enlace": "Internet",
            "bw_contratado": 50,
            "servicio_id": servicio.pk,
        },
    )


def _mover(api, servicio):
    conexion = ConexionFactory(bw_contratado=50)
    return api.put(f"/v1/conexiones/{conexion.pk}", {"servicio_id": servicio.pk})


def _aumentar(api, servicio):
    conexion = Conexion.objects.get(servicio=servicio)
    return api.post(f"/v1/conexiones/{conexion.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": 50})


def _programar(api, servicio):
    conexion = Conexion.objects.get(servicio=servicio)
    return api.post(
        f"/v1/conexiones/{conexion.pk}/ajustes-programados",
        {"modo": "AUMENTAR", "mbps": 50, "inicio": "2099-01-01T10:00"},
    )


@pytest.mark.parametrize("escribir", [_crear, _mover, _aumentar, _programar])
def test_el_mismo_409_en_cada_escritura(api_operador, servicio, escribir):
    respuesta = escribir(api_operador, servicio)
    assert respuesta.status_code == 409, respuesta.content
    cuerpo = json.loads(respuesta.content)
    assert set(cuerpo) == {"confirmar", "calculo"}
    assert cuerpo["confirmar"] == [
        "El servicio CIR-409 quedaría sobresuscrito en 30 Mbps. Confirme para continuar."
    ]
    assert set(cuerpo["calculo"]) == CAMPOS_CALCULO
    assert cuerpo["calculo"]["servicio_disponible_actual"] == 20
    assert cuerpo["calculo"]["servicio_disponible_resultante"] == -30
    # Nothing changed: the service still carries only its 80 Mbps connection.
    assert list(Conexion.objects.filter(servicio=servicio).values_list("bw_contratado")) == [
        (80,)
    ]
    assert not AjusteBW.objects.exists()
