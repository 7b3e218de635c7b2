"""The API's pages in Chromium: Swagger UI under the site's Content-Security-Policy, served
by the app (no CDN), and the "Token de API" page."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _registrar_problemas(page):
    problemas = []
    page.on("console", lambda m: m.type == "error" and problemas.append(m.text))
    page.on("pageerror", lambda e: problemas.append(str(e)))
    externas = []
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http")
            and "127.0.0.1" not in r.url
            and "localhost" not in r.url
            and externas.append(r.url)
        ),
    )
    return problemas, externas


def test_swagger_ui_funciona_bajo_la_csp_y_sin_cdn(page, login):
    login("lectura")
    problemas, externas = _registrar_problemas(page)
    respuesta = page.goto("/v1/docs/")
    assert "script-src 'self'" in respuesta.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    rutas = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/v1/conexiones/{id}/ajustar-bw" in r.replace("\u200b", "") for r in rutas), rutas
    assert "/v1/clientes-corporativo/listar" in " ".join(rutas).replace("\u200b", "")
    # Open one operation: the documents' example payload is there.
    page.locator(".opblock-summary-path", has_text="/v1/conexiones").filter(
        has_not_text="listar"
    ).first.click()
    assert page.get_by_text('"configuracion_nodo_b": null').first.is_visible()
    assert problemas == [], problemas
    assert externas == [], externas


def test_redoc_funciona_sin_cdn(page, login):
    login("lectura")
    problemas, externas = _registrar_problemas(page)
    page.goto("/v1/redoc/")
    operacion = page.locator("h2", has_text="Ajustar BW: aumentar o disminuir el BW contratado")
    operacion.first.wait_for(timeout=30_000)
    # Redoc's footer asks for its vendor's logo: the policy blocks it, nothing leaves.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [p for p in problemas if logo not in p] == [], problemas
    assert any(logo in p and "Content Security Policy" in p for p in problemas), problemas
    assert [u for u in externas if u != logo] == [], externas


def test_swagger_ui_prueba_una_llamada_con_la_sesion(page, login):
    login("lectura")
    page.goto("/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    bloque = page.locator(".opblock", has_text="/v1/nodos/listar").first
    bloque.locator(".opblock-summary").click()
    bloque.get_by_role("button", name=re.compile("Try it out")).click()
    bloque.get_by_role("button", name=re.compile("Execute")).click()
    estado = bloque.locator(".live-responses-table tbody .response-col_status").first
    estado.wait_for()
    assert estado.inner_text().strip() == "200"


def test_sin_sesion_la_documentacion_pide_login(page, transactional_db):
    page.goto("/v1/docs/")
    assert "/login/" in page.url


def test_token_de_api_desde_el_menu_se_muestra_una_vez(page, login, live_server):
    login("lectura")
    page.goto("/")
    page.get_by_role("button", name=re.compile("lectura")).click()
    page.get_by_role("link", name="Token de API").click()
    page.fill("#id_nombre", "monitoreo")
    page.get_by_role("button", name="Crear token").click()
    token = page.input_value("#token-nuevo")
    assert token.startswith("isp_") and len(token) > 40
    # The API answers it.
    respuesta = page.request.get(
        f"{live_server.url}/v1/nodos/listar", headers={"Authorization": f"Bearer {token}"}
    )
    assert respuesta.status == 200
    # Shown once: a reload lists the token by its prefix only.
    page.goto("/cuenta/tokens-api/")
    assert token not in page.content()
    assert token[:12] in page.content()
    page.get_by_role("button", name="Revocar").click()
    assert page.get_by_text("Se revocó el token").is_visible()
    respuesta = page.request.get(
        f"{live_server.url}/v1/nodos/listar", headers={"Authorization": f"Bearer {token}"}
    )
    assert respuesta.status == 401
