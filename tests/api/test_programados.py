"""Scheduled and temporary changes through the API: the same services as the modal."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from conexiones.choices import EstadoAjusteProgramado, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado
from conexiones.services import ajustes_programados_aplicar
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db

Estado = EstadoAjusteProgramado
AHORA = timezone.make_aware(datetime(2030, 6, 14, 12, 0))  # a Friday noon in Lima


@pytest.fixture(autouse=True)
def reloj():
    with time_machine.travel(AHORA, tick=False) as viaje:
        yield viaje


@pytest.fixture
def conexion():
    servicio = ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=1000)
    return ConexionFactory(servicio=servicio, bw_contratado=300)


def url(conexion, programado=None) -> str:
    base = f"/v1/conexiones/{conexion.pk}/ajustes-programados"
    return f"{base}/{programado.pk}" if programado else base


def cuerpo(respuesta) -> dict:
    return json.loads(respuesta.content)


def test_programar_un_cambio_temporal_y_listarlo(api_operador, api_lectura, conexion, reloj):
    respuesta = api_operador.post(
        url(conexion),
        {
            "modo": "AUMENTAR",
            "mbps": 200,
            "motivo": "Evento",
            "inicio": "2030-06-14T18:00",  # Lima time
            "fin": "2030-06-17T08:00",
        },
    )
    assert respuesta.status_code == 201, respuesta.content
    programado = cuerpo(respuesta)
    assert programado["estado"] == Estado.PENDIENTE and programado["enlace_id"] == conexion.pk
    assert programado["inicio"] == "2030-06-14T18:00:00-05:00"
    assert programado["usuario"] == "operador" and programado["ajuste_aplicado_id"] is None
    lista = cuerpo(api_lectura.get(url(conexion)))
    assert lista["count"] == 1 and lista["results"][0]["id"] == programado["id"]
    # Applied at inicio and reverted at fin by the scheduler, through the bandwidth service.
    reloj.move_to(timezone.make_aware(datetime(2030, 6, 14, 18, 0)))
    ajustes_programados_aplicar()
    reloj.move_to(timezone.make_aware(datetime(2030, 6, 17, 8, 0)))
    ajustes_programados_aplicar()
    final = cuerpo(api_lectura.get(url(conexion)))["results"][0]
    assert final["estado"] == Estado.REVERTIDO
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 300
    assert list(AjusteBW.objects.order_by("id").values_list("bw_resultante", flat=True)) == [
        500,
        300,
    ]


def test_sin_inicio_se_aplica_ahora(api_operador, conexion):
    respuesta = api_operador.post(
        url(conexion), {"modo": "DISMINUIR", "mbps": 100, "fin": "2030-06-15T08:00"}
    )
    assert respuesta.status_code == 201, respuesta.content
    assert cuerpo(respuesta)["estado"] == Estado.APLICADO
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 200


def test_sobresuscribir_en_el_futuro_es_409_con_las_cifras_de_entonces(api_operador, conexion):
    otra = ConexionFactory(servicio=conexion.servicio, bw_contratado=600)
    inicio = (AHORA + timedelta(days=1)).isoformat()
    pedido = {"modo": "AUMENTAR", "mbps": 50, "inicio": inicio}
    api_operador.post(f"/v1/conexiones/{otra.pk}/ajustes-programados", pedido)
    respuesta = api_operador.post(
        url(conexion), {"modo": "AUMENTAR", "mbps": 100, "inicio": inicio}
    )
    assert respuesta.status_code == 409, respuesta.content
    detalle = cuerpo(respuesta)
    assert "confirmar" in detalle
    # 1000 − 900 sold − 50 scheduled before it − 100 = −50 then.
    assert detalle["calculo"]["servicio_disponible_resultante"] == -50
    assert AjusteProgramado.objects.filter(conexion=conexion).count() == 0
    confirmado = api_operador.post(
        url(conexion), {"modo": "AUMENTAR", "mbps": 100, "inicio": inicio, "confirmar": True}
    )
    assert confirmado.status_code == 201


@pytest.mark.parametrize(
    ("pedido", "campo"),
    [
        (
            {
                "modo": "AUMENTAR",
                "mbps": 10,
                "inicio": "2030-06-16T10:00",
                "fin": "2030-06-15T10:00",
            },
            "fin",
        ),
        ({"modo": "SUBIR", "mbps": 10}, "modo"),
        ({"modo": "AUMENTAR", "mbps": 0}, "mbps"),
        ({"modo": "AUMENTAR", "mbps": 10, "inicio": "mañana"}, "inicio"),
    ],
)
def test_errores_por_campo(api_operador, conexion, pedido, campo):
    respuesta = api_operador.post(url(conexion), pedido)
    assert respuesta.status_code == 400
    assert campo in cuerpo(respuesta)
    assert not AjusteProgramado.objects.exists()


def test_cancelar(api_operador, api_lectura, conexion):
    pedido = {"modo": ModoAjuste.AUMENTAR, "mbps": 10, "inicio": "2030-06-20T10:00"}
    creado = cuerpo(api_operador.post(url(conexion), pedido))
    programado = AjusteProgramado.objects.get(pk=creado["id"])
    assert api_lectura.delete(url(conexion, programado)).status_code == 403
    respuesta = api_operador.delete(url(conexion, programado))
    assert respuesta.status_code == 200
    assert cuerpo(respuesta)["estado"] == Estado.CANCELADO
    assert cuerpo(respuesta)["cancelado_por"] == "operador"
    otra_vez = api_operador.delete(url(conexion, programado))
    assert otra_vez.status_code == 400
    otra = ConexionFactory()
    assert api_operador.delete(url(otra, programado)).status_code == 404


def test_conexion_inexistente(api_operador, api_lectura):
    assert api_lectura.get("/v1/conexiones/999999/ajustes-programados").status_code == 404
    respuesta = api_operador.post(
        "/v1/conexiones/999999/ajustes-programados", {"modo": "AUMENTAR", "mbps": 1}
    )
    assert respuesta.status_code == 404
