"""conexiones.services.capacidad: load added to a provider service by other writes."""

import pytest
from django.core.exceptions import ValidationError

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion
from conexiones.models import Conexion
from conexiones.services import (
    Carga,
    ErroresDeAjuste,
    conexion_crear,
    servicios_verificar_carga,
)
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.services import datos_conexion, disponible

pytestmark = pytest.mark.django_db


class TestCarga:
    def test_la_carga_que_sobresuscribe_se_rechaza_por_posicion(self):
        servicio = ServicioProveedorFactory(codigo="CIR-2", capacidad_contratada=100)
        with pytest.raises(ErroresDeAjuste) as info:
            servicios_verificar_carga(
                cargas=[Carga(servicio.pk, 0), Carga(servicio.pk, 60), Carga(servicio.pk, 60)]
            )
        assert list(info.value.errores) == [2]  # positions of the given list
        servicios_verificar_carga(
            cargas=[Carga(servicio.pk, 60), Carga(servicio.pk, 60)],
            confirmar_sobresuscripcion=True,
        )

    def test_crear_una_conexion_que_sobresuscribe_pide_confirmacion(self):
        servicio = ServicioProveedorFactory(codigo="CIR-3", capacidad_contratada=150)
        cliente = ClienteCorpFactory(cid="900")
        datos = datos_conexion(cliente, servicio, bw_contratado=200)
        with pytest.raises(ValidationError) as info:
            conexion_crear(datos=datos)
        assert "sobresuscrito en 50 Mbps" in info.value.messages[0]
        assert not Conexion.objects.filter(cliente=cliente).exists()
        conexion_crear(datos=datos, confirmar_sobresuscripcion=True)
        assert disponible(servicio) == -50

    def test_crear_en_baja_no_carga_el_servicio(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=10)
        cliente = ClienteCorpFactory(cid="901")
        conexion_crear(
            datos=datos_conexion(cliente, servicio, bw_contratado=200, estado=EstadoConexion.BAJA)
        )
        assert disponible(servicio) == 10
