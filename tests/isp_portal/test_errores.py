"""Error pages: Spanish, in the site's layout, rendered without the user or the database;
503 (not 500) when the database does not answer; JSON under /v1/."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client

from tests.isp_portal.test_seguridad import CodigoEnLinea

pytestmark = pytest.mark.django_db


def _pagina_del_sitio(respuesta, estado: int, texto: str) -> str:
    assert respuesta.status_code == estado
    assert respuesta["Content-Type"].startswith("text/html")
    contenido = respuesta.content.decode()
    assert texto in contenido
    assert "· ISP Portal</title>" in contenido  # base.html
    assert "bootstrap.min.css" in contenido
    parser = CodigoEnLinea()
    parser.feed(contenido)
    assert not parser.problemas, parser.problemas
    return contenido


def _base_caida(error=OperationalError):
    """The database stops answering: every new cursor fails to connect."""
    return mock.patch.object(
        connections["default"], "ensure_connection", side_effect=error("la base no responde")
    )


@pytest.fixture
def sin_excepciones(usuario_lectura):
    """A logged-in client that gets the error page instead of the test client re-raising."""
    client = Client(raise_request_exception=False)
    client.force_login(usuario_lectura)
    return client


def test_404_en_castellano(lectura_client):
    respuesta = lectura_client.get("/no-existe/")
    _pagina_del_sitio(respuesta, 404, "Página no encontrada")


def test_404_sin_sesion(client):
    _pagina_del_sitio(client.get("/no-existe/"), 404, "Página no encontrada")


def test_403_sin_permiso_con_enlace_de_vuelta(lectura_client):
    anterior = "http://testserver/clientes_corporativo/"
    respuesta = lectura_client.get("/clientes_corporativo/nuevo", HTTP_REFERER=anterior)
    contenido = _pagina_del_sitio(respuesta, 403, "No tiene permiso")
    assert f'href="{anterior}"' in contenido
    assert "Volver" in contenido


def test_403_no_enlaza_otro_sitio(lectura_client):
    respuesta = lectura_client.get(
        "/clientes_corporativo/nuevo", HTTP_REFERER="https://otro.example/phish"
    )
    contenido = _pagina_del_sitio(respuesta, 403, "No tiene permiso")
    assert "otro.example" not in contenido
    assert "Volver" not in contenido


def test_403_csrf_en_castellano(usuario_lectura):
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuario_lectura)
    contenido = _pagina_del_sitio(client.post("/logout/"), 403, "Solicitud rechazada")
    assert "CSRF" in contenido


def test_400_en_castellano(client):
    # A Host outside ALLOWED_HOSTS is a SuspiciousOperation: handler400.
    respuesta = client.get("/login/", HTTP_HOST="malo.example")
    _pagina_del_sitio(respuesta, 400, "Solicitud incorrecta")


def test_500_en_castellano(sin_excepciones):
    with mock.patch("isp_portal.views.HomeView.get_context_data", side_effect=RuntimeError):
        respuesta = sin_excepciones.get("/")
    contenido = _pagina_del_sitio(respuesta, 500, "Error del servidor")
    assert "lectura" not in contenido  # no user: the page renders without the request


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_503_con_sesion_si_la_base_no_responde(sin_excepciones, error):
    """Reading the session (middleware, before any view) fails: 503, not 500."""
    with _base_caida(error):
        respuesta = sin_excepciones.get("/clientes_corporativo/")
    _pagina_del_sitio(respuesta, 503, "Servicio no disponible")
    assert respuesta["Retry-After"] == "60"


def test_503_si_la_base_cae_en_la_vista(sin_excepciones):
    with mock.patch(
        "isp_portal.views.HomeView.get_context_data", side_effect=OperationalError("caída")
    ):
        respuesta = sin_excepciones.get("/")
    _pagina_del_sitio(respuesta, 503, "Servicio no disponible")


def test_login_con_la_base_caida_es_503():
    client = Client(raise_request_exception=False)
    with _base_caida():
        respuesta = client.post("/login/", {"username": "x", "password": "y"})
    _pagina_del_sitio(respuesta, 503, "Servicio no disponible")


# --- the API keeps its JSON errors ----------------------------------------------------------
def test_api_503_en_json_si_la_base_no_responde(sin_excepciones):
    with _base_caida():
        respuesta = sin_excepciones.get("/v1/clientes-corporativo/listar")
    assert respuesta.status_code == 503
    assert respuesta["Retry-After"] == "60"
    assert "base de datos no responde" in respuesta.json()["detail"]


def test_api_404_y_400_en_json(client):
    respuesta = client.get("/v1/no-existe")
    assert respuesta.status_code == 404
    assert "detail" in respuesta.json()
    respuesta = client.get("/v1/clientes-corporativo/listar", HTTP_HOST="malo.example")
    assert respuesta.status_code == 400
    assert respuesta.json() == {"detail": "Solicitud incorrecta."}


def test_api_403_y_500_en_json(usuario_lectura):
    from isp_portal.services import token_crear

    _, token = token_crear(usuario=usuario_lectura, nombre="pruebas", dias=1)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    respuesta = client.post("/v1/clientes-corporativo/crear", {}, content_type="application/json")
    assert respuesta.status_code == 403
    assert "detail" in respuesta.json()
    with mock.patch("clientes.api.views.ClienteCorpListarApi.get", side_effect=RuntimeError):
        respuesta = client.get("/v1/clientes-corporativo/listar")
    assert respuesta.status_code == 500
    assert respuesta.json() == {"detail": "Error interno del servidor."}


def test_paginas_de_error_sin_base_ni_usuario():
    """500 and 503 render with no request at all: no query, no user."""
    from django.template import loader
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections["default"]) as consultas:
        for estado in (400, 403, 404, 500, 503):
            assert "ISP Portal" in loader.render_to_string(f"{estado}.html")
    assert not consultas.captured_queries
