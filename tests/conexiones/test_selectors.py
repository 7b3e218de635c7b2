"""Reads of connections behind the home page: one query each, whatever the rows."""

import pytest

from conexiones import selectors
from conexiones.choices import EstadoConexion
from conexiones.factories import AjusteBWFactory, ConexionFactory

pytestmark = pytest.mark.django_db


def test_resumen_cuenta_por_estado_y_suma_lo_vendido_en_una_consulta(django_assert_num_queries):
    for estado, bw in [
        (EstadoConexion.ACTIVO, 100),
        (EstadoConexion.ACTIVO, 50),
        (EstadoConexion.DOWN, 30),
        (EstadoConexion.BAJA, 1000),
    ]:
        ConexionFactory(estado=estado, bw_contratado=bw)
    with django_assert_num_queries(1):
        resumen = selectors.conexiones_resumen()
    assert resumen["bw_vendido"] == 180  # BAJA frees its capacity
    totales = {fila["estado"]: fila["total"] for fila in resumen["por_estado"]}
    assert totales == {"PENDIENTE": 0, "ACTIVO": 2, "SUSPENDIDO": 0, "DOWN": 1, "BAJA": 1}
    assert [fila["etiqueta"] for fila in resumen["por_estado"]] == EstadoConexion.labels


def test_resumen_sin_conexiones():
    resumen = selectors.conexiones_resumen()
    assert resumen["bw_vendido"] == 0
    assert {fila["total"] for fila in resumen["por_estado"]} == {0}


def test_ajustes_recientes_los_ultimos_con_su_conexion_en_una_consulta(
    django_assert_num_queries,
):
    conexiones = ConexionFactory.create_batch(3)
    for i in range(12):
        AjusteBWFactory(conexion=conexiones[i % 3], mbps=i + 1, bw_anterior=100)
    with django_assert_num_queries(1):
        ajustes = list(selectors.ajustes_recientes(limite=5))
        clientes = [a.conexion.cliente.razon_social for a in ajustes]
    assert [a.mbps for a in ajustes] == [12, 11, 10, 9, 8]
    assert clientes == [conexiones[i % 3].cliente.razon_social for i in (11, 10, 9, 8, 7)]
