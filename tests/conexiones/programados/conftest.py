import pytest

from conexiones.factories import ConexionFactory
from proveedores.factories import ServicioProveedorFactory

from . import JUEVES


@pytest.fixture(autouse=True)
def sesion_de_semanas(settings):
    """These tests move the clock days ahead of the login: the session must outlive the
    working day of inactivity that ends it on the site (isp_portal.sesiones)."""
    settings.SESSION_COOKIE_AGE = 60 * 24 * 3600


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
