"""Pages of scheduled changes: scheduling from the Ajustar BW modal (and its plain page), its
preview at a future inicio, the "Ajustes programados" list, cancelling, the connection's
detail page and the home page."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conexiones.choices import EstadoAjusteProgramado as Estado
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import AjusteProgramadoFactory, ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado, Conexion
from conexiones.services import ajuste_programado_crear, ajustes_programados_aplicar
from tests.view_base import MAX_QUERIES, EntityViewTests

from . import JUEVES, LUNES, VIERNES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reloj")]

HTMX = {"HTTP_HX_REQUEST": "true"}
LISTA = "/ajustes-programados/"


def url(conexion):
    return f"/conexiones/{conexion.pk}/ajustar-bw"


def previo(conexion, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/conexiones/{conexion.pk}/ajustar-bw/vista-previa?{query}"


def datos(**extra):
    return {"modo": "AUMENTAR", "mbps": "200", "motivo": "Evento", **extra}


class TestProgramarDesdeElModal:
    def test_el_modal_tiene_inicio_y_fin(self, operador_client, conexion):
        html = operador_client.get(url(conexion) + "?modo=AUMENTAR", **HTMX).content.decode()
        assert 'type="datetime-local" name="inicio"' in html
        assert 'type="datetime-local" name="fin"' in html
        assert "Programar o hacer temporal" in html
        assert 'id="ajuste-programar">' in html  # folded until used

    def test_temporal_programado(self, operador_client, conexion, usuario_operador):
        respuesta = operador_client.post(
            url(conexion), datos(inicio="2030-06-14T18:00", fin="2030-06-17T08:00"), **HTMX
        )
        assert respuesta.status_code == 204
        evento = json.loads(respuesta["HX-Trigger"])["bwAjustado"]
        assert evento["id"] == conexion.pk
        assert evento["mensaje"] == (
            "Ajuste programado en 257001: +200 Mbps desde el 14/06/2030 18:00 "
            "hasta el 17/06/2030 08:00."
        )
        programado = AjusteProgramado.objects.get()
        assert (programado.inicio, programado.fin) == (VIERNES, LUNES)
        assert (programado.modo, programado.mbps, programado.motivo) == ("AUMENTAR", 200, "Evento")
        assert programado.usuario == usuario_operador
        assert programado.estado == Estado.PENDIENTE
        assert not AjusteBW.objects.exists()
        assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 300

    def test_con_segundos(self, operador_client, conexion):
        respuesta = operador_client.post(url(conexion), datos(inicio="2030-06-14T18:00:30"), **HTMX)
        assert respuesta.status_code == 204
        assert AjusteProgramado.objects.get().inicio == VIERNES + timedelta(seconds=30)

    def test_sin_javascript_redirige_al_detalle(self, operador_client, conexion):
        respuesta = operador_client.post(url(conexion), datos(inicio="2030-06-14T18:00"))
        assert respuesta.status_code == 302
        assert respuesta["Location"] == conexion.get_absolute_url()
        pagina = operador_client.get(respuesta["Location"]).content.decode()
        assert "Ajuste programado en 257001" in pagina
        assert 'id="programado-' in pagina

    def test_inicio_pasado_sin_fin_es_un_ajuste_ahora(self, operador_client, conexion):
        respuesta = operador_client.post(url(conexion), datos(inicio="2030-06-13T09:00"), **HTMX)
        assert respuesta.status_code == 204
        assert json.loads(respuesta["HX-Trigger"])["bwAjustado"]["mensaje"] == (
            "BW de 257001: 300 → 500 Mbps."
        )
        assert not AjusteProgramado.objects.exists()
        assert AjusteBW.objects.get().motivo == "Evento"

    def test_temporal_desde_ahora(self, operador_client, conexion):
        respuesta = operador_client.post(url(conexion), datos(fin="2030-06-17T08:00"), **HTMX)
        assert respuesta.status_code == 204
        assert json.loads(respuesta["HX-Trigger"])["bwAjustado"]["mensaje"] == (
            "BW de 257001: 300 → 500 Mbps hasta el 17/06/2030 08:00 (ajuste temporal)."
        )
        programado = AjusteProgramado.objects.get()
        assert programado.estado == Estado.APLICADO
        assert programado.inicio == JUEVES
        assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 500

    @pytest.mark.parametrize(
        ("campos", "campo", "mensaje"),
        [
            (
                {"inicio": "2030-06-14T18:00", "fin": "2030-06-14T17:00"},
                "fin",
                "El fin debe ser posterior al inicio.",
            ),
            ({"fin": "2030-06-13T17:00"}, "fin", "El fin debe ser posterior a la hora actual."),
            ({"inicio": "mañana"}, "inicio", "Ingrese fecha y hora (AAAA-MM-DDTHH:MM)."),
            ({"fin": "2030-13-40T25:00"}, "fin", "Ingrese fecha y hora (AAAA-MM-DDTHH:MM)."),
        ],
    )
    def test_errores_junto_al_campo(self, operador_client, conexion, campos, campo, mensaje):
        respuesta = operador_client.post(url(conexion), datos(**campos), **HTMX)
        assert respuesta.status_code == 200
        form = respuesta.context["form"]
        assert form.errors[campo] == [mensaje]
        html = respuesta.content.decode()
        assert mensaje in html
        assert 'id="ajuste-programar" open' in html  # the scheduling fields stay visible
        assert not AjusteProgramado.objects.exists()
        assert not AjusteBW.objects.exists()

    def test_sobresuscripcion_en_el_inicio(self, operador_client, conexion, servicio):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        ajuste_programado_crear(
            conexion=otra, modo=ModoAjuste.AUMENTAR, mbps=500, inicio=VIERNES
        )  # 100 Mbps left from Friday
        campos = datos(inicio="2030-06-15T10:00", mbps="150")
        respuesta = operador_client.post(url(conexion), campos, **HTMX)
        assert respuesta.status_code == 200
        html = respuesta.content.decode()
        assert "quedaría sobresuscrito en 50 Mbps" in html
        assert 'id="previo-sobresuscripcion"' in html
        assert not AjusteProgramado.objects.filter(conexion=conexion).exists()

        campos["confirmar_sobresuscripcion"] = "on"
        assert operador_client.post(url(conexion), campos, **HTMX).status_code == 204
        assert AjusteProgramado.objects.get(conexion=conexion).confirmar_sobresuscripcion

    def test_lectura_no_programa(self, lectura_client, conexion):
        respuesta = lectura_client.post(url(conexion), datos(inicio="2030-06-14T18:00"))
        assert respuesta.status_code == 403
        assert not AjusteProgramado.objects.exists()


class TestVistaPrevia:
    def test_ahora(self, operador_client, conexion):
        html = operador_client.get(previo(conexion, modo="AUMENTAR", mbps=100)).content.decode()
        assert "300 → 400 Mbps" in html
        assert "previo-momento" not in html

    def test_en_un_momento_futuro(self, operador_client, conexion, servicio):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        ajuste_programado_crear(conexion=conexion, modo="AUMENTAR", mbps=100, inicio=VIERNES)
        ajuste_programado_crear(conexion=otra, modo="AUMENTAR", mbps=400, inicio=VIERNES)
        # Now: 600 available, no warning.
        html = operador_client.get(previo(conexion, modo="AUMENTAR", mbps=150)).content.decode()
        assert "300 → 450 Mbps" in html
        assert "previo-sobresuscripcion" not in html
        # Saturday: 400 Mbps already, 100 available; +150 oversells by 50.
        html = operador_client.get(
            previo(conexion, modo="AUMENTAR", mbps=150, inicio="2030-06-15T10:00")
        ).content.decode()
        assert "Cifras al 15/06/2030 10:00, después de 2 ajustes programados antes." in html
        assert "400 → 550 Mbps" in html
        assert "100 → " in html and "−50 Mbps" in html
        assert "sobresuscrito en 50 Mbps" in html

    def test_fin_de_un_temporal(self, operador_client, conexion):
        html = operador_client.get(
            previo(conexion, modo="AUMENTAR", mbps=150, fin="2030-06-17T08:00")
        ).content.decode()
        assert "se revierte el 17/06/2030 08:00" in html

    def test_inicio_pasado_o_invalido_es_ahora(self, operador_client, conexion):
        for inicio in ("2030-06-12T10:00", "ayer"):
            html = operador_client.get(
                previo(conexion, modo="AUMENTAR", mbps=1, inicio=inicio)
            ).content.decode()
            assert "previo-momento" not in html
            assert "300 → 301 Mbps" in html

    def test_modal_abierto_con_inicio_futuro_y_errores(self, operador_client, conexion):
        """An invalid POST re-renders the preview at the inicio typed."""
        ajuste_programado_crear(conexion=conexion, modo="AUMENTAR", mbps=100, inicio=VIERNES)
        respuesta = operador_client.post(
            url(conexion),
            datos(inicio="2030-06-15T10:00", fin="2030-06-15T09:00", mbps="50"),
            **HTMX,
        )
        html = respuesta.content.decode()
        assert "Cifras al 15/06/2030 10:00" in html
        assert "400 → 450 Mbps" in html


class TestAjusteProgramadoViews(EntityViewTests):
    """A list only: changes are scheduled from Ajustar BW and cancelled from the list."""

    factory = AjusteProgramadoFactory
    list_url = LISTA
    add_url = None
    exportable = False
    write_marker = "data-cancelar-programado"

    def detail_url(self, obj):
        return None

    def edit_url(self, obj):
        return None

    def row_marker(self, obj):
        return obj.motivo


class TestLista:
    def test_proximas_24_h_primero(self, lectura_client, conexion):
        def crear(inicio, **extra):
            return AjusteProgramadoFactory(conexion=conexion, inicio=inicio, **extra)

        pasado = crear(JUEVES - timedelta(days=3), estado=Estado.REVERTIDO)
        mas_reciente = crear(JUEVES - timedelta(days=1), estado=Estado.CANCELADO)
        lejano = crear(JUEVES + timedelta(days=5))
        pronto = crear(JUEVES + timedelta(hours=2))
        atrasado = crear(JUEVES - timedelta(minutes=5))
        # A temporary change in its period acts at its fin.
        revierte = crear(
            JUEVES - timedelta(days=1), fin=JUEVES + timedelta(hours=1), estado=Estado.APLICADO
        )
        manana = crear(JUEVES + timedelta(hours=23))
        respuesta = lectura_client.get(LISTA)
        assert [p.pk for p in respuesta.context["object_list"]][:7] == [
            atrasado.pk,
            revierte.pk,
            pronto.pk,
            manana.pk,
            lejano.pk,
            mas_reciente.pk,
            pasado.pk,
        ]
        html = respuesta.content.decode()
        assert "Ajustes programados" in html
        assert "data-cancelar-programado" not in html  # read-only role

    def test_filtros(self, lectura_client, conexion):
        viernes = AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES, motivo="Viernes")
        lunes = AjusteProgramadoFactory(conexion=conexion, inicio=LUNES, motivo="Lunes")
        fallido = AjusteProgramadoFactory(
            inicio=VIERNES, estado=Estado.FALLIDO, motivo="Fallido"
        )

        def filtrados(query):
            respuesta = lectura_client.get(f"{LISTA}?{query}")
            assert respuesta.status_code == 200
            return {p.pk for p in respuesta.context["object_list"]}

        assert filtrados("estado=FALLIDO") == {fallido.pk}
        assert filtrados("estado=PENDIENTE") == {viernes.pk, lunes.pk}
        assert filtrados("desde=2030-06-15") == {lunes.pk}
        assert filtrados("hasta=2030-06-14") == {viernes.pk, fallido.pk}
        assert filtrados("desde=2030-06-14&hasta=2030-06-14") == {viernes.pk, fallido.pk}
        assert filtrados("busqueda=257001") == {viernes.pk, lunes.pk}
        assert filtrados("busqueda=lunes") == {lunes.pk}
        assert filtrados("desde=ayer") == set()  # a bad date shows its error, not a 500

    def test_el_menu_y_el_inicio_enlazan_la_lista(self, lectura_client):
        html = lectura_client.get("/").content.decode()
        assert f'href="{LISTA}"' in html
        assert 'id="inicio-programados"' in html

    def test_operador_ve_cancelar(self, operador_client, conexion):
        pendiente = AjusteProgramadoFactory(conexion=conexion)
        terminado = AjusteProgramadoFactory(conexion=conexion, estado=Estado.REVERTIDO)
        html = operador_client.get(LISTA).content.decode()
        assert f'data-cancelar-programado="{pendiente.pk}"' in html
        assert f'data-cancelar-programado="{terminado.pk}"' not in html


class TestCancelar:
    def cancelar(self, programado):
        return f"/ajustes-programados/{programado.pk}/cancelar"

    def test_pagina_de_confirmacion_y_cancelacion(self, operador_client, conexion):
        programado = AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES)
        pagina = operador_client.get(self.cancelar(programado) + f"?next={LISTA}")
        assert pagina.status_code == 200
        html = pagina.content.decode()
        assert 'id="confirmar-cancelacion"' in html and "257001" in html
        respuesta = operador_client.post(self.cancelar(programado), {"next": LISTA})
        assert respuesta.status_code == 302 and respuesta["Location"] == LISTA
        assert AjusteProgramado.objects.get().estado == Estado.CANCELADO
        assert "antes de aplicarse" in operador_client.get(LISTA).content.decode()

    def test_durante_un_temporal_avisa_y_revierte(self, operador_client, conexion, reloj):
        ajuste_programado_crear(
            conexion=conexion, modo="AUMENTAR", mbps=200, inicio=VIERNES, fin=LUNES
        )
        reloj(VIERNES + timedelta(hours=1))
        ajustes_programados_aplicar()
        programado = AjusteProgramado.objects.get()
        html = operador_client.get(self.cancelar(programado)).content.decode()
        assert 'id="aviso-revertir"' in html and "−200 Mbps" in html
        respuesta = operador_client.post(self.cancelar(programado))
        assert respuesta["Location"] == conexion.get_absolute_url() + "#programados"
        assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 300

    def test_no_cancelable_da_un_mensaje(self, operador_client, conexion):
        programado = AjusteProgramadoFactory(conexion=conexion, estado=Estado.REVERTIDO)
        html = operador_client.get(self.cancelar(programado)).content.decode()
        assert "ya no se puede cancelar" in html and "confirmar-cancelacion" not in html
        respuesta = operador_client.post(self.cancelar(programado), follow=True)
        assert "ya está revertido: no se puede cancelar" in respuesta.content.decode()

    def test_next_externo_se_ignora(self, operador_client, conexion):
        programado = AjusteProgramadoFactory(conexion=conexion)
        respuesta = operador_client.post(
            self.cancelar(programado), {"next": "https://malo.example/"}
        )
        assert respuesta["Location"] == programado.get_absolute_url()

    def test_lectura_no_cancela(self, lectura_client, conexion):
        programado = AjusteProgramadoFactory(conexion=conexion)
        assert lectura_client.get(self.cancelar(programado)).status_code == 403
        assert lectura_client.post(self.cancelar(programado)).status_code == 403
        assert AjusteProgramado.objects.get().estado == Estado.PENDIENTE


class TestDetalleEInicio:
    def test_detalle_lista_los_de_la_conexion(self, lectura_client, conexion):
        propio = AjusteProgramadoFactory(conexion=conexion, motivo="Evento del cliente")
        ajeno = AjusteProgramadoFactory(motivo="De otra conexión")
        html = lectura_client.get(conexion.get_absolute_url()).content.decode()
        assert 'id="programados"' in html
        assert f'id="programado-{propio.pk}"' in html and "Evento del cliente" in html
        assert f'id="programado-{ajeno.pk}"' not in html

    def test_detalle_en_consultas_acotadas(self, lectura_client, conexion):
        sin = ConexionFactory()
        with CaptureQueriesContext(connection) as consultas:
            lectura_client.get(sin.get_absolute_url())
        # + 1: the panel of the maintenance windows touching the connection.
        assert len(consultas) <= MAX_QUERIES + 1
        AjusteProgramadoFactory.create_batch(3, conexion=conexion)
        lectura_client.get(conexion.get_absolute_url())
        with CaptureQueriesContext(connection) as pocos:
            lectura_client.get(conexion.get_absolute_url())
        AjusteProgramadoFactory.create_batch(20, conexion=conexion)
        with CaptureQueriesContext(connection) as muchos:
            lectura_client.get(conexion.get_absolute_url())
        assert len(muchos) == len(pocos) == len(consultas) + 1

    def test_el_inicio_muestra_los_fallidos(self, lectura_client, conexion, reloj):
        ajuste_programado_crear(conexion=conexion, modo="AUMENTAR", mbps=200, inicio=VIERNES)
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        html = lectura_client.get("/").content.decode()
        assert 'id="programados-fallidos"' in html
        assert "Una conexión en BAJA no se puede ajustar." in html
        assert "/ajustes-programados/?estado=FALLIDO" in html
