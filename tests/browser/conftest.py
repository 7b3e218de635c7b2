"""Playwright in Debian's Chromium against Django's live server.

Browser tests skip when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop running; Django's async-safety check would
# otherwise refuse ORM calls made by the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"No se encontró Chromium en {CHROMIUM} (apt-get install chromium).")
        pytest.skip(f"Chromium no está instalado en {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    # expect() waits as long as the page's actions (10 s, not 5): with one browser per xdist
    # worker on a busy machine an htmx answer can take more than 5 s.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield navegador
        navegador.close()


@pytest.fixture
def page(browser, live_server):
    contexto = browser.new_context(base_url=live_server.url, locale="es-PE")
    pagina = contexto.new_page()
    pagina.set_default_timeout(10_000)
    yield pagina
    contexto.close()


def ingresar_por_el_formulario(page, live_server, usuario) -> None:
    """The login a person does: the form, then the home page."""
    page.goto("/login/")
    page.fill("#id_username", usuario.username)
    page.fill("#id_password", "clave-segura-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def login(page, live_server, transactional_db, django_user_model):
    """Log a user of the given role into the browser: login("operador").

    The session is made on the server and handed to the browser as its cookie, as the test
    client's force_login does: the form login costs two page loads per test, and
    test_ingreso.py drives the form itself. Every test opens its first page after this.
    """
    from django.conf import settings
    from django.test import Client

    from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR
    from tests.conftest import usuario_con_rol

    def _login(rol: str = "operador"):
        grupo = {"operador": GRUPO_OPERADOR, "lectura": GRUPO_LECTURA}[rol]
        usuario = usuario_con_rol(django_user_model, rol, grupo)
        cliente = Client()
        cliente.force_login(usuario)
        sesion = cliente.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": sesion, "url": live_server.url}]
        )
        return usuario

    return _login
