import pytest
from django.db import connection

from conexiones.factories import ConexionFactory
from isp_portal.roles import GRUPO_OPERADOR
from proveedores.factories import ServicioProveedorFactory
from tests.conftest import usuario_con_rol


@pytest.fixture
def solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=1000)


@pytest.fixture
def conexion(servicio):
    return ConexionFactory(servicio=servicio, bw_contratado=100, bw_utilizado=20)


@pytest.fixture
def operador(django_user_model):
    return usuario_con_rol(django_user_model, "operador", GRUPO_OPERADOR)
