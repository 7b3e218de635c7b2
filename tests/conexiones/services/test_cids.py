"""conexiones.services.cids: the client's sequence of connection CIDs."""

import pytest

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory
from conexiones.models import Conexion
from conexiones.services import (
    conexion_siguiente_cid,
    conexiones_asignar_cids,
)

pytestmark = pytest.mark.django_db


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


def test_asignar_cids_sigue_la_secuencia_de_cada_cliente():
    uno, otro = ClienteCorpFactory(cid="257"), ClienteCorpFactory(cid="300")
    ConexionFactory(cliente=uno, cid_enlace="257001")
    nuevas = [
        Conexion(cliente=uno),
        Conexion(cliente=otro),
        Conexion(cliente=uno, cid_enlace="X-1"),
        Conexion(cliente=uno),
    ]
    conexiones_asignar_cids(nuevas)
    assert [c.cid_enlace for c in nuevas] == ["257002", "300001", "X-1", "257003"]
