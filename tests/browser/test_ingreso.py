"""The login form in the browser; the other browser tests get their session as a cookie
(the `login` fixture), so this is where a person's way in is driven."""

import re

import pytest
from playwright.sync_api import expect

from isp_portal.roles import GRUPO_LECTURA
from tests.browser.conftest import ingresar_por_el_formulario
from tests.conftest import usuario_con_rol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ingreso_por_el_formulario_lleva_al_inicio_con_la_sesion(
    page, live_server, django_user_model
):
    usuario = usuario_con_rol(django_user_model, "lectura", GRUPO_LECTURA)
    ingresar_por_el_formulario(page, live_server, usuario)
    expect(page.get_by_role("button", name=re.compile("lectura"))).to_be_visible()
    page.goto("/conexiones/")
    assert page.url == f"{live_server.url}/conexiones/"  # no redirect back to the login
