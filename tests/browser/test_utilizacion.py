"""The utilisation chart in a real Chromium at 1280 and 390 px: drawn by uPlot from the API,
with its aria label and summary table, no sideways scroll, the period buttons working."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conexiones.factories import ConexionFactory
from conexiones.services import muestras_cargar, utilizacion_consolidar

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("ancho", [1280, 390])
def test_grafico_de_la_conexion(page, login, ancho):
    login("lectura")
    conexion = ConexionFactory(cid_enlace="257001", bw_contratado=200)
    ahora = timezone.now()
    muestras_cargar(
        [
            {
                "cid_enlace": "257001",
                "momento": (ahora - timedelta(minutes=5 * i)).isoformat(),
                "entrada_mbps": 100 + i,
                "salida_mbps": 50,
            }
            for i in range(48)
        ]
    )
    utilizacion_consolidar(ahora - timedelta(days=2), ahora)
    page.set_viewport_size({"width": ancho, "height": 900})
    page.goto(f"/conexiones/{conexion.pk}/")
    grafico = page.locator("#utilizacion")
    expect(grafico.locator("canvas")).to_have_count(1)
    lienzo = grafico.locator("[data-lienzo]")
    etiqueta = lienzo.get_attribute("aria-label")
    assert "últimos 24 h" in etiqueta and "BW contratado 200 Mbps" in etiqueta
    expect(grafico.locator("[data-resumen] tbody tr")).to_have_count(4)
    expect(grafico.locator("[data-resumen] tbody")).to_contain_text("147 Mbps")
    expect(grafico.locator("[data-estado]")).to_contain_text("48 puntos de 5 minutos")
    ancho_grafico = page.evaluate(
        "document.querySelector('#utilizacion canvas').getBoundingClientRect().right"
    )
    assert ancho_grafico <= ancho
    assert page.evaluate("document.documentElement.scrollWidth") <= ancho
    page.click("[data-periodo='720']")
    expect(grafico.locator("[data-estado]")).to_contain_text("de 1 hora, últimos 30 días")
    expect(page.locator("[data-periodo='720']")).to_have_attribute("aria-pressed", "true")
