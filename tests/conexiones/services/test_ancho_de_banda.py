"""conexiones.services.ancho_de_banda: Ajustar BW, one change and batches, its ledger, its
permission and its locks (concurrency on PostgreSQL only)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion
from conexiones.services import (
    ErroresDeAjuste,
    PedidoAjuste,
    conexion_ajustar_bw,
    conexiones_ajustar_bw,
)
from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.services import disponible, en_paralelo
from tests.conftest import usuario_con_rol

pytestmark = pytest.mark.django_db


class TestAjustarBW:
    def test_aumentar(self, servicio, conexion, operador):
        ajuste = conexion_ajustar_bw(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR,
            mbps=50,
            motivo="  Upgrade por campaña  ",
            usuario=operador,
        )
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 150
        assert conexion.bw_disponible == 130
        assert AjusteBW.objects.count() == 1
        ajuste.refresh_from_db()
        assert ajuste.conexion == conexion
        assert ajuste.servicio == servicio
        assert ajuste.modo == ModoAjuste.AUMENTAR
        assert ajuste.mbps == 50
        assert (ajuste.bw_anterior, ajuste.bw_resultante) == (100, 150)
        assert (ajuste.servicio_disponible_anterior, ajuste.servicio_disponible_resultante) == (
            900,
            850,
        )
        assert ajuste.motivo == "Upgrade por campaña"
        assert ajuste.usuario == operador
        assert disponible(servicio) == 850

    def test_actualiza_la_instancia_recibida(self, conexion):
        conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10)
        assert conexion.bw_contratado == 110
        assert conexion.bw_disponible == 90

    def test_disminuir(self, servicio, conexion):
        ajuste = conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=30)
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 70
        assert (ajuste.bw_anterior, ajuste.bw_resultante) == (100, 70)
        assert (ajuste.servicio_disponible_anterior, ajuste.servicio_disponible_resultante) == (
            900,
            930,
        )
        assert ajuste.usuario is None
        assert AjusteBW.objects.count() == 1
        assert disponible(servicio) == 930

    def test_disminuir_hasta_1_mbps(self, conexion):
        conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=99)
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 1

    @pytest.mark.parametrize("mbps", [100, 150])
    def test_disminuir_por_debajo_de_1_mbps_se_rechaza(self, conexion, mbps):
        with pytest.raises(ValidationError) as excinfo:
            conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=mbps)
        assert list(excinfo.value.message_dict) == ["mbps"]
        assert "1 Mbps" in excinfo.value.message_dict["mbps"][0]
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 100
        assert not AjusteBW.objects.exists()

    def test_conexion_en_baja_no_se_ajusta(self, servicio):
        baja = ConexionFactory(servicio=servicio, estado=EstadoConexion.BAJA, bw_contratado=100)
        with pytest.raises(ValidationError) as excinfo:
            conexion_ajustar_bw(conexion=baja, modo=ModoAjuste.AUMENTAR, mbps=10)
        assert excinfo.value.messages == ["Una conexión en BAJA no se puede ajustar."]
        assert excinfo.value.code == "baja"
        baja.refresh_from_db()
        assert baja.bw_contratado == 100
        assert not AjusteBW.objects.exists()

    def test_estado_en_baja_se_lee_de_la_base(self, conexion):
        """The rule uses the locked row, not a stale instance."""
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        with pytest.raises(ValidationError):
            conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10)

    @pytest.mark.parametrize(
        "estado", [EstadoConexion.PENDIENTE, EstadoConexion.SUSPENDIDO, EstadoConexion.DOWN]
    )
    def test_otros_estados_se_ajustan(self, servicio, estado):
        otra = ConexionFactory(servicio=servicio, estado=estado, bw_contratado=100)
        conexion_ajustar_bw(conexion=otra, modo=ModoAjuste.AUMENTAR, mbps=10)
        otra.refresh_from_db()
        assert otra.bw_contratado == 110

    @pytest.mark.parametrize("mbps", [0, -5, "10", 1.5, 10.0, None, True])
    def test_mbps_debe_ser_entero_positivo(self, conexion, mbps):
        with pytest.raises(ValidationError) as excinfo:
            conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=mbps)
        assert list(excinfo.value.message_dict) == ["mbps"]
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 100
        assert not AjusteBW.objects.exists()

    @pytest.mark.parametrize("modo", ["SUBIR", "", "aumentar", None])
    def test_modo_invalido(self, conexion, modo):
        with pytest.raises(ValidationError) as excinfo:
            conexion_ajustar_bw(conexion=conexion, modo=modo, mbps=10)
        assert list(excinfo.value.message_dict) == ["modo"]
        assert not AjusteBW.objects.exists()

    def test_sobresuscripcion_requiere_confirmacion(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100, codigo="CIR-LLENO")
        conexion = ConexionFactory(servicio=servicio, bw_contratado=80)
        with pytest.raises(ValidationError) as excinfo:
            conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=50)
        assert excinfo.value.message_dict == {
            "confirmar_sobresuscripcion": [
                "El servicio CIR-LLENO quedaría sobresuscrito en 30 Mbps. Confirme para continuar."
            ]
        }
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 80
        assert not AjusteBW.objects.exists()

    def test_sobresuscripcion_confirmada_se_acepta(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=80)
        ajuste = conexion_ajustar_bw(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR,
            mbps=50,
            confirmar_sobresuscripcion=True,
        )
        assert (ajuste.servicio_disponible_anterior, ajuste.servicio_disponible_resultante) == (
            20,
            -30,
        )
        assert disponible(servicio) == -30

    def test_llenar_el_servicio_justo_no_requiere_confirmacion(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=80)
        conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=20)
        assert disponible(servicio) == 0

    def test_disminuir_en_servicio_sobresuscrito_no_requiere_confirmacion(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=150)
        ajuste = conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=10)
        assert ajuste.servicio_disponible_resultante == -40

    def test_conexiones_en_baja_no_ocupan_capacidad(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        ConexionFactory(servicio=servicio, estado=EstadoConexion.BAJA, bw_contratado=1000)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=10)
        ajuste = conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=90)
        assert ajuste.servicio_disponible_resultante == 0

    def test_conexion_sin_servicio(self):
        conexion = ConexionFactory(servicio=None, bw_contratado=100)
        ajuste = conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10)
        assert ajuste.servicio is None
        assert ajuste.servicio_disponible_anterior is None
        assert ajuste.servicio_disponible_resultante is None
        assert ajuste.bw_resultante == 110

    def test_ajustes_sucesivos_encadenan_el_ledger(self, servicio, conexion):
        for modo, mbps in [
            (ModoAjuste.AUMENTAR, 50),
            (ModoAjuste.DISMINUIR, 20),
            (ModoAjuste.AUMENTAR, 5),
        ]:
            conexion_ajustar_bw(conexion=conexion, modo=modo, mbps=mbps)
        ajustes = list(AjusteBW.objects.order_by("id"))
        assert [(a.bw_anterior, a.bw_resultante) for a in ajustes] == [
            (100, 150),
            (150, 130),
            (130, 135),
        ]
        for anterior, siguiente in zip(ajustes, ajustes[1:], strict=False):
            assert anterior.servicio_disponible_resultante == siguiente.servicio_disponible_anterior
        assert ajustes[-1].servicio_disponible_resultante == disponible(servicio) == 865


class TestAjustarBWPermisos:
    def test_usuario_sin_permiso(self, conexion, django_user_model):
        usuario = django_user_model.objects.create_user("sinrol", password="x")
        with pytest.raises(PermissionDenied):
            conexion_ajustar_bw(
                conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10, usuario=usuario
            )
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 100
        assert not AjusteBW.objects.exists()

    def test_noc_lectura_no_puede(self, conexion, django_user_model):
        lectura = usuario_con_rol(django_user_model, "lectura", GRUPO_LECTURA)
        with pytest.raises(PermissionDenied):
            conexion_ajustar_bw(
                conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10, usuario=lectura
            )
        assert not AjusteBW.objects.exists()

    def test_permiso_se_verifica_antes_que_los_datos(self, conexion, django_user_model):
        usuario = django_user_model.objects.create_user("sinrol", password="x")
        with pytest.raises(PermissionDenied):
            conexion_ajustar_bw(conexion=conexion, modo="X", mbps=-1, usuario=usuario)

    def test_noc_operador_puede(self, conexion, operador):
        ajuste = conexion_ajustar_bw(
            conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=10, usuario=operador
        )
        assert ajuste.usuario == operador

    def test_superusuario_puede(self, conexion, django_user_model):
        admin = django_user_model.objects.create_superuser("jefe", password="x")
        ajuste = conexion_ajustar_bw(
            conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=10, usuario=admin
        )
        assert ajuste.usuario == admin


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestAjustarBWConcurrente:
    HILOS = 50

    def test_ajustes_simultaneos_en_el_mismo_servicio(self, solo_postgres, django_user_model):
        operador = usuario_con_rol(django_user_model, "operador", GRUPO_OPERADOR)
        servicio = ServicioProveedorFactory(capacidad_contratada=800)
        nodo_a, nodo_b = NodoFactory(), NodoFactory()
        conexiones = [
            ConexionFactory(servicio=servicio, bw_contratado=10, nodo_a=nodo_a, nodo_b=nodo_b)
            for _ in range(self.HILOS)
        ]
        inicial = disponible(servicio)
        assert inicial == 800 - 10 * self.HILOS

        def ajustar(i):
            propia = Conexion.objects.get(pk=conexiones[i].pk)
            usuario = django_user_model.objects.get(pk=operador.pk)
            return conexion_ajustar_bw(
                conexion=propia,
                modo=ModoAjuste.AUMENTAR,
                mbps=10,
                motivo=f"hilo {i}",
                usuario=usuario,
                confirmar_sobresuscripcion=True,
            ).pk

        resultados, errores = en_paralelo(self.HILOS, ajustar)

        assert errores == []
        assert len(resultados) == self.HILOS
        assert (
            sorted(
                Conexion.objects.filter(servicio=servicio).values_list("bw_contratado", flat=True)
            )
            == [20] * self.HILOS
        )
        ajustes = list(AjusteBW.objects.filter(servicio=servicio).order_by("id"))
        assert len(ajustes) == self.HILOS
        assert {a.conexion_id for a in ajustes} == {c.pk for c in conexiones}
        assert all((a.bw_anterior, a.bw_resultante) == (10, 20) for a in ajustes)
        # The ledger is one chain: nobody read a stale disponible.
        assert ajustes[0].servicio_disponible_anterior == inicial
        for anterior, siguiente in zip(ajustes, ajustes[1:], strict=False):
            assert anterior.servicio_disponible_resultante == siguiente.servicio_disponible_anterior
        for a in ajustes:
            assert a.servicio_disponible_resultante == a.servicio_disponible_anterior - 10
        final = inicial - 10 * self.HILOS
        assert ajustes[-1].servicio_disponible_resultante == final
        assert disponible(servicio) == final == -200

    def test_ajustes_simultaneos_de_la_misma_conexion(self, solo_postgres):
        servicio = ServicioProveedorFactory(capacidad_contratada=1000)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=100)
        hilos = 10

        def ajustar(i):
            return conexion_ajustar_bw(
                conexion=Conexion.objects.get(pk=conexion.pk),
                modo=ModoAjuste.AUMENTAR if i % 2 else ModoAjuste.DISMINUIR,
                mbps=5,
            ).pk

        _, errores = en_paralelo(hilos, ajustar)

        assert errores == []
        conexion.refresh_from_db()
        assert conexion.bw_contratado == 100
        ajustes = list(AjusteBW.objects.filter(conexion=conexion).order_by("id"))
        assert len(ajustes) == hilos
        for anterior, siguiente in zip(ajustes, ajustes[1:], strict=False):
            assert anterior.bw_resultante == siguiente.bw_anterior


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
