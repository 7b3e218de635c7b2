"""The permission matrix, walked over every URL pattern so no page ships unprotected.

anonymous → login; "NOC lectura" → reads, 403 on every write; "NOC operador" → reads and
writes (Ajustar BW included), no /admin/; superuser → everything.
"""

import pytest
from django.templatetags.static import static

from tests.isp_portal.rutas import crear_datos, get, post, sin_nombre, todas_las_rutas

pytestmark = pytest.mark.django_db

RUTAS = todas_las_rutas()
LECTURAS = [r for r in RUTAS if r.clase == "lectura"]
ESCRITURAS = [r for r in RUTAS if r.clase == "escritura"]


def _ids(rutas):
    return [r.nombre for r in rutas]


@pytest.fixture
def datos():
    return crear_datos()


def test_cada_ruta_esta_clasificada():
    sin_clase = [r.nombre for r in RUTAS if r.clase is None]
    assert sin_clase == [], (
        "Clasifique estas rutas como lectura o escritura en tests/isp_portal/rutas.py"
    )
    assert sin_nombre() == []
    assert ESCRITURAS and LECTURAS


@pytest.mark.parametrize("ruta", LECTURAS + ESCRITURAS, ids=_ids(LECTURAS + ESCRITURAS))
def test_anonimo_va_al_login(client, datos, ruta):
    respuesta = get(client, ruta.url(datos))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/login/")


@pytest.mark.parametrize("ruta", LECTURAS, ids=_ids(LECTURAS))
def test_lectura_ve_las_paginas_de_lectura(lectura_client, datos, ruta):
    assert get(lectura_client, ruta.url(datos)).status_code == 200


@pytest.mark.parametrize("ruta", ESCRITURAS, ids=_ids(ESCRITURAS))
def test_lectura_recibe_403_en_cada_escritura(lectura_client, datos, ruta):
    url = ruta.url(datos)
    assert get(lectura_client, url).status_code == 403
    assert post(lectura_client, url, {"mbps": 10, "modo": "AUMENTAR"}).status_code == 403


@pytest.mark.parametrize("ruta", LECTURAS + ESCRITURAS, ids=_ids(LECTURAS + ESCRITURAS))
def test_operador_lee_y_escribe(operador_client, datos, ruta):
    # Forms and their htmx helpers included: every GET answers 200 to who may write.
    assert get(operador_client, ruta.url(datos)).status_code == 200


def test_operador_ajusta_bw(operador_client, datos):
    conexion = datos["conexiones.Conexion"]
    antes = conexion.bw_contratado
    respuesta = post(
        operador_client,
        f"/conexiones/{conexion.pk}/ajustar-bw",
        {"modo": "AUMENTAR", "mbps": 5, "confirmar_sobresuscripcion": "on"},
    )
    assert respuesta.status_code in (204, 302)
    conexion.refresh_from_db()
    assert conexion.bw_contratado == antes + 5


def test_operador_no_entra_al_admin(operador_client):
    respuesta = operador_client.get("/admin/")
    assert respuesta.status_code == 302
    assert "/admin/login/" in respuesta["Location"]


@pytest.mark.parametrize("ruta", LECTURAS + ESCRITURAS, ids=_ids(LECTURAS + ESCRITURAS))
def test_superusuario_ve_todo(admin_client, datos, ruta):
    assert get(admin_client, ruta.url(datos)).status_code == 200


def test_lectura_no_entra_al_admin(lectura_client):
    respuesta = lectura_client.get("/admin/")
    assert respuesta.status_code == 302
    assert "/admin/login/" in respuesta["Location"]


@pytest.mark.parametrize("ruta", [r for r in RUTAS if r.clase == "publica"], ids=lambda r: r.nombre)
def test_rutas_publicas_sin_login(client, ruta):
    respuesta = get(client, ruta.url({}))
    if respuesta.status_code == 301:  # /favicon.ico: the static file
        assert respuesta["Location"].startswith(static(""))
    else:
        assert respuesta.status_code == 200


def test_superusuario_entra_al_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200
