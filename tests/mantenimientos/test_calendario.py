"""/mantenimientos.ics: an iCalendar feed (parsed back with the same library), authenticated
by the API's token or the session."""

from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from isp_portal.services import token_crear
from mantenimientos.services import mantenimiento_cancelar

from .conftest import crear_ventana

pytestmark = pytest.mark.django_db

URL = "/mantenimientos.ics"


def eventos(respuesta) -> list:
    assert respuesta.status_code == 200, respuesta.content
    assert respuesta["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(respuesta.content).walk("VEVENT")


def test_el_calendario_se_lee_con_icalendar(escenario, usuario_lectura, usuario_operador):
    ventana = crear_ventana(escenario.nodo, tipo="emergencia")
    cancelada = crear_ventana(escenario.nodo, horas=48)
    mantenimiento_cancelar(mantenimiento=cancelada, usuario=usuario_operador)
    crear_ventana(escenario.nodo, horas=-24 * 200, duracion=2)  # too old for the feed
    _, token = token_crear(usuario=usuario_lectura, nombre="calendario")
    respuesta = Client().get(URL, headers={"Authorization": f"Bearer {token}"})
    evento, otro = eventos(respuesta)
    assert evento["uid"] == f"mantenimiento-{ventana.pk}@testserver"
    # iCalendar holds whole seconds.
    assert evento.decoded("dtstart") == ventana.inicio.replace(microsecond=0)
    assert evento.decoded("dtend") == ventana.fin.replace(microsecond=0)
    assert evento.decoded("dtend") - evento.decoded("dtstart") == timedelta(hours=4)
    assert str(evento["summary"]) == "[Emergencia] Nodo POP-SUR"
    assert str(evento["description"]) == ventana.descripcion
    assert str(evento["status"]) == "CONFIRMED"
    assert str(otro["status"]) == "CANCELLED"


def test_token_en_la_url_para_programas_de_calendario(escenario, usuario_lectura):
    crear_ventana(escenario.nodo)
    _, token = token_crear(usuario=usuario_lectura, nombre="calendario")
    assert len(eventos(Client().get(f"{URL}?token={token}"))) == 1


def test_sesion(escenario, lectura_client):
    crear_ventana(escenario.nodo)
    assert len(eventos(lectura_client.get(URL))) == 1


@pytest.mark.parametrize(
    "cabeceras",
    [{"Authorization": "Bearer isp_no-es-un-token"}, {"Authorization": "Bearer a b"}],
)
def test_token_invalido_401(cabeceras):
    respuesta = Client().get(URL, headers=cabeceras)
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Client().get(f"{URL}?token=otro").status_code == 401


def test_sin_credenciales_va_al_login():
    respuesta = Client().get(URL)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith("/login/")


def test_usuario_sin_rol_403(django_user_model):
    usuario = django_user_model.objects.create_user("sinrol", password="x-clave-segura-1")
    _, token = token_crear(usuario=usuario, nombre="x")
    assert Client().get(URL, headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_solo_get(lectura_client):
    assert lectura_client.post(URL).status_code == 405
