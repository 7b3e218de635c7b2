"""A maintenance window created from a node's «Impacto» page and notified, in Chromium."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, NodoFactory
from mantenimientos.models import Mantenimiento, Notificacion

pytestmark = pytest.mark.browser


def local(momento) -> str:
    """As <input type=datetime-local> takes it, in the site's time zone."""
    return timezone.localtime(momento).strftime("%Y-%m-%dT%H:%M")


def test_programar_desde_el_impacto_del_nodo_y_notificar(page, login, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    login("operador")
    nodo = NodoFactory(nombre="POP-SUR")
    con_correo = ClienteCorpFactory(razon_social="Minera Andina S.A.", correo="noc@minera.pe")
    sin_correo = ClienteCorpFactory(razon_social="Clínica Huascarán S.A.C.", correo="")
    ConexionFactory(cliente=con_correo, cid_enlace="100001", nodo_a=nodo)
    ConexionFactory(cliente=sin_correo, cid_enlace="300001", nodo_b=nodo)
    inicio = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    fin = inicio + timedelta(hours=4)

    page.goto(f"/nodos/{nodo.pk}/impacto")
    page.click("#programar-mantenimiento")
    expect(page.locator("h1")).to_have_text("Programar mantenimiento")
    expect(page.locator("#id_tipo_objeto")).to_have_value("nodo")
    expect(page.locator("#id_objeto")).to_have_value("POP-SUR")
    page.fill("#id_inicio", local(inicio))
    page.fill("#id_fin", local(inicio - timedelta(hours=1)))
    page.fill("#id_descripcion", "Cambio de la fuente del POP.")
    page.click("main button[type=submit]")
    expect(page.locator("#id_fin + .invalid-feedback, .invalid-feedback")).to_contain_text(
        "El fin debe ser posterior al inicio."
    )
    assert not Mantenimiento.objects.exists()

    page.fill("#id_fin", local(fin))
    page.click("main button[type=submit]")
    expect(page.locator("#mensajes")).to_contain_text(
        "Se programó el mantenimiento de Nodo POP-SUR"
    )
    m = Mantenimiento.objects.get()
    assert (m.inicio, m.fin, m.objeto_id) == (inicio, fin, nodo.pk)
    expect(page.locator("#afectados")).to_contain_text("100001")
    expect(page.locator("#sin-correo")).to_contain_text("Clínica Huascarán S.A.C.")
    expect(page.locator("#sin-correo a")).to_have_text("Editar el contacto")

    page.click("#notificar")
    expect(page.locator("#mensajes")).to_contain_text("Avisos enviados: 1.")
    expect(page.locator("#avisos-enviados")).to_have_text("1")
    assert [correo.to for correo in mail.outbox] == [["noc@minera.pe"]]
    assert Notificacion.objects.get().estado == "enviado"

    page.goto(f"/nodos/{nodo.pk}/")
    expect(page.locator("#panel-mantenimientos")).to_contain_text("Nodo POP-SUR")
