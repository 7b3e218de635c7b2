"""Login is required everywhere; the login page is Spanish; the NOC roles carry the right perms."""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

from isp_portal.roles import APPS_DEL_DOMINIO, GRUPO_LECTURA, GRUPO_OPERADOR

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
# The admin sends anonymous visitors to its own login form (Django's admin_view).
LOGIN_ADMIN = "/admin/login/"
# The calendar feed answers its own 401 (a token, as the API): calendar programs log in no form.
PUBLICAS = {LOGIN, "/salud", "/salud/", "/favicon.ico", "/mantenimientos.ics"}
VALOR_POR_CONVERSOR = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: str(uuid.UUID(int=1)),
}
_GRUPO_REGEX = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def _rellenar_ruta(patron: RoutePattern) -> str:
    ruta = str(patron._route)
    for nombre, conversor in patron.converters.items():
        valor = next(
            (v for tipo, v in VALOR_POR_CONVERSOR.items() if isinstance(conversor, tipo)), None
        )
        if valor is None:  # a project converter: let it say what a value looks like
            valor = conversor.to_url(conversor.to_python("1"))
        ruta = re.sub(rf"<(\w+:)?{nombre}>", valor, ruta)
    return ruta


def _rellenar_regex(patron: RegexPattern) -> str:
    regex = patron._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    return _GRUPO_REGEX.sub(lambda m: "1" if r"\d" in m.group(2) else "x", regex)


def _rellenar(patron) -> str:
    if isinstance(patron, RoutePattern):
        return _rellenar_ruta(patron)
    return _rellenar_regex(patron)


def rutas(patrones=None, prefijo: str = "/") -> list[str]:
    """Every URL of the URLconf with its converters filled; of the admin, only /admin/."""
    if patrones is None:
        patrones = get_resolver().url_patterns
    encontradas = []
    for patron in patrones:
        ruta = prefijo + _rellenar(patron.pattern)
        if isinstance(patron, URLResolver):
            if patron.namespace == "admin":
                encontradas.append(ruta)
                continue
            encontradas += rutas(patron.url_patterns, ruta)
        elif isinstance(patron, URLPattern):
            encontradas.append(ruta)
    return sorted(set(encontradas))


RUTAS = rutas()
# The JSON API answers an anonymous call with 401 (or 404 off its routes), not the login page;
# its docs page is a page like any other.
API = "/v1/"
DOCS_API = {"/v1/docs/", "/v1/redoc/"}


def es_api(ruta: str) -> bool:
    return ruta.startswith(API) and ruta not in DOCS_API


def test_el_recorrido_encuentra_las_paginas_conocidas():
    assert {"/", LOGIN, "/logout/", "/admin/"} <= set(RUTAS)
    assert not [r for r in RUTAS if r.startswith("/admin/") and r != "/admin/"]
    assert not [r for r in RUTAS if "<" in r or "(?P" in r], RUTAS


def logins_para(ruta: str) -> set[str]:
    return {LOGIN, LOGIN_ADMIN} if ruta.startswith("/admin/") else {LOGIN}


@pytest.mark.parametrize("ruta", [r for r in RUTAS if r not in PUBLICAS and not es_api(r)])
def test_anonimo_va_al_login(client, ruta):
    respuesta = client.get(ruta)
    assert respuesta.status_code == 302, ruta
    destino = urlsplit(respuesta["Location"])
    assert destino.path in logins_para(ruta), respuesta["Location"]
    assert parse_qs(destino.query)["next"] == [ruta]
    pagina = client.get(respuesta["Location"])
    assert pagina.status_code == 200
    assert 'name="password"' in pagina.content.decode()


@pytest.mark.parametrize("ruta", [r for r in RUTAS if es_api(r)])
def test_anonimo_recibe_401_json_en_la_api(client, ruta):
    for respuesta in (client.get(ruta), client.post(ruta, {}, content_type="application/json")):
        assert respuesta.status_code in (401, 404, 405), ruta
        assert respuesta["Content-Type"] == "application/json", ruta
        if respuesta.status_code == 401:
            assert respuesta["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("ruta", [r for r in RUTAS if r not in PUBLICAS and not es_api(r)])
def test_anonimo_va_al_login_tambien_por_post(client, ruta):
    respuesta = client.post(ruta, {"nombre": "intruso"})
    assert respuesta.status_code in (302, 403), ruta
    if respuesta.status_code == 302:
        assert urlsplit(respuesta["Location"]).path in logins_para(ruta)


def test_salud_es_publica_si_existe(client):
    salud = [r for r in RUTAS if r.rstrip("/") == "/salud"]
    if not salud:
        pytest.skip("el proyecto no tiene /salud")
    assert client.get(salud[0]).status_code == 200


class TestLogin:
    def test_pagina_de_login_en_espanol(self, client):
        respuesta = client.get(LOGIN)
        assert respuesta.status_code == 200
        html = respuesta.content.decode()
        assert '<html lang="es"' in html
        for texto in ["Iniciar sesión", "Usuario", "Contraseña", "Ingresar"]:
            assert texto in html
        for ingles in ["Username", "Password", "Log in"]:
            assert ingles not in html

    def test_login_del_admin_tambien_en_espanol(self, client):
        html = client.get(LOGIN_ADMIN).content.decode()
        assert "Contraseña" in html
        assert "Password" not in html

    def test_login_valido_redirige_al_inicio(self, client, usuario_lectura):
        respuesta = client.post(LOGIN, {"username": "lectura", "password": "clave-segura-1"})
        assert respuesta.status_code == 302
        assert respuesta["Location"] == "/"
        assert client.get("/").status_code == 200

    def test_login_respeta_next(self, client, usuario_lectura):
        respuesta = client.post(
            f"{LOGIN}?next=/admin/",
            {"username": "lectura", "password": "clave-segura-1", "next": "/admin/"},
        )
        assert respuesta.status_code == 302
        assert respuesta["Location"] == "/admin/"

    def test_login_no_redirige_fuera_del_sitio(self, client, usuario_lectura):
        respuesta = client.post(
            LOGIN,
            {"username": "lectura", "password": "clave-segura-1", "next": "https://evil.example/"},
        )
        assert respuesta.status_code == 302
        assert respuesta["Location"] == "/"

    def test_login_invalido_muestra_error_en_espanol(self, client, usuario_lectura):
        respuesta = client.post(LOGIN, {"username": "lectura", "password": "incorrecta"})
        assert respuesta.status_code == 200
        assert "Usuario o contraseña incorrectos" in respuesta.content.decode()
        assert "_auth_user_id" not in client.session

    def test_usuario_con_sesion_que_visita_login_va_al_inicio(self, lectura_client):
        respuesta = lectura_client.get(LOGIN)
        assert respuesta.status_code == 302
        assert respuesta["Location"] == "/"

    def test_logout_por_post(self, lectura_client):
        respuesta = lectura_client.post("/logout/")
        assert respuesta.status_code == 302
        assert urlsplit(respuesta["Location"]).path == LOGIN
        assert "_auth_user_id" not in lectura_client.session
        assert lectura_client.get("/").status_code == 302

    def test_logout_por_get_no_cierra_la_sesion(self, lectura_client):
        respuesta = lectura_client.get("/logout/")
        assert respuesta.status_code == 405
        assert lectura_client.get("/").status_code == 200


def _codenames(grupo: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=grupo).permissions.select_related("content_type")
    }


def _esperados(acciones) -> set[str]:
    return {
        f"{modelo._meta.app_label}.{accion}_{modelo._meta.model_name}"
        for app in APPS_DEL_DOMINIO
        for modelo in apps.get_app_config(app).get_models()
        for accion in acciones
    }


class TestRoles:
    """The groups come from the data migration (isp_portal 0001_grupos_noc)."""

    def test_noc_lectura_solo_ve(self):
        permisos = _codenames(GRUPO_LECTURA)
        assert permisos == _esperados(["view"])
        assert all(p.split(".")[1].startswith("view_") for p in permisos)

    def test_noc_operador_ve_crea_edita_y_ajusta_bw(self):
        permisos = _codenames(GRUPO_OPERADOR)
        libro = {"conexiones.add_ajustebw", "conexiones.change_ajustebw"}
        # History rows are written by django-simple-history only.
        libro |= {p for p in _esperados(["add", "change"]) if "_historical" in p}
        # The maintenance notices' templates are written by admins only.
        libro |= {"mantenimientos.add_plantillaaviso", "mantenimientos.change_plantillaaviso"}
        # Utilisation roll-ups and percentiles are written by the worker only.
        libro |= {
            f"conexiones.{accion}_{modelo}"
            for accion in ("add", "change")
            for modelo in ("muestrahoraria", "utilizacionsemanal")
        }
        esperados = (_esperados(["view", "add", "change"]) - libro) | {"conexiones.ajustar_bw"}
        # Deletes only what is never more than inventory; clients are deactivated.
        eliminables = {
            "clientes.delete_sede",
            "conexiones.delete_nodo",
            "conexiones.delete_equipo",
            "proveedores.delete_servicioproveedor",
        }
        assert permisos == esperados | eliminables
        assert {p for p in permisos if ".delete_" in p} == eliminables
        # The BW ledger is append-only: only the Ajustar BW service writes it.
        assert not permisos & libro

    def test_los_roles_no_tocan_usuarios_ni_grupos(self):
        for grupo in (GRUPO_LECTURA, GRUPO_OPERADOR):
            apps_con_permiso = {p.split(".")[0] for p in _codenames(grupo)}
            assert apps_con_permiso <= set(APPS_DEL_DOMINIO)

    def test_el_permiso_ajustar_bw_existe(self):
        assert Permission.objects.filter(
            content_type__app_label="conexiones", codename="ajustar_bw"
        ).exists()

    def test_usuario_de_cada_rol(self, usuario_lectura, usuario_operador):
        assert usuario_lectura.has_perm("conexiones.view_conexion")
        assert not usuario_lectura.has_perm("conexiones.change_conexion")
        assert not usuario_lectura.has_perm("conexiones.ajustar_bw")
        assert usuario_operador.has_perm("conexiones.ajustar_bw")
        assert usuario_operador.has_perm("clientes.add_clientecorp")
        assert not usuario_operador.has_perm("clientes.delete_clientecorp")
        assert not usuario_operador.is_staff
