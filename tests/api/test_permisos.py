"""The permission matrix of the API, walked over every /v1/ route: anonymous or a bad token
→ 401; "NOC lectura" reads, 403 on every write; "NOC operador" and superusers read and write."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isp_portal.models import TokenAPI
from isp_portal.services import token_crear
from tests.api.conftest import ClienteAPI
from tests.isp_portal.rutas import rutas_api, sin_nombre

pytestmark = pytest.mark.django_db

METODOS = ("get", "post", "put", "delete")
ESPECIALES = {"api:schema", "api:docs", "api:redoc", "api:no_encontrado"}
RUTAS = [r for r in rutas_api() if r.nombre not in ESPECIALES]
MODELOS = {
    "clientecorp": "clientes.ClienteCorp",
    "sede": "clientes.Sede",
    "conexion": "conexiones.Conexion",
    "mantenimiento": "mantenimientos.Mantenimiento",
    "servicio": "proveedores.ServicioProveedor",
}


def _casos(lectura: bool | None = None):
    """(route, method) pairs; lectura=True only reads, False only writes."""
    casos = []
    for ruta in RUTAS:
        for metodo in METODOS:
            if not hasattr(ruta.view_class, metodo):
                continue
            if lectura is not None and (metodo == "get") != lectura:
                continue
            casos.append(pytest.param(ruta, metodo, id=f"{metodo.upper()} {ruta.nombre}"))
    return casos


def _url(ruta, datos) -> str:
    kwargs = {}
    for argumento in ruta.argumentos:
        if argumento == "cliente_id":
            etiqueta = "clientes.ClienteCorp"
        elif argumento == "programado_id":
            etiqueta = "conexiones.AjusteProgramado"
        else:
            etiqueta = MODELOS[ruta.nombre_corto.split("_")[0]]
        kwargs[argumento] = datos[etiqueta].pk
    return reverse(ruta.nombre, kwargs=kwargs)


@pytest.fixture
def datos(datos_de_rutas):
    return datos_de_rutas


def _pedir(cliente, metodo, url, datos):
    cuerpo = {"id": datos["clientes.Sede"].pk} if url.endswith("sedes/editar") else {}
    if metodo in ("get", "delete"):
        respuesta = getattr(cliente, metodo)(url)
    else:
        respuesta = getattr(cliente, metodo)(url, cuerpo)
    assert respuesta["Content-Type"] == "application/json", (url, respuesta.content[:200])
    return respuesta


def test_cada_ruta_de_la_api_tiene_nombre_y_metodos():
    assert sin_nombre() == []
    assert len(RUTAS) >= 18
    assert all(any(hasattr(r.view_class, m) for m in METODOS) for r in RUTAS)
    assert {r.nombre for r in rutas_api()} >= ESPECIALES


@pytest.mark.parametrize(("ruta", "metodo"), _casos())
def test_anonimo_recibe_401(api_anonimo, datos, ruta, metodo):
    respuesta = _pedir(api_anonimo, metodo, _url(ruta, datos), datos)
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"] == 'Bearer realm="api"'
    assert json.loads(respuesta.content) == {
        "detail": "Las credenciales de autenticación no se proveyeron."
    }


@pytest.mark.parametrize(("ruta", "metodo"), _casos())
def test_token_invalido_recibe_401(datos, ruta, metodo):
    respuesta = _pedir(ClienteAPI("isp_no-es-un-token"), metodo, _url(ruta, datos), datos)
    assert respuesta.status_code == 401
    assert json.loads(respuesta.content) == {"detail": "Token inválido, vencido o revocado."}


@pytest.mark.parametrize(("ruta", "metodo"), _casos(lectura=True))
def test_lectura_lee(api_lectura, datos, ruta, metodo):
    assert _pedir(api_lectura, metodo, _url(ruta, datos), datos).status_code == 200


@pytest.mark.parametrize(("ruta", "metodo"), _casos(lectura=False))
def test_lectura_recibe_403_en_cada_escritura(api_lectura, datos, ruta, metodo):
    respuesta = _pedir(api_lectura, metodo, _url(ruta, datos), datos)
    assert respuesta.status_code == 403
    assert json.loads(respuesta.content) == {"detail": "Su rol no permite esta operación."}


@pytest.mark.parametrize(("ruta", "metodo"), _casos())
def test_operador_lee_y_escribe(api_operador, datos, ruta, metodo):
    # An empty body: a write is refused for its content (400) or done, never for the role.
    respuesta = _pedir(api_operador, metodo, _url(ruta, datos), datos)
    assert respuesta.status_code in ((200,) if metodo == "get" else (200, 400)), respuesta.content


@pytest.mark.parametrize(("ruta", "metodo"), _casos())
def test_superusuario_lee_y_escribe(api_admin, datos, ruta, metodo):
    respuesta = _pedir(api_admin, metodo, _url(ruta, datos), datos)
    assert respuesta.status_code in ((200,) if metodo == "get" else (200, 400)), respuesta.content


def test_usuario_sin_rol_recibe_403(datos):
    usuario = get_user_model().objects.create_user("sinrol", password="x")
    _, token = token_crear(usuario=usuario)
    assert ClienteAPI(token).get("/v1/conexiones/listar").status_code == 403


def test_operador_ajusta_bw_y_lectura_no(api_operador, api_lectura, datos):
    conexion = datos["conexiones.Conexion"]
    url = f"/v1/conexiones/{conexion.pk}/ajustar-bw"
    cuerpo = {"modo": "AUMENTAR", "mbps": 5, "confirmar": True}
    assert api_lectura.post(url, cuerpo).status_code == 403
    assert api_operador.post(url, cuerpo).status_code == 200


def test_token_vencido_revocado_o_de_usuario_inactivo_recibe_401(usuario_operador, datos):
    fila, token = token_crear(usuario=usuario_operador)
    cliente = ClienteAPI(token)
    assert cliente.get("/v1/nodos/listar").status_code == 200
    TokenAPI.objects.filter(pk=fila.pk).update(expira=timezone.now() - timedelta(seconds=1))
    assert cliente.get("/v1/nodos/listar").status_code == 401
    TokenAPI.objects.filter(pk=fila.pk).update(expira=timezone.now() + timedelta(days=1))
    usuario_operador.is_active = False
    usuario_operador.save()
    assert cliente.get("/v1/nodos/listar").status_code == 401
    usuario_operador.is_active = True
    usuario_operador.save()
    assert cliente.get("/v1/nodos/listar").status_code == 200
    fila.delete()
    assert cliente.get("/v1/nodos/listar").status_code == 401


@pytest.mark.parametrize(
    "cabecera", ["Bearer", "Bearer a b", "Bearer \u00e9", "Token abc", "Basic YTpi", "bearer x"]
)
def test_cabeceras_mal_formadas(datos, cabecera):
    respuesta = Client().get("/v1/nodos/listar", headers={"Authorization": cabecera})
    assert respuesta.status_code == 401
    assert respuesta["Content-Type"] == "application/json"


def test_la_sesion_tambien_vale_y_exige_csrf(usuario_operador, datos):
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(usuario_operador)
    assert cliente.get("/v1/conexiones/listar").status_code == 200
    conexion = datos["conexiones.Conexion"]
    url = f"/v1/conexiones/{conexion.pk}/ajustar-bw"
    cuerpo = json.dumps({"modo": "AUMENTAR", "mbps": 1, "confirmar": True})
    sin_csrf = cliente.post(url, cuerpo, content_type="application/json")
    assert sin_csrf.status_code == 403
    assert "CSRF" in json.loads(sin_csrf.content)["detail"]
    cliente.get("/v1/docs/?script")  # Swagger UI's start-up script sets the CSRF cookie
    con_csrf = cliente.post(
        url,
        cuerpo,
        content_type="application/json",
        headers={"X-CSRFToken": cliente.cookies["csrftoken"].value},
    )
    assert con_csrf.status_code == 200


def test_esquema_y_documentacion(api_anonimo, api_lectura, lectura_client):
    assert api_anonimo.get("/v1/schema/").status_code == 401
    assert api_lectura.get("/v1/schema/").status_code == 200
    for pagina in ("/v1/docs/", "/v1/redoc/"):
        anonimo = Client().get(pagina)
        assert anonimo.status_code == 302 and anonimo["Location"].startswith("/login/")
        assert lectura_client.get(pagina).status_code == 200
    # Only Redoc's page allows inline styles (it styles itself at run time).
    assert "'unsafe-inline'" not in lectura_client.get("/v1/docs/")["Content-Security-Policy"]
    politica = lectura_client.get("/v1/redoc/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in politica and "worker-src blob:" in politica
    assert "script-src 'self';" in politica
