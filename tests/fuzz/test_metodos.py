"""Every HTTP method on every route: never a server error, and 405 (with `Allow`) for each
method the route does not serve. A page serves GET/HEAD/OPTIONS and POST where its view has
them; an API route the methods of its view."""

import pytest
from django.urls import reverse

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import Equipo, Nodo
from tests.api.conftest import cliente_con_token
from tests.isp_portal.rutas import (
    METODOS_HTTP,
    crear_datos,
    metodos_de_pagina,
    pedir,
    rutas_api,
    todas_las_rutas,
)

pytestmark = pytest.mark.django_db

RUTAS = todas_las_rutas()
API = [r for r in rutas_api() if r.view_class is not None]
SESION = {"api:schema", "api:docs", "api:redoc"}


def ids(rutas):
    return [r.nombre for r in rutas]


def comprobar(respuesta, metodo, url, servidos):
    assert respuesta.status_code < 500, (metodo, url, respuesta.status_code)
    if metodo not in servidos:
        assert respuesta.status_code == 405, (metodo, url, respuesta.status_code)
        permitidos = {m.strip() for m in respuesta["Allow"].split(",")}
        assert metodo not in permitidos and permitidos <= servidos, (url, permitidos)


@pytest.mark.parametrize("ruta", RUTAS, ids=ids(RUTAS))
def test_cada_metodo_en_cada_pagina(operador_client, ruta):
    url = ruta.url(crear_datos())
    servidos = metodos_de_pagina(ruta)
    # POST last: on a delete or logout route it ends what the other methods look at.
    for metodo in sorted(METODOS_HTTP, key=lambda m: m == "POST"):
        comprobar(pedir(operador_client, metodo, url), metodo, url, servidos)


def test_el_anonimo_va_al_login_con_cualquier_metodo(client):
    nodo = NodoFactory()
    url = reverse("conexiones:nodo_delete", args=[nodo.pk])
    for metodo in ("PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"):
        respuesta = pedir(client, metodo, url)
        assert respuesta.status_code == 302 and respuesta["Location"].startswith("/login/")
    assert Nodo.objects.filter(pk=nodo.pk).exists()


def test_delete_http_no_salta_las_reglas_de_eliminar(operador_client):
    """DELETE on …/eliminar used to run DeletionMixin.delete(): equipment in use deleted and
    detached from its connection, a node in use a 500."""
    equipo = EquipoFactory(conexion=ConexionFactory())
    nodo = NodoFactory()
    ConexionFactory(nodo_a=nodo)
    for obj in (equipo, nodo):
        url = reverse(f"conexiones:{obj._meta.model_name}_delete", args=[obj.pk])
        respuesta = pedir(operador_client, "DELETE", url)
        assert respuesta.status_code == 405 and "POST" in respuesta["Allow"]
        assert "no admite el método DELETE" in respuesta.content.decode()
    assert Equipo.objects.filter(pk=equipo.pk, conexion__isnull=False).exists()
    assert Nodo.objects.filter(pk=nodo.pk).exists()


def test_put_no_edita(operador_client):
    cliente = ClienteCorpFactory(razon_social="Andina SAC")
    url = reverse("clientes:clientecorp_edit", args=[cliente.pk])
    cuerpo = "razon_social=Otra&ruc=20100047218"
    respuesta = pedir(
        operador_client, "PUT", url, data=cuerpo, content_type="application/x-www-form-urlencoded"
    )
    assert respuesta.status_code == 405
    cliente.refresh_from_db()
    assert cliente.razon_social == "Andina SAC"


def test_el_admin_tampoco_acepta_delete(admin_client):
    nodo = NodoFactory()
    for url in (
        reverse("admin:conexiones_nodo_change", args=[nodo.pk]),
        reverse("admin:conexiones_nodo_delete", args=[nodo.pk]),
    ):
        assert pedir(admin_client, "DELETE", url).status_code == 405
        assert pedir(admin_client, "PUT", url).status_code == 405
    assert Nodo.objects.filter(pk=nodo.pk).exists()


def _url_api(ruta, datos) -> str:
    from tests.api.test_permisos import _url

    return _url(ruta, datos)


@pytest.mark.parametrize("ruta", API, ids=ids(API))
def test_cada_metodo_en_cada_ruta_de_la_api(admin_user, admin_client, ruta, settings):
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {
        **rest["DEFAULT_THROTTLE_RATES"],
        **dict.fromkeys(rest["DEFAULT_THROTTLE_RATES"], "1000000/min"),
    }
    settings.REST_FRAMEWORK = rest
    # The schema and its documentation pages are read with the session.
    api = admin_client if ruta.nombre in SESION else cliente_con_token(admin_user)
    datos = crear_datos()
    url = _url_api(ruta, datos) if ruta.argumentos else reverse(ruta.nombre)
    vista = ruta.view_class
    servidos = {
        m.upper()
        for m in vista.http_method_names
        if hasattr(vista, m) or (m == "head" and hasattr(vista, "get"))
    } | ({"OPTIONS"} if "options" in vista.http_method_names else set())
    for metodo in sorted(METODOS_HTTP, key=lambda m: m in ("POST", "DELETE")):
        respuesta = pedir(api, metodo, url, data="{}", content_type="application/json")
        assert respuesta.status_code < 500, (metodo, url, respuesta.content[:300])
        if metodo not in servidos:
            assert respuesta.status_code == 405, (metodo, url, respuesta.status_code)
