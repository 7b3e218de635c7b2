"""API tokens: stored as a digest with an expiry, created by `crear_token` or the "Token de
API" page (shown once), revoked by their owner only; the rate limit per user."""

import io
import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from isp_portal.api import limites
from isp_portal.models import ContadorAPI, TokenAPI
from isp_portal.services import token_crear, token_digest
from tests.api.conftest import ClienteAPI

pytestmark = pytest.mark.django_db


def test_se_guarda_solo_la_huella(usuario_lectura):
    fila, token = token_crear(usuario=usuario_lectura, nombre="ERP", dias=30)
    fila.refresh_from_db()
    assert token.startswith("isp_") and len(token) >= 40
    assert fila.digest == token_digest(token) != token
    assert token not in {fila.digest, fila.nombre, fila.prefijo}
    assert token.startswith(fila.prefijo) and len(fila.prefijo) == 12
    vence = fila.expira - fila.creado
    assert timedelta(days=30) - timedelta(seconds=5) < vence <= timedelta(days=30)


@pytest.mark.parametrize("dias", [0, -1, 100_000, "90", True])
def test_dias_fuera_de_rango(usuario_lectura, dias):
    with pytest.raises(ValidationError):
        token_crear(usuario=usuario_lectura, dias=dias)


def test_crear_token_imprime_el_token_solo_en_la_ultima_linea(usuario_operador):
    salida, errores = io.StringIO(), io.StringIO()
    call_command("crear_token", "operador", "--dias", "7", stdout=salida, stderr=errores)
    token = salida.getvalue().strip().splitlines()[-1]
    assert token == salida.getvalue().strip()
    assert "no se volverá a mostrar" in errores.getvalue()
    fila = TokenAPI.objects.get(digest=token_digest(token))
    assert fila.usuario == usuario_operador
    assert fila.expira - timezone.now() <= timedelta(days=7)
    assert ClienteAPI(token).get("/v1/conexiones/listar").status_code == 200


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [(["nadie"], "No existe el usuario"), (["operador", "--dias", "0"], "de 1 a")],
)
def test_crear_token_con_errores(usuario_operador, argumentos, mensaje):
    with pytest.raises(CommandError, match=mensaje):
        call_command("crear_token", *argumentos, stdout=io.StringIO(), stderr=io.StringIO())


def test_la_pagina_crea_el_token_y_lo_muestra_una_vez(lectura_client, usuario_lectura):
    respuesta = lectura_client.post("/cuenta/tokens-api/", {"nombre": "monitoreo", "dias": 30})
    assert respuesta.status_code == 200
    assert "no-store" in respuesta["Cache-Control"]
    fila = TokenAPI.objects.get(usuario=usuario_lectura)
    texto = respuesta.content.decode()
    token = texto.split('id="token-nuevo" value="', 1)[1].split('"', 1)[0]
    assert token_digest(token) == fila.digest
    assert "no se volverá a mostrar" in texto
    despues = lectura_client.get("/cuenta/tokens-api/").content.decode()
    assert token not in despues and fila.prefijo in despues and "monitoreo" in despues


def test_la_pagina_rechaza_dias_invalidos(lectura_client):
    respuesta = lectura_client.post("/cuenta/tokens-api/", {"dias": 9999})
    assert respuesta.status_code == 200
    assert not TokenAPI.objects.exists()


def test_cada_usuario_revoca_solo_sus_tokens(lectura_client, usuario_lectura, usuario_operador):
    propio, _ = token_crear(usuario=usuario_lectura)
    ajeno, token_ajeno = token_crear(usuario=usuario_operador)
    respuesta = lectura_client.post("/cuenta/tokens-api/", {"revocar": ajeno.pk}, follow=True)
    assert "no existe o no es suyo" in respuesta.content.decode()
    assert TokenAPI.objects.filter(pk=ajeno.pk).exists()
    assert ajeno.prefijo not in lectura_client.get("/cuenta/tokens-api/").content.decode()
    lectura_client.post("/cuenta/tokens-api/", {"revocar": propio.pk})
    assert not TokenAPI.objects.filter(pk=propio.pk).exists()
    assert ClienteAPI(token_ajeno).get("/v1/nodos/listar").status_code == 200


def test_la_pagina_exige_csrf(usuario_lectura):
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(usuario_lectura)
    assert cliente.post("/cuenta/tokens-api/", {"dias": 30}).status_code == 403
    assert not TokenAPI.objects.exists()


def test_el_menu_del_usuario_lleva_a_la_pagina(lectura_client):
    assert 'href="/cuenta/tokens-api/"' in lectura_client.get("/").content.decode()


def test_permisos_del_token_iguales_a_los_del_usuario(usuario_lectura, usuario_operador):
    from rest_framework.test import APIRequestFactory

    from isp_portal.api.autenticacion import TokenBearer

    for usuario in (usuario_lectura, usuario_operador):
        _, token = token_crear(usuario=usuario)
        peticion = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}")
        autenticado, _ = TokenBearer().authenticate(peticion)
        fresco = get_user_model().objects.get(pk=usuario.pk)
        assert autenticado.get_all_permissions() == fresco.get_all_permissions()
        assert autenticado.get_all_permissions()


# --- rate limit --------------------------------------------------------------------------------
@pytest.fixture
def limite_de_3(settings):
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {"usuario": "3/min"}
    settings.REST_FRAMEWORK = rest


def test_limite_por_usuario_429_con_retry_after(limite_de_3, api_lectura, api_operador):
    assert api_operador.get("/v1/nodos/listar").status_code == 200
    assert api_operador.post("/v1/conexiones", {}).status_code == 400  # writes count too
    assert api_operador.get("/v1/nodos/listar").status_code == 200
    for metodo in ("get", "post"):
        respuesta = getattr(api_operador, metodo)(
            "/v1/nodos/listar" if metodo == "get" else "/v1/conexiones", {}
        )
        assert respuesta.status_code == 429
        assert 1 <= int(respuesta["Retry-After"]) <= 60
        assert "detail" in json.loads(respuesta.content)
    # Another user has their own count.
    assert api_lectura.get("/v1/nodos/listar").status_code == 200


def test_el_contador_vive_en_la_base_y_se_reinicia_con_la_ventana(
    limite_de_3, api_lectura, usuario_lectura, monkeypatch
):
    for _ in range(4):
        api_lectura.get("/v1/nodos/listar")
    fila = ContadorAPI.objects.get(clave=f"usuario:{usuario_lectura.pk}")
    assert fila.solicitudes == 4
    ahora = time.time()
    monkeypatch.setattr(limites.time, "time", lambda: ahora + 60)
    assert api_lectura.get("/v1/nodos/listar").status_code == 200
    fila.refresh_from_db()
    assert fila.solicitudes == 1


def test_contar_solicitud_es_atomico_en_una_sentencia(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert limites.contar_solicitud("x", 60) == 1
    assert [limites.contar_solicitud("x", 60) for _ in range(3)] == [2, 3, 4]
    assert limites.contar_solicitud("x", 120) == 1
