import factory

from clientes.factories import ClienteCorpFactory
from proveedores.factories import ServicioProveedorFactory

from .choices import EstadoConexion, ModalidadEnlace, TipoEquipo, TipoNodo, TipoServicio
from .models import Conexion, Equipo, Nodo


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
