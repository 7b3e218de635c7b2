"""Accessibility in a real Chromium, beyond the walk over every page (test_paginas.py).

axe-core on the phone layout, the open menu, the login and the open Ajustar BW modal: no
serious or critical violation. The modal keeps the focus inside and gives it back to the
button that opened it; the ↓ buttons are readable; colour is never the only signal.
"""

import re

import pytest
from playwright.sync_api import expect

from conexiones.models import Conexion
from tests.browser.paginas import (
    conexion_ajustable,
    controles_sin_nombre,
    crear_sitio,
    violaciones_graves,
)

pytestmark = pytest.mark.browser


def test_axe_en_el_telefono_y_con_el_menu_abierto(page, login):
    login("operador")
    conexion = crear_sitio()["conexiones.Conexion"]
    page.set_viewport_size({"width": 390, "height": 844})
    problemas = []
    for url in ("/", "/conexiones/", f"/conexiones/{conexion.pk}/", "/conexiones/nueva"):
        page.goto(url)
        problemas += [f"{url}: {v}" for v in violaciones_graves(page)]
    page.get_by_role("button", name="Menú").click()
    expect(page.locator("#menu-lateral")).to_be_focused()
    problemas += [f"menú: {v}" for v in violaciones_graves(page, "#menu-lateral")]
    assert not problemas, "\n".join(problemas)


def test_axe_en_el_ingreso(page, live_server):
    page.goto("/login/")
    assert violaciones_graves(page) == []
    assert controles_sin_nombre(page) == []


def abrir(page, boton):
    boton.click()
    expect(page.locator("#modal-ajuste-bw")).to_be_visible()
    expect(page.locator("#id_mbps")).to_be_focused()  # shown: focus inside, on the field
    return page.locator("#modal-ajuste-bw")


def foco_en_el_modal(page) -> bool:
    return page.evaluate("!!document.activeElement.closest('#modal-ajuste-bw')")


def test_modal_ajustar_bw_accesible_y_con_el_foco_atrapado(page, login):
    login("operador")
    crear_sitio()
    conexion = conexion_ajustable()
    page.goto(f"/conexiones/?cliente={conexion.cliente_id}")
    fila = f"#fila-{conexion.pk}"
    disminuir = page.locator(f"{fila} [data-ajuste=DISMINUIR]")

    modal = abrir(page, disminuir)
    expect(modal).to_have_attribute("role", "dialog")
    expect(modal).to_have_attribute("aria-modal", "true")
    expect(page.get_by_role("dialog", name=re.compile("Disminuir BW"))).to_be_visible()
    assert violaciones_graves(page, "#modal-ajuste-bw") == []
    assert controles_sin_nombre(page, "#modal-ajuste-bw") == []
    # Tab and Shift+Tab go round inside the modal, never to the page behind it.
    for tecla in ["Tab"] * 10 + ["Shift+Tab"] * 10:
        page.keyboard.press(tecla)
        assert foco_en_el_modal(page), f"{tecla}: el foco salió del modal"
    # Escape closes it; the focus is back on the button that opened it.
    page.keyboard.press("Escape")
    expect(page.locator("#modal-ajuste-bw")).to_have_count(0)
    expect(disminuir).to_be_focused()

    aumentar = page.locator(f"{fila} [data-ajuste=AUMENTAR]")
    abrir(page, aumentar)
    page.get_by_role("button", name="Cancelar").click()
    expect(page.locator("#modal-ajuste-bw")).to_have_count(0)
    expect(aumentar).to_be_focused()

    # A refused adjustment: the error is tied to its field, which gets the focus.
    abrir(page, aumentar)
    page.click("#ajuste-confirmar")
    mbps = page.locator("#id_mbps")
    expect(mbps).to_have_attribute("aria-invalid", "true")
    expect(mbps).to_be_focused()
    error = page.locator(f"#{mbps.get_attribute('aria-describedby')}")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    assert violaciones_graves(page, "#modal-ajuste-bw") == []

    # Done: the row is refreshed, and the focus lands on the new row's same button.
    page.fill("#id_mbps", "5")
    page.click("#ajuste-confirmar")
    expect(page.locator("#modal-ajuste-bw")).to_have_count(0)
    expect(page.locator(fila).locator("td").nth(3)).to_have_text(str(conexion.bw_contratado + 5))
    expect(page.locator(f"{fila} [data-ajuste=AUMENTAR]")).to_be_focused()


def test_modal_desde_el_detalle_devuelve_el_foco(page, login):
    login("operador")
    crear_sitio()
    conexion = conexion_ajustable()
    page.goto(f"/conexiones/{conexion.pk}/")
    boton = page.get_by_role("link", name="Disminuir BW")
    abrir(page, boton)
    page.fill("#id_mbps", "1")
    page.click("#ajuste-confirmar")
    expect(page.locator("#modal-ajuste-bw")).to_have_count(0)
    expect(page.locator("#conexion-detalle")).to_contain_text(f"{conexion.bw_contratado - 1} Mbps")
    expect(page.get_by_role("link", name="Disminuir BW")).to_be_focused()


# Contrast of an element's text against the first opaque background behind it (WCAG).
CONTRASTE = """(e) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const luz = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let fondo = e;
  while (fondo && (rgb(getComputedStyle(fondo).backgroundColor)[3] ?? 1) === 0) {
    fondo = fondo.parentElement;
  }
  const a = luz(rgb(getComputedStyle(e).color));
  const b = luz(rgb(fondo ? getComputedStyle(fondo).backgroundColor : "rgb(255,255,255)"));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_botones_disminuir_legibles(page, login):
    login("operador")
    crear_sitio()
    conexion = conexion_ajustable()
    for url in ("/conexiones/?estado=ACTIVO", f"/conexiones/{conexion.pk}/"):
        page.goto(url)
        botones = page.locator("[data-ajuste]")
        assert botones.count() >= 2
        for i in range(botones.count()):
            contraste = botones.nth(i).evaluate(CONTRASTE)
            assert contraste >= 4.5, f"{url}: {botones.nth(i).inner_text()} {contraste:.2f}:1"


# Figures shown in red must say what the red says: a sign, or a share above 100 %.
FIGURAS_EN_ROJO = r"""() => {
  const figura = /^[↑↓+\-−\s]*[\d\s.,\u00a0\u2009\u202f]+\s*(Mbps|%)?$/;
  const encontradas = [];
  for (const e of document.querySelectorAll("main *")) {
    if (!e.offsetParent) continue;
    const texto = [...e.childNodes].filter((n) => n.nodeType === 3)
      .map((n) => n.textContent).join("").trim();
    if (!texto || !figura.test(texto)) continue;
    const [r, g, b] = getComputedStyle(e).color.match(/\d+/g).map(Number);
    if (r > 150 && g < 100 && b < 100) encontradas.push(texto);
  }
  return encontradas;
}"""


def test_el_color_nunca_es_la_unica_senal(page, login):
    login("operador")
    crear_sitio()  # the demo has oversubscribed services and both kinds of BW adjustments
    sobre = Conexion.objects.exclude(estado="BAJA").filter(servicio__isnull=False).first()
    rojas = []
    for url in (
        "/",
        "/proveedores/servicios/?orden=-porcentaje_uso",
        f"/proveedores/servicios/{sobre.servicio_id}/",
        "/conexiones/",
    ):
        page.goto(url)
        rojas += page.evaluate(FIGURAS_EN_ROJO)
        # State pills and badges carry their word, not only a colour.
        for pill in page.locator("main .pill, main .badge").all():
            assert pill.inner_text().strip(), f"{url}: {pill.evaluate('e => e.outerHTML')}"
    assert len(rojas) >= 3, rojas  # the check saw negative figures
    for texto in rojas:
        numero = float(re.sub(r"[^\d,]", "", texto).replace(",", ".") or 0)
        assert re.search(r"[-−]", texto) or ("%" in texto and numero > 100), texto
