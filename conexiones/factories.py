from datetime import timedelta

import factory
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from proveedores.factories import ServicioProveedorFactory

from .choices import EstadoConexion, ModalidadEnlace, ModoAjuste, TipoEquipo, TipoNodo, TipoServicio
from .models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo


class NodoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nodo

    nombre = factory.Sequence(lambda n: f"NODO-{n:04d}")
    tipo = TipoNodo.POP
    departamento = "Lima"
    provincia = "Lima"
    distrito = "Miraflores"
    direccion = factory.Faker("street_address", locale="es_ES")


class ConexionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conexion

    cliente = factory.SubFactory(ClienteCorpFactory)
    servicio = factory.SubFactory(ServicioProveedorFactory)
    cid_enlace = factory.LazyAttributeSequence(lambda o, n: f"{o.cliente.cid}{n % 1000:03d}")
    tipo_enlace = TipoServicio.INTERNET
    modalidad_enlace = ModalidadEnlace.P2P
    estado = EstadoConexion.ACTIVO
    bw_contratado = 100
    bw_utilizado = 0
    departamento = "Lima"
    provincia = "Lima"
    distrito = "Miraflores"
    direccion = "Av. Larco 1150"
    locacion = "Lima - Miraflores / Oficina"
    nodo_a = factory.SubFactory(NodoFactory)
    nodo_b = factory.SubFactory(NodoFactory)


class EquipoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipo

    tipo = TipoEquipo.ROUTER
    marca = "MikroTik"
    modelo = "CCR2004"
    serie = factory.Sequence(lambda n: f"SN{n:08d}")
    conexion = None


class AjusteProgramadoFactory(factory.django.DjangoModelFactory):
    """A PENDIENTE change stored as is (tests of pages and of the scheduler); scheduling
    with its checks is conexiones.services.ajuste_programado_crear."""

    class Meta:
        model = AjusteProgramado

    conexion = factory.SubFactory(ConexionFactory)
    modo = ModoAjuste.AUMENTAR
    mbps = 50
    motivo = factory.Sequence(lambda n: f"Evento {n}")
    inicio = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    fin = None


class AjusteBWFactory(factory.django.DjangoModelFactory):
    """A ledger row as it stands, for reading tests; real adjustments go through the service."""

    class Meta:
        model = AjusteBW

    conexion = factory.SubFactory(ConexionFactory)
    servicio = factory.LazyAttribute(lambda o: o.conexion.servicio)
    modo = ModoAjuste.AUMENTAR
    mbps = 10
    bw_anterior = 90
    bw_resultante = factory.LazyAttribute(lambda o: o.bw_anterior + o.mbps)


# One connection in every estado: vendida 100 + 200 + 50 + 25 = 375 Mbps; the 400 in BAJA
# do not count (only BAJA frees provider capacity).
BW_POR_ESTADO = {
    EstadoConexion.PENDIENTE: 100,
    EstadoConexion.ACTIVO: 200,
    EstadoConexion.SUSPENDIDO: 50,
    EstadoConexion.DOWN: 25,
    EstadoConexion.BAJA: 400,
}


def crear_servicio_en_cada_estado(**kwargs):
    """A provider service of 1000 Mbps with one connection in every estado (BW_POR_ESTADO)."""
    servicio = ServicioProveedorFactory(**{"capacidad_contratada": 1000, **kwargs})
    for estado, bw in BW_POR_ESTADO.items():
        ConexionFactory(servicio=servicio, estado=estado, bw_contratado=bw)
    return servicio
