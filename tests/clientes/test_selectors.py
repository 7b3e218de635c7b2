"""clientes_buscar: the one client search, of the client list and of the connection form's
client box (al_escribir: numbers still being typed match CIDs and RUCs by prefix). The
clients are tests/clientes/conftest.py's."""

import pytest

from clientes.selectors import clientes_buscar

pytestmark = pytest.mark.django_db


def encontrados(clientes, texto, **kwargs) -> set[str]:
    pks = set(clientes_buscar(texto, **kwargs).values_list("pk", flat=True))
    return {clave for clave, cliente in clientes.items() if cliente.pk in pks}


@pytest.mark.parametrize("al_escribir", [False, True])
@pytest.mark.parametrize(
    ("texto", "claves"),
    [
        ("andina", {"andina"}),
        ("erp-and", {"andina"}),
        ("20100017491", {"andina"}),
        ("201 000 174 91", {"andina"}),
        ("2010", {"andina"}),
        ("7001", {"andina"}),
        ("7002", {"costa"}),
    ],
)
def test_lo_mismo_en_la_lista_y_en_la_caja(clientes, texto, claves, al_escribir):
    assert encontrados(clientes, texto, al_escribir=al_escribir) == claves


@pytest.mark.parametrize("texto", ["70", "700", "201"])
def test_la_caja_busca_los_numeros_a_medio_escribir(clientes, texto):
    assert encontrados(clientes, texto) == set()  # the list: from 4 digits, and whole CIDs
    assert encontrados(clientes, texto, al_escribir=True) == {"andina", "costa"}
