import pytest

from clientes.factories import ClienteCorpFactory


@pytest.fixture
def clientes():
    """Two clients to search: {"andina": active, "costa": inactive}."""
    return {
        "andina": ClienteCorpFactory(
            razon_social="Minera Andina S.A.", ruc="20100017491", cid="7001", cod_erp="ERP-AND"
        ),
        "costa": ClienteCorpFactory(
            razon_social="Pesquera Costa S.A.C.", ruc="20131312955", cid="7002",
            cod_erp="ERP-COS", is_active=False,
        ),
    }
