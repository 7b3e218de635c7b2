"""A body past DATA_UPLOAD_MAX_MEMORY_SIZE is 413 with the reason, JSON under /v1/ (it was a
500: Django's RequestDataTooBig reached the API's handler as an unknown error)."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def limite(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    return 2000


def test_un_json_grande_es_413(api_operador, limite):
    cuerpo = json.dumps({"razon_social": "x" * (2 * limite), "ruc": "20100047218"})
    respuesta = api_operador.post("/v1/clientes-corporativo/crear", cuerpo)
    assert respuesta.status_code == 413
    assert respuesta["Content-Type"] == "application/json"
    assert respuesta.json() == {
        "detail": f"La solicitud es demasiado grande: el cuerpo admite hasta {limite} bytes."
    }


def test_tambien_un_formulario_antes_de_autenticar(api_anonimo, limite):
    """Form data is read by a middleware, before the API's view: the error handler says it."""
    respuesta = api_anonimo.post(
        "/v1/clientes-corporativo/crear",
        "campo=" + "x" * (2 * limite),
        content_type="application/x-www-form-urlencoded",
    )
    assert respuesta.status_code == 413
    assert respuesta["Content-Type"] == "application/json"
    assert "demasiado grande" in respuesta.json()["detail"]


def test_una_pagina_dice_que_es_demasiado_grande(client, limite):
    respuesta = client.post("/login/", {"username": "x" * (2 * limite), "password": "y"})
    assert respuesta.status_code == 413
    assert "Solicitud demasiado grande" in respuesta.content.decode()
    assert str(limite) in respuesta.content.decode()
