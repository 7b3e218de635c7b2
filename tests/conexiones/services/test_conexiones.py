"""conexiones.services.conexiones: creating and editing connections (concurrency on
PostgreSQL only: it needs real row locks)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import Conexion, Equipo
from conexiones.services import (
    conexion_crear,
    equipos_asignar,
)
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.services import datos_conexion, en_paralelo

pytestmark = pytest.mark.django_db


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


def test_conexion_crear_exige_el_permiso_de_alta(usuario_lectura, usuario_operador):

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
