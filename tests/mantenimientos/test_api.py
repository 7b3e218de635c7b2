"""/v1/mantenimientos: list, create (201 with the GET body), detail with afectadas and
sin_correo, notificar, cancelar; the pages' roles; Spanish errors."""

import json

import pytest
from django.core import mail

from mantenimientos.models import Mantenimiento
from tests.api.conftest import cliente_con_token

pytestmark = pytest.mark.django_db

API = "/v1/mantenimientos"


@pytest.fixture
def api_operador(usuario_operador):
    return cliente_con_token(usuario_operador)


@pytest.fixture
def api_lectura(usuario_lectura):
    return cliente_con_token(usuario_lectura)


def cuerpo(escenario, **cambios):
    return {
        "tipo_objeto": "nodo",
        "objeto_id": escenario.nodo.pk,
        "inicio": "2030-12-06T01:00:00-05:00",
        "fin": "2030-12-06T05:00:00-05:00",
        "tipo": "emergencia",
        "descripcion": "Cambio de fuente.",
        **cambios,
    }


def test_crear_responde_201_con_el_cuerpo_del_get(escenario, api_operador, usuario_operador):
    respuesta = api_operador.post(API, cuerpo(escenario))
    assert respuesta.status_code == 201, respuesta.content
    datos = respuesta.json()
    m = Mantenimiento.objects.get()
    assert datos == api_operador.get(f"{API}/{m.pk}").json()
    assert datos["inicio"] == "2030-12-06T01:00:00-05:00"  # ISO with the Lima offset
    assert datos["fin"] == "2030-12-06T05:00:00-05:00"
    assert (datos["estado"], datos["tipo"], datos["objeto"]) == (
        "programado",
        "emergencia",
        "POP-SUR",
    )
    assert datos["usuario"] == usuario_operador.username
    assert [a["cid_enlace"] for a in datos["afectadas"]] == ["100001", "100002", "200001", "300001"]
    assert {a["cid_enlace"]: a["razon_social"] for a in datos["afectadas"]}["300001"] == (
        "Clínica Huascarán S.A.C."
    )
    assert datos["sin_correo"] == [
        {"cliente_id": escenario.clinica.pk, "razon_social": "Clínica Huascarán S.A.C."}
    ]


def test_utc_se_guarda_y_se_responde_en_hora_de_lima(escenario, api_operador):
    datos = api_operador.post(
        API, cuerpo(escenario, inicio="2030-12-06T06:00:00Z", fin="2030-12-06T10:00:00Z")
    ).json()
    assert (datos["inicio"], datos["fin"]) == (
        "2030-12-06T01:00:00-05:00",
        "2030-12-06T05:00:00-05:00",
    )


@pytest.mark.parametrize(
    ("cambios", "errores"),
    [
        ({"fin": "2030-12-06T01:00:00-05:00"}, {"fin": ["El fin debe ser posterior al inicio."]}),
        ({"fin": "2030-12-05T23:00:00-05:00"}, {"fin": ["El fin debe ser posterior al inicio."]}),
        ({"objeto_id": 99999}, {"objeto_id": ["No existe el nodo 99999."]}),
        (
            {"tipo_objeto": "sede"},
            {"tipo_objeto": ["Elija una de las opciones: nodo, servicio, equipo, proveedor."]},
        ),
        (
            {"fin": "2150-12-31T23:00:00-05:00"},
            {
                "fin": [
                    "La fecha 31/12/2150 está fuera del rango admitido "
                    "(del 01/01/2000 al 31/12/2100)."
                ]
            },
        ),
        # Past 9999 in UTC: the site's range, as every date of the API (isp_portal.fechas).
        (
            {"fin": "9999-12-31T23:00:00-05:00"},
            {"fin": ["La fecha está fuera del rango admitido (del 01/01/2000 al 31/12/2100)."]},
        ),
        ({"estado": "cancelado"}, {"estado": ["Campo desconocido."]}),
    ],
)
def test_errores_en_espanol(escenario, api_operador, cambios, errores):
    respuesta = api_operador.post(API, cuerpo(escenario, **cambios))
    assert respuesta.status_code == 400
    assert respuesta.json() == errores
    assert not Mantenimiento.objects.exists()


def test_lista_filtros(escenario, api_lectura, api_operador):
    api_operador.post(API, cuerpo(escenario))
    api_operador.post(
        API, cuerpo(escenario, inicio="2020-01-01T00:00:00-05:00", fin="2020-01-01T02:00:00-05:00")
    )
    datos = api_lectura.get(API).json()
    assert datos["count"] == 2
    assert [m["estado"] for m in datos["results"]] == ["programado", "terminado"]
    assert api_lectura.get(f"{API}?estado=terminado").json()["count"] == 1
    respuesta = api_lectura.get(f"{API}?estado=otro")
    assert respuesta.status_code == 400 and "estado" in respuesta.json()


def test_roles(escenario, api_lectura, api_operador):
    respuesta = api_lectura.post(API, cuerpo(escenario))
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detail": "Su rol no permite esta operación."}
    pk = api_operador.post(API, cuerpo(escenario)).json()["id"]
    assert api_lectura.get(f"{API}/{pk}").status_code == 200
    for accion in ("notificar", "cancelar"):
        assert api_lectura.post(f"{API}/{pk}/{accion}", {}).status_code == 403
    assert mail.outbox == []
    assert Mantenimiento.objects.get().cancelado_en is None


def test_notificar_y_cancelar(escenario, api_operador):
    pk = api_operador.post(API, cuerpo(escenario)).json()["id"]
    respuesta = api_operador.post(f"{API}/{pk}/notificar", {})
    assert respuesta.json() == {
        "en_cola": 0,
        "enviados": 2,
        "fallidos": 0,
        "al_dia": 0,
        "sin_correo": 1,
    }
    assert len(mail.outbox) == 2
    again = api_operador.post(f"{API}/{pk}/notificar", {}).json()
    assert (again["enviados"], again["al_dia"]) == (0, 2)
    assert len(mail.outbox) == 2
    cancelado = api_operador.post(f"{API}/{pk}/cancelar", {})
    assert cancelado.status_code == 200 and cancelado.json()["estado"] == "cancelado"
    assert cancelado.json()["avisos"]["enviado"] == 2
    assert api_operador.post(f"{API}/{pk}/notificar", {}).json()["enviados"] == 2
    assert [m.subject.startswith("Mantenimiento cancelado") for m in mail.outbox[2:]] == [
        True,
        True,
    ]
    otra = api_operador.post(f"{API}/{pk}/cancelar", {})
    assert otra.status_code == 400
    assert otra.json() == {
        "non_field_errors": ["El mantenimiento está cancelado: no se puede cancelar."]
    }


def test_notificar_rechaza_campos(escenario, api_operador):
    pk = api_operador.post(API, cuerpo(escenario)).json()["id"]
    respuesta = api_operador.post(f"{API}/{pk}/notificar", {"todos": True})
    assert respuesta.status_code == 400
    assert json.loads(respuesta.content) == {"todos": ["Campo desconocido."]}
    assert mail.outbox == []


def test_no_existe(api_lectura):
    respuesta = api_lectura.get(f"{API}/4242")
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Mantenimiento 4242 no existe."}


def test_esquema_describe_los_endpoints(api_lectura):
    esquema = api_lectura.get("/v1/schema/?format=json").json()
    for ruta in (
        "/v1/mantenimientos",
        "/v1/mantenimientos/{id}",
        "/v1/mantenimientos/{id}/notificar",
        "/v1/mantenimientos/{id}/cancelar",
    ):
        assert ruta in esquema["paths"], ruta
    assert "post" in esquema["paths"]["/v1/mantenimientos"]
