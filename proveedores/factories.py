import factory

from isp_portal.datos_demo import ruc_valido

from .choices import EstadoServicio, ModalidadServicio
from .models import Proveedor, ServicioProveedor


class ProveedorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proveedor

    nombre = factory.Sequence(lambda n: f"Carrier {n}")
    ruc = factory.Sequence(lambda n: ruc_valido(500000 + n))
    contacto = factory.Faker("name", locale="es_ES")
    telefono = factory.Sequence(lambda n: f"01 {6000000 + n}")
    email = factory.Sequence(lambda n: f"noc{n}@carrier.pe")


class ServicioProveedorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicioProveedor

    proveedor = factory.SubFactory(ProveedorFactory)
    codigo = factory.Sequence(lambda n: f"CIR-{n:06d}")
    modalidad = ModalidadServicio.FIBRA_OPTICA
    tipo = "Internet dedicado"
    capacidad_contratada = 1000
    estado = EstadoServicio.ACTIVO
    departamento = "Lima"
    provincia = "Lima"
    distrito = "San Isidro"
    locacion = "Lima - San Isidro / Data Center"
