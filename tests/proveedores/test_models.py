"""Proveedor uniqueness and the derived capacity of a provider service."""

import pytest
from django.db import IntegrityError, transaction

from conexiones.choices import EstadoConexion
from conexiones.factories import BW_POR_ESTADO, ConexionFactory, crear_servicio_en_cada_estado
from conexiones.selectors import servicios_con_capacidad
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from proveedores.models import Proveedor, ServicioProveedor
from tests.validacion import mensajes

pytestmark = pytest.mark.django_db

RUC_VALIDO = "20100017491"



def test_bw_por_estado_cubre_todos_los_estados():
    assert set(BW_POR_ESTADO) == set(EstadoConexion.values)


class TestCapacidadDerivada:
    def test_vendida_suma_todo_menos_baja(self):
        servicio = crear_servicio_en_cada_estado()
        anotado = servicios_con_capacidad().get(pk=servicio.pk)
        assert anotado.capacidad_contratada == 1000
        assert anotado.capacidad_vendida == 375
        assert anotado.capacidad_disponible == 625

    def test_servicio_sin_conexiones(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=1000)
        anotado = servicios_con_capacidad().get(pk=servicio.pk)
        assert (anotado.capacidad_vendida, anotado.capacidad_disponible) == (0, 1000)

    def test_servicio_solo_con_conexiones_en_baja(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=1000)
        ConexionFactory.create_batch(2, servicio=servicio, estado=EstadoConexion.BAJA)
        anotado = servicios_con_capacidad().get(pk=servicio.pk)
        assert (anotado.capacidad_vendida, anotado.capacidad_disponible) == (0, 1000)

    def test_sobresuscrito_da_disponible_negativo(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        ConexionFactory(servicio=servicio, bw_contratado=80)
        ConexionFactory(servicio=servicio, bw_contratado=70)
        anotado = servicios_con_capacidad().get(pk=servicio.pk)
        assert (anotado.capacidad_vendida, anotado.capacidad_disponible) == (150, -50)

    def test_cada_servicio_cuenta_solo_sus_conexiones(self):
        uno = crear_servicio_en_cada_estado()
        otro = ServicioProveedorFactory(capacidad_contratada=500)
        ConexionFactory(servicio=otro, bw_contratado=10)
        ConexionFactory(servicio=None, bw_contratado=999)  # no provider service: counts nowhere
        figuras = {
            s.pk: (s.capacidad_vendida, s.capacidad_disponible)
            for s in servicios_con_capacidad()
        }
        assert figuras == {uno.pk: (375, 625), otro.pk: (10, 490)}

    def test_capacidad_sigue_al_cambio_de_estado(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=1000)
        conexion = ConexionFactory(servicio=servicio, bw_contratado=300)
        conexion.estado = EstadoConexion.BAJA
        conexion.save()
        anotado = servicios_con_capacidad().get(pk=servicio.pk)
        assert anotado.capacidad_vendida == 0

    def test_se_puede_filtrar_y_ordenar_por_la_capacidad(self):
        lleno = ServicioProveedorFactory(capacidad_contratada=100)
        ConexionFactory(servicio=lleno, bw_contratado=100)
        libre = ServicioProveedorFactory(capacidad_contratada=100)
        qs = servicios_con_capacidad()
        assert list(qs.filter(capacidad_disponible__lte=0)) == [lleno]
        assert list(qs.order_by("-capacidad_disponible")) == [libre, lleno]

    def test_capacidad_contratada_no_negativa(self):
        servicio = ServicioProveedorFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ServicioProveedor.objects.filter(pk=servicio.pk).update(capacidad_contratada=-1)

    def test_codigo_unico_por_proveedor(self):
        servicio = ServicioProveedorFactory(codigo="CIR-1")
        with pytest.raises(IntegrityError), transaction.atomic():
            ServicioProveedorFactory(proveedor=servicio.proveedor, codigo="CIR-1")
        # Another provider may use the same circuit code.
        ServicioProveedorFactory(codigo="CIR-1")


class TestProveedor:

    def test_varios_proveedores_sin_ruc(self):
        ProveedorFactory(ruc="")
        ProveedorFactory(ruc="")
        tercero = ProveedorFactory.build(ruc="")
        assert mensajes(tercero) == []
        tercero.save()
        assert Proveedor.objects.filter(ruc="").count() == 3

    def test_ruc_invalido_se_rechaza(self):
        assert mensajes(ProveedorFactory.build(ruc="20100017492")) == [
            "El RUC 20100017492 no es válido: su dígito verificador no corresponde."
        ]

    def test_proveedor_con_servicios_no_se_borra(self):
        from django.db.models import ProtectedError

        servicio = ServicioProveedorFactory()
        with pytest.raises(ProtectedError):
            servicio.proveedor.delete()
