"""Logged-in answers are not cached (`Cache-Control: no-store`), and a session ends after a
working day without activity (SESION_INACTIVIDAD_HORAS), while a session in use goes on."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conexiones.factories import ConexionFactory
from tests.api.conftest import cliente_con_token

pytestmark = pytest.mark.django_db

INICIO = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CLAVE = "clave-segura-1"


def entrar(client, usuario):
    respuesta = client.post("/login/", {"username": usuario.username, "password": CLAVE})
    assert respuesta.status_code == 302
    return client


@pytest.mark.parametrize("url", ["/", "/conexiones/", "/clientes_corporativo/", "/admin/"])
def test_las_paginas_con_sesion_no_se_guardan_en_cache(admin_client, url):
    ConexionFactory()
    respuesta = admin_client.get(url)
    assert respuesta.status_code == 200
    assert "no-store" in respuesta["Cache-Control"]
    assert "private" in respuesta["Cache-Control"]


def test_la_api_con_token_tampoco(usuario_lectura):
    respuesta = cliente_con_token(usuario_lectura).get("/v1/nodos/listar")
    assert respuesta.status_code == 200 and "no-store" in respuesta["Cache-Control"]


def test_una_jornada_sin_actividad_cierra_la_sesion(client, usuario_operador):
    assert settings.SESION_INACTIVIDAD_HORAS == 10
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    with time_machine.travel(INICIO, tick=False) as reloj:
        entrar(client, usuario_operador)
        assert client.get("/conexiones/").status_code == 200
        reloj.shift(timedelta(hours=9, minutes=50))
        assert client.get("/conexiones/").status_code == 200
        # The page above kept it alive: ten idle hours from then, not from the login.
        reloj.shift(timedelta(hours=9, minutes=55))
        assert client.get("/conexiones/").status_code == 200
        reloj.shift(timedelta(hours=10, minutes=1))
        respuesta = client.get("/conexiones/")
        assert respuesta.status_code == 302 and respuesta["Location"].startswith("/login/")


def test_la_cookie_vence_con_la_sesion(client, usuario_operador):
    with time_machine.travel(INICIO, tick=False) as reloj:
        entrar(client, usuario_operador)
        assert client.cookies["sessionid"]["max-age"] == 10 * 3600
        reloj.shift(timedelta(hours=2))
        respuesta = client.get("/")
        assert respuesta.cookies["sessionid"]["max-age"] == 10 * 3600
        sesion = Session.objects.get()
        assert sesion.expire_date == INICIO + timedelta(hours=12)


def test_se_configura_por_variable(settings, client, usuario_operador):
    entorno = {**os.environ, "DEBUG": "1", "SESION_INACTIVIDAD_HORAS": "1"}
    codigo = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'isp_portal.settings'; "
        "django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo], env=entorno, capture_output=True, text=True, check=True
    )
    assert salida.stdout.strip() == "3600"
    settings.SESSION_COOKIE_AGE = 3600
    with time_machine.travel(INICIO, tick=False) as reloj:
        entrar(client, usuario_operador)
        reloj.shift(timedelta(minutes=61))
        assert client.get("/").status_code == 302


def test_las_paginas_seguidas_no_escriben_la_sesion(client, usuario_operador):
    """Activity is marked every few minutes, not on each page (a write per page view)."""
    with time_machine.travel(INICIO, tick=False) as reloj:
        entrar(client, usuario_operador)
        reloj.shift(timedelta(minutes=2))
        with CaptureQueriesContext(connection) as consultas:
            assert client.get("/conexiones/").status_code == 200
        sesiones = [c["sql"] for c in consultas if "django_session" in c["sql"]]
        assert len(sesiones) == 1 and sesiones[0].lstrip().upper().startswith("SELECT")
