"""Reading the pages in a real Chromium: long text wraps, the impact list copies the
contacts' e-mails, a node is deleted after its confirmation."""

import pytest
from playwright.sync_api import expect

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.models import Nodo

pytestmark = pytest.mark.browser

RAZON_LARGA = "Corporación" + "Andina" * 31 + "SAC"  # 200 characters, no space to break at


@pytest.mark.parametrize("ancho", [1280, 1920])
def test_una_razon_social_de_200_caracteres_no_ensancha_el_detalle(page, login, ancho):
    assert len(RAZON_LARGA) == 200
    login("lectura")
    cliente = ClienteCorpFactory(razon_social=RAZON_LARGA)
    ConexionFactory(cliente=cliente)
    page.set_viewport_size({"width": ancho, "height": 900})
    for url in (cliente.get_absolute_url(), "/conexiones/"):
        page.goto(url)
        expect(page.locator("main")).to_contain_text(RAZON_LARGA[:40])
        desborde = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert desborde <= 0, (url, desborde)


def test_copiar_los_correos_del_impacto(page, login):
    login("lectura")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    nodo = NodoFactory()
    for i in range(12):  # more than one page: every affected contact is copied
        ConexionFactory(nodo_a=nodo, cliente__correo=f"noc{i:02d}@cliente.pe")
    page.goto(f"/nodos/{nodo.pk}/impacto")
    page.click("#copiar-correos")
    expect(page.locator("#copiar-correos")).to_have_text("Copiado")
    copiado = page.evaluate("navigator.clipboard.readText()")
    assert copiado == ", ".join(f"noc{i:02d}@cliente.pe" for i in range(12))


def test_eliminar_un_nodo_libre(page, login):
    login("operador")
    nodo = NodoFactory(nombre="POP-RETIRADO")
    page.goto(nodo.get_absolute_url())
    page.click("text=Eliminar")
    expect(page.locator("h1")).to_contain_text("Eliminar nodo")
    page.click("#confirmar-eliminar")
    expect(page.locator(".alert")).to_contain_text("Se eliminó «POP-RETIRADO (POP)»")
    expect(page.locator("#eliminados")).to_contain_text("POP-RETIRADO")
    assert not Nodo.objects.exists()


def test_el_token_nuevo_se_muestra_una_vez_y_se_copia(page, login):
    login("operador")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/cuenta/tokens-api/")
    page.fill("#id_nombre", "Zabbix")
    page.click("text=Crear token")
    token = page.input_value("#token-nuevo")
    assert len(token) > 20
    page.click("#copiar-token")
    expect(page.locator("#copiar-token")).to_have_text("Copiado")
    assert page.evaluate("navigator.clipboard.readText()") == token
    page.goto("/cuenta/tokens-api/")  # shown once: never again
    expect(page.locator("#token-nuevo")).to_have_count(0)
    assert token not in page.content()
