from datetime import timedelta

import factory
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from proveedores.factories import ServicioProveedorFactory

from .choices import (
    EstadoConexion,
    ModalidadEnlace,
    ModoAjuste,
    TipoEquipo,
    TipoNodo,
    TipoServicio,
)
from .models import AjusteProgramado, Conexion, Equipo, Nodo


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
