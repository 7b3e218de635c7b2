"""conexiones.selectors: provider services with their capacity figures."""

import pytest

from conexiones import selectors
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def test_servicio_list_con_conexiones_en_cada_estado():
    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    for estado, bw in [
        (EstadoConexion.PENDIENTE, 100),
        (EstadoConexion.ACTIVO, 200),
        (EstadoConexion.SUSPENDIDO, 50),
        (EstadoConexion.DOWN, 25),
        (EstadoConexion.BAJA, 400),
    ]:
        ConexionFactory(servicio=servicio, estado=estado, bw_contratado=bw)
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert fila.capacidad_vendida == 375
    assert fila.capacidad_disponible == 625
    assert fila.porcentaje_uso == pytest.approx(37.5)


def test_servicio_list_sin_conexiones():
    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert (fila.capacidad_vendida, fila.capacidad_disponible) == (0, 1000)
    assert fila.porcentaje_uso == pytest.approx(0.0)


def test_servicio_list_sobresuscrito():
    servicio = ServicioProveedorFactory(capacidad_contratada=200)
    ConexionFactory(servicio=servicio, bw_contratado=300)
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert fila.capacidad_disponible == -100
    assert fila.porcentaje_uso == pytest.approx(150.0)


def test_servicio_list_capacidad_cero_no_divide_por_cero():
    servicio = ServicioProveedorFactory(capacidad_contratada=0)
    ConexionFactory(servicio=servicio, bw_contratado=5)
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert fila.capacidad_disponible == -5
    assert fila.porcentaje_uso > 100


def test_servicio_list_trae_el_proveedor_sin_consultas_extra(django_assert_num_queries):
    ServicioProveedorFactory.create_batch(5)
    with django_assert_num_queries(1):
        nombres = [s.proveedor.nombre for s in selectors.servicio_list()]
    assert len(nombres) == 5


def test_servicios_mas_cargados_ordena_por_uso():
    vacio = ServicioProveedorFactory(capacidad_contratada=1000, codigo="A")
    medio = ServicioProveedorFactory(capacidad_contratada=1000, codigo="B")
    ConexionFactory(servicio=medio, bw_contratado=500)
    lleno = ServicioProveedorFactory(capacidad_contratada=100, codigo="C")
    ConexionFactory(servicio=lleno, bw_contratado=120)
    assert selectors.servicios_mas_cargados(limite=10) == [lleno, medio, vacio]
    assert selectors.servicios_mas_cargados(limite=2) == [lleno, medio]
