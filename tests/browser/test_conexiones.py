"""Connection pages in a real Chromium: the Ajustar BW modal and the four-section form."""

import re

import pytest
from playwright.sync_api import expect

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.browser


def marcar_pagina(page):
    """A flag that only survives if the page is never reloaded."""
    page.evaluate("window.sinRecarga = true")


def sigue_sin_recargar(page) -> bool:
    return page.evaluate("window.sinRecarga === true")


def abrir_modal(page, selector):
    page.click(selector)
    modal = page.locator("#modal-ajuste-bw")
    expect(modal).to_be_visible()
    return modal


def test_aumentar_desde_la_lista_sin_recargar(page, login):
    login("operador")
    servicio = ServicioProveedorFactory(codigo="CIR-1000", capacidad_contratada=1000)
    conexion = ConexionFactory(servicio=servicio, bw_contratado=100, cid_enlace="257001")
    page.goto("/conexiones/")
    marcar_pagina(page)
    fila = page.locator(f"#fila-{conexion.pk}")
    expect(fila).to_contain_text("100")

    modal = abrir_modal(page, f"#fila-{conexion.pk} [data-ajuste=AUMENTAR]")
    expect(modal).to_contain_text("257001")
    expect(modal).to_contain_text("CIR-1000")
    expect(page.locator("#previo-bw-resultante")).to_have_text("—")
    page.fill("#id_mbps", "50")
    expect(page.locator("#previo-bw-resultante")).to_contain_text("100 → 150 Mbps")
    expect(page.locator("#previo-servicio-disponible")).to_contain_text("900 → 850 Mbps")
    page.fill("#id_mbps", "60")
    expect(page.locator("#previo-bw-resultante")).to_contain_text("100 → 160 Mbps")
    page.fill("#id_motivo", "Pedido del cliente")
    page.click("#ajuste-confirmar")

    expect(modal).to_be_hidden()
    expect(fila.locator("td").nth(3)).to_have_text("160 Mbps")
    expect(page.locator("#mensajes")).to_contain_text("100 → 160 Mbps")
    assert sigue_sin_recargar(page)
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 160
    assert AjusteBW.objects.get().motivo == "Pedido del cliente"


def test_sobresuscripcion_en_rojo_y_con_confirmacion(page, login):
    login("operador")
    servicio = ServicioProveedorFactory(capacidad_contratada=120)
    conexion = ConexionFactory(servicio=servicio, bw_contratado=100)
    page.goto("/conexiones/")
    marcar_pagina(page)
    abrir_modal(page, f"#fila-{conexion.pk} [data-ajuste=AUMENTAR]")
    page.fill("#id_mbps", "50")
    aviso = page.locator("#previo-sobresuscripcion")
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text("sobresuscrito en 30 Mbps")
    rojo = page.locator("#previo-servicio-disponible .negativo")
    expect(rojo).to_have_text("\u221230 Mbps (negativo)")
    assert rojo.evaluate("e => getComputedStyle(e).color") == "rgb(220, 53, 69)"

    page.click("#ajuste-confirmar")  # without ticking: refused inside the modal
    expect(page.locator("#form-ajuste-bw")).to_contain_text("Confirme para continuar")
    expect(page.locator("#modal-ajuste-bw")).to_be_visible()
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 100

    page.check("#id_confirmar_sobresuscripcion")
    page.click("#ajuste-confirmar")
    expect(page.locator("#modal-ajuste-bw")).to_be_hidden()
    expect(page.locator(f"#fila-{conexion.pk} td").nth(3)).to_have_text("150 Mbps")
    assert sigue_sin_recargar(page)


def test_disminuir_desde_el_detalle_actualiza_las_cifras(page, login):
    login("operador")
    conexion = ConexionFactory(bw_contratado=300)
    page.goto(f"/conexiones/{conexion.pk}/")
    marcar_pagina(page)
    abrir_modal(page, "[data-ajuste=DISMINUIR]")
    page.fill("#id_mbps", "500")
    expect(page.locator("#previo-bajo-minimo")).to_be_visible()
    page.click("#ajuste-confirmar")
    expect(page.locator("#form-ajuste-bw .invalid-feedback")).to_contain_text("1 Mbps")
    page.fill("#id_mbps", "100")
    page.click("#ajuste-confirmar")
    expect(page.locator("#modal-ajuste-bw")).to_be_hidden()
    expect(page.locator("#ajustes")).to_contain_text("300 → 200 Mbps")
    expect(page.locator("#conexion-detalle")).to_contain_text("200 Mbps")
    assert sigue_sin_recargar(page)
    # The refreshed page still opens the modal.
    abrir_modal(page, "[data-ajuste=AUMENTAR]")


def test_lectura_no_ve_los_botones(page, login):
    login("lectura")
    conexion = ConexionFactory()
    page.goto("/conexiones/")
    expect(page.locator(f"#fila-{conexion.pk}")).to_be_visible()
    expect(page.locator("[data-ajuste]")).to_have_count(0)
    expect(page.get_by_text("Editar")).to_have_count(0)


def test_alta_completa_con_busqueda_cid_servicio_y_equipos(page, login):
    login("operador")
    cliente = ClienteCorpFactory(razon_social="Minera Andina S.A.", cid="257")
    ClienteCorpFactory(razon_social="Banco Pacífico S.A.")
    servicio = ServicioProveedorFactory(codigo="CIR-77", capacidad_contratada=1000)
    ServicioProveedorFactory(codigo="CIR-OTRO")
    nodo_a, nodo_b = NodoFactory(nombre="POP-LIMA"), NodoFactory(nombre="TORRE-SUR")
    e1, e2 = EquipoFactory(serie="SN-UNO"), EquipoFactory(serie="SN-DOS")
    EquipoFactory(serie="SN-OCUPADO", conexion=ConexionFactory())

    page.goto("/conexiones/nueva")
    expect(page.locator("#id_servicio")).to_be_disabled()

    # Client search → select → CID proposal.
    page.fill("#cliente-busqueda", "andina")
    expect(page.locator(f"#id_cliente option[value='{cliente.pk}']")).to_have_count(1)
    expect(page.locator("#id_cliente option")).to_have_count(2)
    page.select_option("#id_cliente", str(cliente.pk))
    expect(page.locator("#id_cid_enlace")).to_have_value("257001")

    page.select_option("#id_tipo_enlace", "Internet")
    page.fill("#id_bw_contratado", "200")
    expect(page.locator("#id_capacidad_disponible")).to_have_value("200")
    page.select_option("#id_estado", "ACTIVO")
    page.select_option("#id_departamento", "Lima")
    expect(page.locator("#id_provincia option[value='Huaral']")).to_have_count(1)
    page.select_option("#id_provincia", "Lima")
    page.fill("#id_distrito", "Miraflores")
    page.fill("#id_direccion", "Av. Larco 1150")

    # Provider → its services, unlocked.
    page.select_option("#id_proveedor", str(servicio.proveedor_id))
    expect(page.locator("#id_servicio")).to_be_enabled()
    opcion = page.locator(f"#id_servicio option[value='{servicio.pk}']")
    expect(opcion).to_contain_text("1\u202f000 Mbps disponibles")
    expect(page.locator("#id_servicio")).not_to_contain_text("CIR-OTRO")
    page.select_option("#id_servicio", str(servicio.pk))
    page.select_option("#id_nodo_a", str(nodo_a.pk))
    page.select_option("#id_nodo_b", str(nodo_b.pk))

    # Equipment rows: add three, remove one.
    for _ in range(3):
        page.click("#agregar-equipo")
    filas = page.locator("#equipos-filas .equipo-fila")
    expect(filas).to_have_count(3)
    expect(filas.first.locator("option")).to_have_count(3)  # placeholder + 2 unassigned
    expect(filas.first).not_to_contain_text("SN-OCUPADO")
    filas.nth(0).locator("select").select_option(str(e1.pk))
    filas.nth(1).locator("select").select_option(str(e2.pk))
    filas.nth(1).locator("[data-quitar-equipo]").click()
    expect(filas).to_have_count(2)

    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/conexiones/\d+/$"))
    expect(page.locator("#mensajes")).to_contain_text("Se creó la conexión 257001")
    conexion = Conexion.objects.get(cid_enlace="257001")
    assert conexion.servicio == servicio and conexion.bw_contratado == 200
    assert list(conexion.equipos.values_list("serie", flat=True)) == ["SN-UNO"]


def test_cliente_preseleccionado(page, login):
    login("operador")
    cliente = ClienteCorpFactory(cid="321")
    ConexionFactory(cliente=cliente, cid_enlace="321001")
    page.goto(f"/conexiones/nueva?cliente_id={cliente.pk}")
    expect(page.locator("#id_cliente")).to_have_value(str(cliente.pk))
    expect(page.locator("#id_cid_enlace")).to_have_value("321002")


def test_errores_junto_al_campo(page, login):
    login("operador")
    nodo = NodoFactory()
    page.goto("/conexiones/nueva")
    page.select_option("#id_nodo_a", str(nodo.pk))
    page.select_option("#id_nodo_b", str(nodo.pk))
    page.fill("#id_bw_contratado", "0")
    page.click("main form button[type=submit]")
    expect(page.locator("#div_id_nodo_b")).to_contain_text("deben ser distintos")
    expect(page.locator("#div_id_bw_contratado")).to_contain_text("mayor que cero")
    expect(page.locator("#div_id_cliente")).to_contain_text("obligatorio")


def test_con_muchos_equipos_cada_fila_busca(page, login, monkeypatch):
    monkeypatch.setattr("conexiones.forms.EQUIPOS_EN_SELECT", 1)
    login("operador")
    EquipoFactory(serie="SN-UNO")
    dos = EquipoFactory(serie="SN-DOS", marca="Huawei")
    page.goto("/conexiones/nueva")
    page.click("#agregar-equipo")
    fila = page.locator("#equipos-filas .equipo-fila").first
    expect(fila.locator("option")).to_have_count(1)
    fila.locator("input[name=equipo_q]").fill("huawei")
    expect(fila.locator(f"option[value='{dos.pk}']")).to_have_count(1)
    fila.locator("select").select_option(str(dos.pk))
    expect(fila.locator("select")).to_have_value(str(dos.pk))
