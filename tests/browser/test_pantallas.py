"""The responsive layout in a real Chromium, beyond the walk over every page (test_paginas.py).

The Ajustar BW modal fits the screen at 390, 1280 and 1920 px and on a short one; at 390 px
the menu is an offcanvas opened from the top bar; a row refreshed by htmx keeps its sticky
cells.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.paginas import ALTOS, ANCHOS, REVISAR_PAGINA, conexion_ajustable, crear_sitio

pytestmark = pytest.mark.browser


def test_modal_ajustar_bw_cabe_en_la_pantalla(page, login):
    login("operador")
    crear_sitio()
    page.set_viewport_size({"width": 390, "height": ALTOS[390]})
    page.goto("/conexiones/?estado=ACTIVO")
    page.locator("#tabla-lista [data-ajuste=DISMINUIR]").first.click()
    expect(page.locator("#id_mbps")).to_be_focused()  # shown: the fade-in is over
    controles = ("#id_mbps", "#id_motivo", "#ajuste-confirmar", "#modal-ajuste-bw .btn-close")
    for ancho in ANCHOS:
        page.set_viewport_size({"width": ancho, "height": ALTOS[ancho]})
        for selector in ("#modal-ajuste-bw .modal-dialog", *controles):
            caja = page.locator(selector).bounding_box()
            assert caja["x"] >= 0 and caja["x"] + caja["width"] <= ancho, (ancho, selector)
            assert caja["y"] >= 0 and caja["y"] + caja["height"] <= ALTOS[ancho], (ancho, selector)
        assert page.evaluate("document.documentElement.scrollWidth") <= ancho

    # A short screen: the body scrolls, Confirmar stays in view.
    page.set_viewport_size({"width": 390, "height": 420})
    confirmar = page.locator("#ajuste-confirmar").bounding_box()
    assert confirmar["y"] + confirmar["height"] <= 420, confirmar
    cuerpo = page.locator("#modal-ajuste-bw .modal-body")
    assert cuerpo.evaluate("e => e.scrollHeight > e.clientHeight"), "el cuerpo no se desplaza"


def test_menu_lateral_en_el_movil(page, login):
    login("operador")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    # The first Tab offers to skip the menu.
    page.keyboard.press("Tab")
    saltar = page.get_by_role("link", name="Saltar al contenido")
    expect(saltar).to_be_focused()
    expect(saltar).to_be_visible()
    menu = page.locator("#menu-lateral")
    enlace = menu.get_by_role("link", name="Conexiones", exact=True)
    expect(enlace).to_be_hidden()
    boton = page.get_by_role("button", name="Menú")
    expect(boton).to_be_visible()
    expect(boton).to_have_attribute("aria-controls", "menu-lateral")

    boton.click()
    expect(menu).to_be_visible()
    expect(page.get_by_role("dialog", name="Menú principal")).to_be_visible()
    expect(enlace).to_be_visible()
    expect(menu).to_be_focused()  # shown, with the focus inside it
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(enlace).to_be_hidden()
    expect(boton).to_be_focused()

    boton.click()
    enlace.click()
    expect(page).to_have_url(re.compile(r"/conexiones/$"))
    expect(page.locator("h1")).to_have_text("Conexiones")
    expect(menu.get_by_role("link", name="Conexiones", exact=True)).to_be_hidden()

    # From lg up the same links are a fixed column and the button is gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("button", name="Menú")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Nodos")
    ).to_be_visible()


def test_filas_de_conexion_con_acciones_a_la_vista_tras_ajustar(page, login):
    """A row refreshed after Ajustar BW keeps its sticky cells (390 px, table scrolled)."""
    login("operador")
    crear_sitio()
    page.set_viewport_size({"width": 390, "height": 844})
    conexion = conexion_ajustable()
    page.goto(f"/conexiones/?cliente={conexion.cliente_id}")
    fila = page.locator(f"#fila-{conexion.pk}")
    page.locator(".table-responsive").evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    fila.locator("[data-ajuste=AUMENTAR]").click()
    page.fill("#id_mbps", "5")
    page.click("#ajuste-confirmar")
    expect(page.locator("#modal-ajuste-bw")).to_have_count(0)
    expect(fila.locator("td").nth(3)).to_have_text(f"{conexion.bw_contratado + 5} Mbps")
    assert page.evaluate(REVISAR_PAGINA, 390) == []


@pytest.mark.parametrize("ancho", [390, 1280])
def test_busqueda_rapida_del_inicio_usable(page, login, ancho):
    login("lectura")
    page.set_viewport_size({"width": ancho, "height": ALTOS[ancho]})
    page.goto("/")
    caja = page.locator("#busqueda-rapida").bounding_box()
    # At 390 px it used to be ~30 px wide beside the buttons.
    assert caja["width"] >= (250 if ancho == 390 else 600), caja
    page.fill("#busqueda-rapida", "minera")
    page.locator("button", has_text="Clientes").click()
    page.wait_for_url(re.compile(r"/clientes_corporativo/\?busqueda=minera$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= ancho
