"""conexiones.services: CID sequence, connection creation and Ajustar BW, against the database.

The concurrency tests need real row locks, so they run on PostgreSQL only.
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion, ModoAjuste, TipoServicio
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion, Equipo
from conexiones.selectors import servicios_con_capacidad
from conexiones.services import (
    conexion_ajustar_bw,
    conexion_crear,
    conexion_siguiente_cid,
    equipos_asignar,
)
from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR
from proveedores.factories import ServicioProveedorFactory
from tests.conftest import usuario_con_rol

pytestmark = pytest.mark.django_db


@pytest.fixture
def solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")


def en_paralelo(cantidad: int, trabajo) -> tuple[list, list]:
    """Run trabajo(i) in `cantidad` threads released at the same moment.

    Each thread closes its own database connection when it ends.
    """
    barrera = threading.Barrier(cantidad, timeout=60)
    resultados, errores = [], []
    candado = threading.Lock()

    def hilo(i):
        try:
            barrera.wait()
            resultado = trabajo(i)
            with candado:
                resultados.append(resultado)
        except Exception as e:  # noqa: BLE001 - reported by the test
            with candado:
                errores.append(e)
        finally:
            connection.close()

    hilos = [threading.Thread(target=hilo, args=(i,)) for i in range(cantidad)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    assert not any(h.is_alive() for h in hilos), "un hilo no terminó (¿bloqueo mutuo?)"
    return resultados, errores


def datos_conexion(cliente, servicio=None, **extra) -> dict:
    nodo_a, nodo_b = NodoFactory(), NodoFactory()
    return {
        "cliente": cliente,
        "servicio": servicio,
        "tipo_enlace": TipoServicio.INTERNET,
        "estado": EstadoConexion.ACTIVO,
        "bw_contratado": 100,
        "departamento": "Lima",
        "provincia": "Lima",
        "distrito": "Miraflores",
        "direccion": "Av. Larco 1150",
        "nodo_a": nodo_a,
        "nodo_b": nodo_b,
        **extra,
    }


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible


# --- CID sequence ---------------------------------------------------------------------------


class TestSiguienteCid:
    def test_primera_conexion_del_cliente(self):
        cliente = ClienteCorpFactory(cid="257")
        assert conexion_siguiente_cid(cliente=cliente) == "257001"

    def test_sigue_la_secuencia(self):
        cliente = ClienteCorpFactory(cid="257")
        ConexionFactory(cliente=cliente, cid_enlace="257001")
        assert conexion_siguiente_cid(cliente=cliente) == "257002"
        ConexionFactory(cliente=cliente, cid_enlace="257002")
        assert conexion_siguiente_cid(cliente=cliente) == "257003"

    def test_continua_despues_del_mayor_aunque_haya_huecos(self):
        cliente = ClienteCorpFactory(cid="257")
        ConexionFactory(cliente=cliente, cid_enlace="257001")
        ConexionFactory(cliente=cliente, cid_enlace="257005")
        assert conexion_siguiente_cid(cliente=cliente) == "257006"

    def test_no_propone_un_cid_de_otro_cliente(self):
        cliente = ClienteCorpFactory(cid="257")
        # Imported from the old system: another client's connection on 257's sequence.
        ConexionFactory(cliente=ClienteCorpFactory(cid="25"), cid_enlace="257001")
        assert conexion_siguiente_cid(cliente=cliente) == "257002"

    def test_salta_un_valor_ocupado_por_otro_cliente(self):
        cliente = ClienteCorpFactory(cid="257")
        ConexionFactory(cliente=cliente, cid_enlace="257999")
        # After 999 the sequence reaches 2571000, which client 2571 already holds.
        ConexionFactory(cliente=ClienteCorpFactory(cid="2571"), cid_enlace="2571000")
        assert conexion_siguiente_cid(cliente=cliente) == "2571001"

    def test_despues_de_999_sigue_con_cuatro_digitos(self):
        cliente = ClienteCorpFactory(cid="257")
        ConexionFactory(cliente=cliente, cid_enlace="257999")
        assert conexion_siguiente_cid(cliente=cliente) == "2571000"

    def test_ignora_cids_que_no_son_de_la_secuencia(self):
        cliente = ClienteCorpFactory(cid="257")
        for cid in ["257-ABC", "257X01", "2570001", "25701", "257A", "L257001"]:
            ConexionFactory(cliente=cliente, cid_enlace=cid)
        assert conexion_siguiente_cid(cliente=cliente) == "257001"

    def test_no_mira_la_secuencia_de_un_cliente_con_prefijo_mas_corto(self):
        ConexionFactory(cliente=ClienteCorpFactory(cid="257"), cid_enlace="257001")
        cliente_25 = ClienteCorpFactory(cid="25")
        assert conexion_siguiente_cid(cliente=cliente_25) == "25001"

    def test_el_prefijo_lo_sirve_un_indice(self, plan_postgres):
        """Whatever the database collation, LIKE '257%' is a range of the pattern index."""
        ConexionFactory(cliente=ClienteCorpFactory(cid="257"), cid_enlace="257001")
        consulta = (
            Conexion.objects.filter(cid_enlace__startswith="257")
            .order_by()
            .values_list("cid_enlace", flat=True)
        )
        assert "conexion_cid_enlace_prefijo" in plan_postgres(consulta)


# --- conexion_crear --------------------------------------------------------------------------


class TestConexionCrear:
    def test_asigna_el_cid_si_viene_vacio(self):
        cliente = ClienteCorpFactory(cid="257")
        primera = conexion_crear(datos=datos_conexion(cliente, cid_enlace=""))
        segunda = conexion_crear(datos=datos_conexion(cliente))
        assert (primera.cid_enlace, segunda.cid_enlace) == ("257001", "257002")
        assert Conexion.objects.get(pk=primera.pk).cliente == cliente

    def test_acepta_el_cliente_por_pk(self):
        cliente = ClienteCorpFactory(cid="300")
        conexion = conexion_crear(datos=datos_conexion(cliente.pk))
        assert conexion.cid_enlace == "300001"
        assert conexion.cliente == cliente

    def test_acepta_el_servicio_por_pk(self):
        cliente = ClienteCorpFactory(cid="300")
        servicio = ServicioProveedorFactory()
        conexion = conexion_crear(datos=datos_conexion(cliente, servicio.pk))
        assert conexion.servicio == servicio

    def test_respeta_un_cid_explicito(self):
        cliente = ClienteCorpFactory(cid="257")
        conexion = conexion_crear(datos=datos_conexion(cliente, cid_enlace="LEGADO-42"))
        assert conexion.cid_enlace == "LEGADO-42"

    def test_rechaza_un_cid_explicito_repetido(self):
        existente = ConexionFactory(cid_enlace="257001")
        cliente = ClienteCorpFactory(cid="999")
        with pytest.raises(ValidationError) as excinfo:
            conexion_crear(datos=datos_conexion(cliente, cid_enlace="257001"))
        assert excinfo.value.message_dict == {
            "cid_enlace": ["Ya existe una conexión con este CID."]
        }
        assert list(Conexion.objects.all()) == [existente]

    def test_valida_el_modelo(self):
        cliente = ClienteCorpFactory(cid="257")
        with pytest.raises(ValidationError) as excinfo:
            conexion_crear(datos=datos_conexion(cliente, departamento="Lima", provincia="Cusco"))
        assert "provincia" in excinfo.value.message_dict
        assert not Conexion.objects.exists()

    def test_asigna_equipos(self):
        cliente = ClienteCorpFactory(cid="257")
        equipos = EquipoFactory.create_batch(2)
        conexion = conexion_crear(datos=datos_conexion(cliente), equipos=equipos)
        assert set(conexion.equipos.all()) == set(equipos)

    def test_rechaza_equipo_de_otra_conexion_y_no_crea_nada(self):
        otra = ConexionFactory()
        ocupado = EquipoFactory(conexion=otra, serie="SN-OCUPADO")
        libre = EquipoFactory()
        cliente = ClienteCorpFactory(cid="257")
        with pytest.raises(ValidationError) as excinfo:
            conexion_crear(datos=datos_conexion(cliente), equipos=[libre, ocupado])
        assert excinfo.value.message_dict == {
            "equipos": ["Equipos ya asignados a otra conexión: SN-OCUPADO."]
        }
        assert not Conexion.objects.filter(cliente=cliente).exists()
        libre.refresh_from_db()
        ocupado.refresh_from_db()
        assert libre.conexion is None
        assert ocupado.conexion == otra

    def test_equipos_asignar_reemplaza_los_anteriores(self):
        conexion = ConexionFactory()
        viejo, nuevo = EquipoFactory(conexion=conexion), EquipoFactory()
        equipos_asignar(conexion=conexion, equipos=[nuevo])
        assert list(conexion.equipos.all()) == [nuevo]
        viejo.refresh_from_db()
        assert viejo.conexion is None
        assert Equipo.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConexionCrearConcurrente:
    @pytest.mark.parametrize("hilos", [2, 10])
    def test_cids_distintos_y_consecutivos(self, solo_postgres, hilos):
        cliente = ClienteCorpFactory(cid="257")
        # One provider service per thread: only the client's row lock orders them.
        datos = [datos_conexion(cliente.pk, ServicioProveedorFactory()) for _ in range(hilos)]

        resultados, errores = en_paralelo(
            hilos, lambda i: conexion_crear(datos=datos[i]).cid_enlace
        )

        assert errores == []
        esperados = [f"257{n:03d}" for n in range(1, hilos + 1)]
        assert sorted(resultados) == esperados
        assert (
            sorted(Conexion.objects.filter(cliente=cliente).values_list("cid_enlace", flat=True))
            == esperados
        )


# --- conexion_ajustar_bw ---------------------------------------------------------------------


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(capacidad_contratada=1000)


@pytest.fixture
def conexion(servicio):
    return ConexionFactory(servicio=servicio, bw_contratado=100, bw_utilizado=20)


@pytest.fixture
def operador(django_user_model):
    return usuario_con_rol(django_user_model, "operador", GRUPO_OPERADOR)


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


def test_conexion_crear_exige_el_permiso_de_alta(usuario_lectura, usuario_operador):
    from django.core.exceptions import PermissionDenied

    cliente = ClienteCorpFactory(cid="410")
    with pytest.raises(PermissionDenied):
        conexion_crear(datos=datos_conexion(cliente), usuario=usuario_lectura)
    assert not Conexion.objects.filter(cliente=cliente).exists()
    conexion = conexion_crear(datos=datos_conexion(cliente), usuario=usuario_operador)
    assert conexion.cid_enlace == "410001"


def test_los_servicios_aplican_las_restricciones_del_modelo():
    """Nodes A and B distinct: a clear error from the service itself, whoever calls it."""
    from conexiones.services import conexion_actualizar

    cliente = ClienteCorpFactory(cid="412")
    nodo = NodoFactory()
    with pytest.raises(ValidationError) as error:
        conexion_crear(datos=datos_conexion(cliente, nodo_a=nodo, nodo_b=nodo))
    assert "distintos" in " ".join(error.value.messages)
    conexion = ConexionFactory()
    with pytest.raises(ValidationError):
        conexion_actualizar(conexion=conexion, datos={"nodo_b": conexion.nodo_a})
    conexion.refresh_from_db()
    assert conexion.nodo_a_id != conexion.nodo_b_id
