"""Provider-service and node forms in a real Chromium: the ubigeo linked selects (htmx)."""

import pytest
from playwright.sync_api import expect

from conexiones.models import Nodo
from proveedores.factories import ProveedorFactory
from proveedores.models import ServicioProveedor

pytestmark = pytest.mark.browser


def elegir_ubicacion(page, departamento, provincia, distrito):
    page.select_option("#id_departamento", departamento)
    # The provincias of the chosen departamento arrive by htmx.
    expect(page.locator(f"#id_provincia option[value='{provincia}']")).to_have_count(1)
    page.select_option("#id_provincia", provincia)
    expect(page.locator(f"#id_distrito-opciones option[value='{distrito}']")).to_have_count(1)
    page.fill("#id_distrito", distrito)


def test_nuevo_nodo_con_selects_enlazados(page, login):
    login("operador")
    page.goto("/nodos/nuevo")
    page.fill("#id_nombre", "POP Cayma")
    page.select_option("#id_tipo", "POP")
    elegir_ubicacion(page, "Arequipa", "Arequipa", "Cayma")
    page.fill("#id_direccion", "Av. Cayma 100")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Nodo POP Cayma")
    nodo = Nodo.objects.get()
    assert (nodo.departamento, nodo.provincia, nodo.distrito) == ("Arequipa", "Arequipa", "Cayma")


def test_nuevo_servicio_desde_el_proveedor(page, login):
    login("operador")
    proveedor = ProveedorFactory(nombre="Fibra Andina")
    page.goto(proveedor.get_absolute_url())
    page.click("text=Nuevo servicio")
    expect(page.locator("#id_proveedor")).to_have_value(str(proveedor.pk))
    page.fill("#id_codigo", "FA-0001")
    page.select_option("#id_modalidad", "GPON")
    page.fill("#id_capacidad_contratada", "1000")
    elegir_ubicacion(page, "Cusco", "Cusco", "Wanchaq")
    page.click("main button[type=submit]")
    expect(page.locator("#cap-disponible")).to_contain_text("1")
    expect(page.locator("#cap-uso")).to_have_text("0,0 %")
    servicio = ServicioProveedor.objects.get()
    assert (servicio.proveedor, servicio.provincia) == (proveedor, "Cusco")
