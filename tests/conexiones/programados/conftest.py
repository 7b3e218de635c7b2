import pytest

from conexiones.factories import ConexionFactory
from proveedores.factories import ServicioProveedorFactory

from . import JUEVES


@pytest.fixture
def reloj(time_machine):
    """The clock stopped on Thursday 18:00 (Lima); `reloj(momento)` moves it."""
    time_machine.move_to(JUEVES, tick=False)

    def mover(momento):
        time_machine.move_to(momento, tick=False)

    return mover


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1000", capacidad_contratada=1000)


@pytest.fixture
def conexion(servicio):
    return ConexionFactory(servicio=servicio, bw_contratado=300, cid_enlace="257001")
