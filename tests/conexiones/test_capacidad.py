"""conexiones.selectors: provider services with their capacity figures."""

import pytest

from conexiones import selectors
from conexiones.factories import ConexionFactory, crear_servicio_en_cada_estado
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def test_servicio_list_con_conexiones_en_cada_estado():
    servicio = crear_servicio_en_cada_estado()
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert fila.capacidad_vendida == 375
    assert fila.capacidad_disponible == 625
    assert fila.porcentaje_uso == pytest.approx(37.5)


@pytest.mark.parametrize(
    ("contratada", "vendida", "disponible", "uso"),
    [
        (1000, None, 1000, 0.0),  # no connections
        (200, 300, -100, 150.0),  # oversubscribed
        (0, 5, -5, 500.0),  # nothing contracted: no division by zero
    ],
)
def test_servicio_list_cifras(contratada, vendida, disponible, uso):
    servicio = ServicioProveedorFactory(capacidad_contratada=contratada)
    if vendida:
        ConexionFactory(servicio=servicio, bw_contratado=vendida)
    fila = selectors.servicio_list().get(pk=servicio.pk)
    assert (fila.capacidad_vendida, fila.capacidad_disponible) == (vendida or 0, disponible)
    assert fila.porcentaje_uso == pytest.approx(uso)


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
