"""One bandwidth rule, one lock order: the service in batches and through each entry point.

Every change of bw_contratado goes through conexiones.services: the modal, the edit form and
the admin are checked here; the import in tests/isp_portal/test_importar.py.
"""


import pytest
from django.urls import reverse

from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, Conexion
from conexiones.selectors import servicios_con_capacidad
from conexiones.services import (
    conexion_ajustar_bw,
)
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.test_views import datos_edicion

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=1000)


# --- The arithmetic ---------------------------------------------------------------------------


def test_el_modal_deja_el_cambio_en_el_historial_de_la_conexion(operador_client, servicio):
    c = ConexionFactory(servicio=servicio, bw_contratado=100)
    respuesta = operador_client.post(
        f"/conexiones/{c.pk}/ajustar-bw",
        {"modo": "AUMENTAR", "mbps": "25", "motivo": "Evento del cliente"},
        **HTMX,
    )
    assert respuesta.status_code == 204
    pagina = operador_client.get(c.get_absolute_url()).content.decode()
    historial = pagina[pagina.index('id="historial"') :]
    assert "BW contratado" in historial and "125" in historial
    assert "Evento del cliente" in historial and "operador" in historial


def test_el_modal_rechaza_pasar_del_maximo(operador_client, servicio, settings):
    settings.BW_MAXIMO_MBPS = 1000
    c = ConexionFactory(servicio=servicio, bw_contratado=990)
    respuesta = operador_client.post(
        f"/conexiones/{c.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": "20"}, **HTMX
    )
    assert respuesta.status_code == 200
    assert "supera el máximo de 1000 Mbps" in respuesta.content.decode()
    c.refresh_from_db()
    assert c.bw_contratado == 990 and not AjusteBW.objects.exists()


def test_el_formulario_de_edicion_deja_ledger_e_historial(operador_client, servicio):
    c = ConexionFactory(servicio=servicio, bw_contratado=100)
    operador_client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, bw_contratado="140"))
    ajuste = AjusteBW.objects.get(conexion=c)
    assert (ajuste.bw_anterior, ajuste.bw_resultante) == (100, 140)
    ultima = c.history.order_by("-history_date", "-history_id").first()
    assert ultima.bw_contratado == 140 and ultima.history_user.username == "operador"


def test_el_alta_que_sobresuscribe_pide_confirmacion_en_la_pagina(operador_client):
    from tests.conexiones.test_views import datos_formulario

    servicio = ServicioProveedorFactory(capacidad_contratada=100)
    data = datos_formulario(servicio=servicio, bw_contratado="150")
    respuesta = operador_client.post("/conexiones/nueva", data)
    assert respuesta.status_code == 200
    assert (
        "sobresuscrito en 50 Mbps"
        in respuesta.context["form"].errors["confirmar_sobresuscripcion"][0]
    )
    assert not Conexion.objects.filter(servicio=servicio).exists()
    data["confirmar_sobresuscripcion"] = "on"
    assert operador_client.post("/conexiones/nueva", data).status_code == 302
    assert Conexion.objects.filter(servicio=servicio).count() == 1


class TestAdmin:
    def test_bw_es_de_solo_lectura_con_enlace_a_ajustar(self, admin_client, servicio):
        c = ConexionFactory(servicio=servicio)
        pagina = admin_client.get(reverse("admin:conexiones_conexion_change", args=[c.pk]))
        contenido = pagina.content.decode()
        assert 'name="bw_contratado"' not in contenido
        assert reverse("conexiones:conexion_ajustar_bw", args=[c.pk]) in contenido

    def test_restaurar_una_version_no_cambia_el_bw(self, admin_client, servicio):
        c = ConexionFactory(servicio=servicio, bw_contratado=100)
        version = c.history.earliest("history_date")
        conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=50)
        url = reverse("admin:conexiones_conexion_simple_history", args=[c.pk, version.history_id])
        pagina = admin_client.get(url)
        assert pagina.status_code == 200
        assert "Revert" not in pagina.content.decode()
        respuesta = admin_client.post(url, {"locacion": c.locacion})
        assert respuesta.status_code == 403
        c.refresh_from_db()
        assert c.bw_contratado == 150
        assert AjusteBW.objects.filter(conexion=c).count() == 1

    def test_guardar_pasa_por_el_servicio(self, admin_client):
        lleno = ServicioProveedorFactory(capacidad_contratada=100)
        ConexionFactory(servicio=lleno, bw_contratado=100)
        c = ConexionFactory(servicio=lleno, bw_contratado=50, estado=EstadoConexion.BAJA)
        url = reverse("admin:conexiones_conexion_change", args=[c.pk])
        formulario = admin_client.get(url).context["adminform"].form
        datos = {
            nombre: ("" if valor is None else valor)
            for nombre, valor in formulario.initial.items()
            if nombre in formulario.fields
        }
        datos.update(
            {
                "estado": EstadoConexion.ACTIVO,
                "equipos-TOTAL_FORMS": 0,
                "equipos-INITIAL_FORMS": 0,
                "ajustes-TOTAL_FORMS": 0,
                "ajustes-INITIAL_FORMS": 0,
            }
        )
        respuesta = admin_client.post(url, datos, follow=True)
        assert "sobresuscrito en 50 Mbps" in respuesta.content.decode()
        c.refresh_from_db()
        assert c.estado == EstadoConexion.BAJA
