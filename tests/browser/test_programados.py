"""Scheduling a temporary BW change from the Ajustar BW modal, in a real Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conexiones.choices import EstadoAjusteProgramado
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.browser


def local(momento) -> str:
    """As <input type=datetime-local> takes it, in the site's time zone."""
    return timezone.localtime(momento).strftime("%Y-%m-%dT%H:%M")


def test_programar_un_temporal_desde_el_modal_y_verlo_listado(page, login):
    login("operador")
    servicio = ServicioProveedorFactory(codigo="CIR-1000", capacidad_contratada=1000)
    conexion = ConexionFactory(servicio=servicio, bw_contratado=300, cid_enlace="257001")
    inicio = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    fin = inicio + timedelta(days=3)

    page.goto(f"/conexiones/{conexion.pk}/")
    page.evaluate("window.sinRecarga = true")
    page.click("[data-ajuste=AUMENTAR]")
    modal = page.locator("#modal-ajuste-bw")
    expect(modal).to_be_visible()
    page.fill("#id_mbps", "200")
    page.fill("#id_motivo", "Evento fin de semana")
    expect(page.locator("#previo-bw-resultante")).to_contain_text("300 → 500 Mbps")

    page.click("#ajuste-programar summary")
    page.fill("#id_inicio", local(inicio))
    page.fill("#id_fin", local(fin))
    fecha = timezone.localtime(inicio).strftime("%d/%m/%Y %H:%M")
    expect(page.locator("#previo-momento")).to_contain_text(f"Cifras al {fecha}")
    expect(page.locator("#previo-fin")).to_contain_text(
        timezone.localtime(fin).strftime("se revierte el %d/%m/%Y %H:%M")
    )
    page.click("#ajuste-confirmar")

    expect(modal).to_be_hidden()
    expect(page.locator("#mensajes")).to_contain_text("Ajuste programado en 257001: +200 Mbps")
    fila = page.locator("#programados tbody tr").first
    expect(fila).to_contain_text("+200 Mbps")
    expect(fila).to_contain_text("temporal")
    expect(fila).to_contain_text("Pendiente")
    expect(fila).to_contain_text(fecha)
    expect(page.locator("#conexion-detalle")).to_contain_text("300 Mbps")  # not applied yet
    assert page.evaluate("window.sinRecarga === true")

    programado = AjusteProgramado.objects.get()
    assert (programado.inicio, programado.fin) == (inicio, fin)
    assert programado.estado == EstadoAjusteProgramado.PENDIENTE
    assert not AjusteBW.objects.exists()

    page.click("text=Ajustes programados >> nth=0")  # the sidebar
    fila = page.locator("#tabla-lista tbody tr").first
    expect(fila).to_contain_text("257001")
    expect(fila).to_contain_text("Evento fin de semana")
    expect(fila.locator("[data-cancelar-programado]")).to_have_text("Cancelar")
