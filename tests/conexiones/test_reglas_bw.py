"""One bandwidth rule, one lock order: the service in batches and through each entry point.

Every change of bw_contratado goes through conexiones.services: the modal, the edit form and
the admin are checked here; the import in tests/isp_portal/test_importar.py.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, Conexion
from conexiones.selectors import servicios_con_capacidad
from conexiones.services import (
    Carga,
    ErroresDeAjuste,
    PedidoAjuste,
    calcular_ajuste,
    conexion_ajustar_bw,
    conexion_crear,
    conexiones_ajustar_bw,
    conexiones_asignar_cids,
    servicios_verificar_carga,
)
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.test_services import datos_conexion
from tests.conexiones.test_views import datos_edicion

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=1000)


# --- The arithmetic ---------------------------------------------------------------------------


class TestCalculo:
    def test_aumentar_mueve_la_conexion_y_el_servicio(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=50,
            servicio_vendida=950,
            modo=ModoAjuste.AUMENTAR,
            mbps=80,
        )
        assert (calculo.bw_resultante, calculo.servicio_disponible_resultante) == (180, -30)
        assert calculo.servicio_vendida_resultante == 1030
        assert calculo.sobresuscrito and calculo.sobresuscripcion_mbps == 30

    def test_disminuir_en_un_servicio_sobresuscrito_no_es_sobresuscribir(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=-50,
            servicio_vendida=1050,
            modo=ModoAjuste.DISMINUIR,
            mbps=10,
        )
        assert calculo.servicio_disponible_resultante == -40 and not calculo.sobresuscrito

    def test_sin_mbps_no_hay_resultado(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=10,
            servicio_vendida=90,
            modo=ModoAjuste.AUMENTAR,
            mbps=None,
        )
        assert calculo.bw_resultante is None and calculo.servicio_disponible_resultante is None

    def test_limites(self, settings):
        settings.BW_MAXIMO_MBPS = 1000

        def calculo(modo, mbps):
            return calcular_ajuste(
                bw_actual=100,
                en_baja=False,
                servicio_disponible=None,
                servicio_vendida=None,
                modo=modo,
                mbps=mbps,
            )

        assert calculo(ModoAjuste.DISMINUIR, 100).bajo_minimo
        assert not calculo(ModoAjuste.DISMINUIR, 99).bajo_minimo
        assert calculo(ModoAjuste.AUMENTAR, 901).sobre_maximo
        assert not calculo(ModoAjuste.AUMENTAR, 900).sobre_maximo


# --- The batch form ---------------------------------------------------------------------------


class TestLote:
    def test_encadena_el_ledger_por_servicio_y_conexion(self, servicio):
        a = ConexionFactory(servicio=servicio, bw_contratado=100)
        b = ConexionFactory(servicio=servicio, bw_contratado=200)
        inicial = disponible(servicio)
        ajustes = conexiones_ajustar_bw(
            pedidos=[
                PedidoAjuste(a.pk, modo=ModoAjuste.AUMENTAR, mbps=50),
                PedidoAjuste(b.pk, bw_nuevo=150),
                PedidoAjuste(a.pk, modo=ModoAjuste.AUMENTAR, mbps=10),
            ],
            motivo="lote",
        )
        assert [(x.bw_anterior, x.bw_resultante) for x in ajustes] == [
            (100, 150),
            (200, 150),
            (150, 160),
        ]
        assert ajustes[1].modo == ModoAjuste.DISMINUIR and ajustes[1].mbps == 50
        assert ajustes[0].servicio_disponible_anterior == inicial
        for antes, despues in zip(ajustes, ajustes[1:], strict=False):
            assert antes.servicio_disponible_resultante == despues.servicio_disponible_anterior
        assert ajustes[-1].servicio_disponible_resultante == disponible(servicio) == inicial - 10
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.bw_contratado, b.bw_contratado) == (160, 150)

    def test_bw_nuevo_igual_no_deja_ajuste(self, servicio):
        c = ConexionFactory(servicio=servicio, bw_contratado=100)
        assert conexiones_ajustar_bw(pedidos=[PedidoAjuste(c.pk, bw_nuevo=100)]) == []
        assert not AjusteBW.objects.exists()

    def test_todo_o_nada_con_el_error_de_cada_pedido(self, servicio):
        buena = ConexionFactory(servicio=servicio, bw_contratado=100)
        baja = ConexionFactory(servicio=servicio, bw_contratado=100, estado=EstadoConexion.BAJA)
        minima = ConexionFactory(servicio=servicio, bw_contratado=5)
        with pytest.raises(ErroresDeAjuste) as info:
            conexiones_ajustar_bw(
                pedidos=[
                    PedidoAjuste(buena.pk, modo=ModoAjuste.AUMENTAR, mbps=10),
                    PedidoAjuste(baja.pk, modo=ModoAjuste.AUMENTAR, mbps=10),
                    PedidoAjuste(minima.pk, bw_nuevo=0),
                ]
            )
        assert set(info.value.errores) == {1, 2}
        assert info.value.errores[1].code == "baja"
        assert "por debajo de 1 Mbps" in info.value.errores[2].messages[0]
        buena.refresh_from_db()
        assert buena.bw_contratado == 100 and not AjusteBW.objects.exists()

    def test_sobresuscripcion_por_pedido_y_con_confirmacion(self):
        servicio = ServicioProveedorFactory(codigo="CIR-9", capacidad_contratada=300)
        a = ConexionFactory(servicio=servicio, bw_contratado=100)
        b = ConexionFactory(servicio=servicio, bw_contratado=100)
        pedidos = [PedidoAjuste(a.pk, bw_nuevo=150), PedidoAjuste(b.pk, bw_nuevo=170)]
        with pytest.raises(ErroresDeAjuste) as info:
            conexiones_ajustar_bw(pedidos=pedidos)
        # The first fits (100 left → 50); the second tips the service over by 20.
        (error,) = info.value.errores.values()
        assert list(info.value.errores) == [1]
        detalle = error.error_dict["confirmar_sobresuscripcion"][0]
        assert detalle.code == "sobresuscripcion"
        assert detalle.params == {"servicio": "CIR-9", "mbps": 20}
        ajustes = conexiones_ajustar_bw(pedidos=pedidos, confirmar_sobresuscripcion=True)
        assert ajustes[-1].servicio_disponible_resultante == -20 == disponible(servicio)

    def test_limite_superior(self, servicio, settings):
        settings.BW_MAXIMO_MBPS = 1000
        c = ConexionFactory(servicio=servicio, bw_contratado=900)
        with pytest.raises(ValidationError) as info:
            conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=101)
        assert "supera el máximo de 1000 Mbps" in info.value.messages[0]
        c.refresh_from_db()
        assert c.bw_contratado == 900

    def test_mbps_enorme_es_un_error_y_no_un_overflow(self, servicio):
        c = ConexionFactory(servicio=servicio, bw_contratado=900)
        with pytest.raises(ValidationError):
            conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=2**40)

    def test_los_bloqueos_no_crecen_con_el_lote(self, servicio):
        def consultas(n):
            conexiones = ConexionFactory.create_batch(n, servicio=servicio, bw_contratado=10)
            pedidos = [PedidoAjuste(c.pk, modo=ModoAjuste.AUMENTAR, mbps=1) for c in conexiones]
            with CaptureQueriesContext(connection) as capturadas:
                conexiones_ajustar_bw(pedidos=pedidos, confirmar_sobresuscripcion=True)
            # Reads and locks; SQLite splits the bulk writes by its parameter limit.
            return sum(q["sql"].startswith("SELECT") for q in capturadas)

        assert consultas(2) == consultas(40)

    def test_cada_ajuste_queda_en_el_historial_con_usuario_y_motivo(
        self, servicio, usuario_operador
    ):
        c = ConexionFactory(servicio=servicio, bw_contratado=100)
        conexion_ajustar_bw(
            conexion=c,
            modo=ModoAjuste.AUMENTAR,
            mbps=20,
            motivo="Pedido del cliente",
            usuario=usuario_operador,
        )
        ultima = c.history.order_by("-history_date", "-history_id").first()
        assert ultima.bw_contratado == 120
        assert ultima.history_user == usuario_operador
        assert ultima.history_change_reason == "Pedido del cliente"


# --- Load from new and moved connections ------------------------------------------------------


class TestCarga:
    def test_la_carga_que_sobresuscribe_se_rechaza_por_posicion(self):
        servicio = ServicioProveedorFactory(codigo="CIR-2", capacidad_contratada=100)
        with pytest.raises(ErroresDeAjuste) as info:
            servicios_verificar_carga(
                cargas=[Carga(servicio.pk, 0), Carga(servicio.pk, 60), Carga(servicio.pk, 60)]
            )
        assert list(info.value.errores) == [2]  # positions of the given list
        servicios_verificar_carga(
            cargas=[Carga(servicio.pk, 60), Carga(servicio.pk, 60)],
            confirmar_sobresuscripcion=True,
        )

    def test_crear_una_conexion_que_sobresuscribe_pide_confirmacion(self):
        servicio = ServicioProveedorFactory(codigo="CIR-3", capacidad_contratada=150)
        cliente = ClienteCorpFactory(cid="900")
        datos = datos_conexion(cliente, servicio, bw_contratado=200)
        with pytest.raises(ValidationError) as info:
            conexion_crear(datos=datos)
        assert "sobresuscrito en 50 Mbps" in info.value.messages[0]
        assert not Conexion.objects.filter(cliente=cliente).exists()
        conexion_crear(datos=datos, confirmar_sobresuscripcion=True)
        assert disponible(servicio) == -50

    def test_crear_en_baja_no_carga_el_servicio(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=10)
        cliente = ClienteCorpFactory(cid="901")
        conexion_crear(
            datos=datos_conexion(cliente, servicio, bw_contratado=200, estado=EstadoConexion.BAJA)
        )
        assert disponible(servicio) == 10


# --- CIDs of new connections in batches ---------------------------------------------------------


def test_asignar_cids_sigue_la_secuencia_de_cada_cliente():
    uno, otro = ClienteCorpFactory(cid="257"), ClienteCorpFactory(cid="300")
    ConexionFactory(cliente=uno, cid_enlace="257001")
    nuevas = [
        Conexion(cliente=uno),
        Conexion(cliente=otro),
        Conexion(cliente=uno, cid_enlace="X-1"),
        Conexion(cliente=uno),
    ]
    conexiones_asignar_cids(nuevas)
    assert [c.cid_enlace for c in nuevas] == ["257002", "300001", "X-1", "257003"]


# --- Entry points -------------------------------------------------------------------------------


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


# --- Concurrency on PostgreSQL -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_lotes_simultaneos_sobre_el_mismo_servicio(es_postgres):
    if not es_postgres:
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")
    servicio = ServicioProveedorFactory(capacidad_contratada=10_000)
    conexiones = ConexionFactory.create_batch(20, servicio=servicio, bw_contratado=10)
    barrera = threading.Barrier(4, timeout=60)
    errores = []

    def lote(i):
        try:
            barrera.wait()
            # Each batch takes every connection, in a different order: no deadlock.
            orden = conexiones[i:] + conexiones[:i]
            conexiones_ajustar_bw(
                pedidos=[PedidoAjuste(c.pk, modo=ModoAjuste.AUMENTAR, mbps=1) for c in orden],
                motivo=f"lote {i}",
            )
        except Exception as error:  # noqa: BLE001 - reported by the test
            errores.append(error)
        finally:
            connection.close()

    hilos = [threading.Thread(target=lote, args=(i,)) for i in range(4)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    assert errores == []
    assert set(Conexion.objects.values_list("bw_contratado", flat=True)) == {14}
    ajustes = list(AjusteBW.objects.order_by("id"))
    assert len(ajustes) == 80
    for antes, despues in zip(ajustes, ajustes[1:], strict=False):
        assert antes.servicio_disponible_resultante == despues.servicio_disponible_anterior
