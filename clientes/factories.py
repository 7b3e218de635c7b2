import factory

from isp_portal.datos_demo import ruc_valido

from .models import ClienteCorp, Sede


class ClienteCorpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClienteCorp

    # Far from the short CIDs tests write by hand ("257", "811").
    cid = factory.Sequence(lambda n: str(900_000 + n))
    cod_erp = factory.Sequence(lambda n: f"ERP-{10000 + n}")
    razon_social = factory.Faker("company", locale="es_ES")
    ruc = factory.Sequence(lambda n: ruc_valido(100000 + n))
    responsable = factory.Faker("name", locale="es_ES")
    is_active = True


class SedeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sede

    cliente = factory.SubFactory(ClienteCorpFactory)
    oficina = factory.Sequence(lambda n: f"Oficina {n}")
    locacion = "Lima - San Isidro"
    direccion = factory.Faker("street_address", locale="es_ES")
    departamento = "Lima"
    provincia = "Lima"
    distrito = "San Isidro"
