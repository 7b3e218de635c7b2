"""Every page of the site, found from the route list, in a real Chromium.

Each page is loaded once and checked at 390, 1280 and 1920 px (a resize of the same page):
no page scrolls sideways; list tables scroll inside their own box with the first column and
every row action in view; filter selects show their whole value; at 390 px filters and forms
are one column; from 1280 px up no table needs its scroll box at all. At 1280 px axe-core
finds no serious or critical violation and every control has a name. No page logs an error
in the console (a Content-Security-Policy violation, a failed script).
"""

import pytest

from tests.browser.paginas import (
    ALTOS,
    ANCHOS,
    REVISAR_PAGINA,
    controles_sin_nombre,
    crear_sitio,
    recorrer,
    violaciones_graves,
)

pytestmark = pytest.mark.browser


def test_cada_pagina_a_tres_anchos_y_accesible(page, login):
    login("operador")  # the role that sees every button and form
    problemas, vistas = [], []
    page.on(
        "console",
        lambda m: m.type == "error" and problemas.append(f"{page.url}: consola: {m.text}"),
    )
    page.on("pageerror", lambda e: problemas.append(f"error de JavaScript: {e}"))
    for url in recorrer(page, crear_sitio()):
        vistas.append(url)
        for ancho in ANCHOS:
            page.set_viewport_size({"width": ancho, "height": ALTOS[ancho]})
            problemas += [f"{url} a {ancho} px: {p}" for p in page.evaluate(REVISAR_PAGINA, ancho)]
        page.set_viewport_size({"width": 1280, "height": ALTOS[1280]})
        problemas += [f"{url}: {v}" for v in violaciones_graves(page)]
        problemas += [f"{url}: control sin nombre {c}" for c in controles_sin_nombre(page)]
    assert len(vistas) >= 20, vistas  # home, 8 lists, details, forms, impact, Ajustar BW
    assert not problemas, "\n".join(problemas)
