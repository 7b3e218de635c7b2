from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_salud_responde_ok_sin_login(client):
    respuesta = client.get("/salud")
    assert respuesta.status_code == 200
    assert respuesta.json() == {"estado": "ok"}
    assert "sessionid" not in respuesta.cookies


def test_salud_responde_503_si_la_base_no_contesta(client):
    with mock.patch("isp_portal.views.connection.cursor", side_effect=OperationalError("caída")):
        respuesta = client.get("/salud")
    assert respuesta.status_code == 503
    assert respuesta.json() == {"estado": "error"}


def test_salud_responde_head_como_get(client):
    """Some load balancers probe with HEAD: the same status, no body."""
    respuesta = client.head("/salud")
    assert respuesta.status_code == 200
    assert respuesta.content == b""
    with mock.patch("isp_portal.views.connection.cursor", side_effect=OperationalError("caída")):
        assert client.head("/salud").status_code == 503


def test_salud_solo_acepta_get_y_head(client):
    assert client.post("/salud").status_code == 405


def test_salud_no_lee_la_sesion_si_la_base_cae(client, usuario_lectura):
    client.force_login(usuario_lectura)
    with mock.patch("isp_portal.views.connection.cursor", side_effect=OperationalError("caída")):
        respuesta = client.get("/salud")
    assert respuesta.status_code == 503
    assert "Cookie" not in respuesta.get("Vary", "")
