"""Unique fields: the database refuses a duplicate, and full_clean() names it in Spanish."""

import pytest
from django.db import IntegrityError, transaction

from clientes.factories import ClienteCorpFactory
from conexiones.factories import EquipoFactory, NodoFactory
from proveedores.factories import ProveedorFactory
from tests.validacion import errores, mensajes

pytestmark = pytest.mark.django_db

RUC_VALIDO = "20100017491"  # Telefónica del Perú S.A.A.


@pytest.mark.parametrize(
    ("factory", "campo", "valor", "mensaje"),
    [
        (ClienteCorpFactory, "ruc", RUC_VALIDO, "Ya existe un cliente con este RUC."),
        (ClienteCorpFactory, "cid", "257", "Ya existe un cliente con este CID."),
        (ProveedorFactory, "nombre", "Telefónica", "Ya existe un proveedor con este nombre."),
        (ProveedorFactory, "ruc", RUC_VALIDO, "Ya existe un proveedor con este RUC."),
        (NodoFactory, "nombre", "POP-MIRAFLORES", "Ya existe un nodo con este nombre."),
        (EquipoFactory, "serie", "SN-1", "Ya existe un equipo con este número de serie."),
    ],
)
def test_campo_unico(factory, campo, valor, mensaje):
    existente = factory(**{campo: valor})
    assert errores(existente) == {}  # its own value does not count as a duplicate
    assert mensaje in mensajes(factory.build(**{campo: valor}))
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**{campo: valor})
    assert factory._meta.model.objects.filter(**{campo: valor}).count() == 1
