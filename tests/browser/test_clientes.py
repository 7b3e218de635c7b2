"""Sede form and client search in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from clientes.factories import ClienteCorpFactory
from clientes.models import Sede

pytestmark = pytest.mark.browser


def test_nueva_sede_con_selects_enlazados(page, login):
    login("operador")
    cliente = ClienteCorpFactory(razon_social="Minera Andina S.A.")
    page.goto(f"/clientes_corporativo/{cliente.pk}/sedes/nueva")
    page.select_option("#id_departamento", "Cusco")
    # Cusco's provincias arrive by htmx.
    expect(page.locator("#id_provincia option[value='Urubamba']")).to_have_count(1)
    expect(page.locator("#id_provincia option[value='Lima']")).to_have_count(0)
    page.select_option("#id_provincia", "Urubamba")
    expect(page.locator("#id_distrito-opciones option[value='Machupicchu']")).to_have_count(1)
    page.fill("#id_distrito", "Machupicchu")
    page.fill("#id_oficina", "Hotel Machupicchu")
    page.fill("#id_direccion", "Av. Imperio de los Incas 100")
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/nueva$"))
    sede = Sede.objects.get()
    assert (sede.cliente, sede.oficina, sede.direccion) == (
        cliente, "Hotel Machupicchu", "Av. Imperio de los Incas 100"
    )
    assert (sede.departamento, sede.provincia, sede.distrito) == (
        "Cusco", "Urubamba", "Machupicchu"
    )


def test_busqueda_de_clientes_con_enter(page, login):
    login("operador")
    ClienteCorpFactory(razon_social="Minera Andina S.A.")
    ClienteCorpFactory(razon_social="Pesquera Costa S.A.C.")
    page.goto("/clientes_corporativo/")
    page.fill("input[name=busqueda]", "andina")
    page.press("input[name=busqueda]", "Enter")
    expect(page).to_have_url(re.compile(r"busqueda=andina"))
    expect(page.locator("main")).to_contain_text("Minera Andina")
    expect(page.locator("main")).not_to_contain_text("Pesquera Costa")


def test_otro_departamento_borra_las_sugerencias_de_distrito(page, login):
    login("operador")
    cliente = ClienteCorpFactory()
    page.goto(f"/clientes_corporativo/{cliente.pk}/sedes/nueva")
    page.select_option("#id_departamento", "Cusco")
    expect(page.locator("#id_provincia option[value='Urubamba']")).to_have_count(1)
    page.select_option("#id_provincia", "Urubamba")
    expect(page.locator("#id_distrito-opciones option[value='Machupicchu']")).to_have_count(1)
    page.select_option("#id_departamento", "Lima")
    expect(page.locator("#id_distrito-opciones option")).to_have_count(0)
