"""Conexion, Nodo and Equipo: constraints that hold in the database and derived columns."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion, Equipo
from proveedores.factories import ServicioProveedorFactory
from tests.validacion import mensajes

pytestmark = pytest.mark.django_db


class TestUnicidad:
    def test_cid_enlace_unico(self):
        ConexionFactory(cid_enlace="257001")
        with pytest.raises(IntegrityError), transaction.atomic():
            ConexionFactory(cid_enlace="257001")
        assert Conexion.objects.filter(cid_enlace="257001").count() == 1

    def test_cid_enlace_repetido_full_clean_da_mensaje_en_espanol(self):
        existente = ConexionFactory(cid_enlace="257001")
        duplicada = ConexionFactory.build(
            cid_enlace="257001",
            cliente=existente.cliente,
            servicio=existente.servicio,
            nodo_a=NodoFactory(),
            nodo_b=NodoFactory(),
        )
        assert "Ya existe una conexión con este CID." in mensajes(duplicada)






class TestAnchoDeBanda:
    @pytest.mark.parametrize("campo", ["bw_contratado", "bw_utilizado"])
    def test_bw_no_negativo_en_la_base(self, campo):
        conexion = ConexionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Conexion.objects.filter(pk=conexion.pk).update(**{campo: -1})
        conexion.refresh_from_db()
        assert getattr(conexion, campo) >= 0

    def test_bw_disponible_se_calcula_en_la_base(self):
        conexion = ConexionFactory(bw_contratado=100, bw_utilizado=30)
        conexion.refresh_from_db()
        assert conexion.bw_disponible == 70

    def test_bw_disponible_sigue_a_un_update_por_queryset(self):
        conexion = ConexionFactory(bw_contratado=100, bw_utilizado=30)
        Conexion.objects.filter(pk=conexion.pk).update(bw_utilizado=45)
        conexion.refresh_from_db()
        assert conexion.bw_disponible == 55
        Conexion.objects.filter(pk=conexion.pk).update(bw_contratado=200)
        conexion.refresh_from_db()
        assert conexion.bw_disponible == 155

    def test_bw_disponible_sigue_a_save(self):
        conexion = ConexionFactory(bw_contratado=100, bw_utilizado=30)
        conexion.bw_utilizado = 90
        conexion.save()
        conexion.refresh_from_db()
        assert conexion.bw_disponible == 10

    def test_bw_disponible_se_puede_filtrar(self):
        holgada = ConexionFactory(bw_contratado=100, bw_utilizado=10)
        ConexionFactory(bw_contratado=100, bw_utilizado=95)
        assert list(Conexion.objects.filter(bw_disponible__gte=50)) == [holgada]

    def test_bw_negativo_falla_full_clean(self):
        conexion = ConexionFactory.build(
            cliente=ConexionFactory().cliente, servicio=None, nodo_a=None, nodo_b=None
        )
        conexion.bw_contratado = -5
        with pytest.raises(ValidationError) as excinfo:
            conexion.full_clean()
        assert "bw_contratado" in excinfo.value.message_dict


class TestNodos:
    def test_nodo_a_y_nodo_b_distintos_en_la_base(self):
        nodo = NodoFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ConexionFactory(nodo_a=nodo, nodo_b=nodo)

    def test_nodos_iguales_full_clean_da_mensaje_en_espanol(self):
        nodo = NodoFactory()
        conexion = ConexionFactory.build(
            cliente=ConexionFactory().cliente,
            servicio=ServicioProveedorFactory(),
            nodo_a=nodo,
            nodo_b=nodo,
        )
        assert "El nodo A y el nodo B deben ser distintos." in mensajes(conexion)

    def test_un_solo_nodo_o_ninguno_es_valido(self):
        nodo = NodoFactory()
        ConexionFactory(nodo_a=nodo, nodo_b=None)
        ConexionFactory(nodo_a=None, nodo_b=nodo)
        ConexionFactory(nodo_a=None, nodo_b=None)
        assert Conexion.objects.count() == 3

    def test_nodo_con_conexiones_no_se_borra(self):
        from django.db.models import ProtectedError

        conexion = ConexionFactory()
        with pytest.raises(ProtectedError):
            conexion.nodo_a.delete()


class TestEquipo:
    def test_str(self):
        equipo = EquipoFactory.build(
            tipo="Router", marca="MikroTik", modelo="CCR2004", serie="SN123"
        )
        assert str(equipo) == "Router | MikroTik | CCR2004 | SN: SN123"

    def test_borrar_la_conexion_libera_el_equipo(self):
        conexion = ConexionFactory()
        equipo = EquipoFactory(conexion=conexion)
        assert list(conexion.equipos.all()) == [equipo]
        conexion.delete()
        equipo.refresh_from_db()
        assert equipo.conexion is None
        assert Equipo.objects.count() == 1


class TestAjusteBW:
    def test_mbps_positivo_en_la_base(self):
        conexion = ConexionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            AjusteBW.objects.create(
                conexion=conexion, modo="AUMENTAR", mbps=0, bw_anterior=100, bw_resultante=100
            )

    def test_conexion_con_ajustes_no_se_borra(self):
        from django.db.models import ProtectedError

        conexion = ConexionFactory()
        AjusteBW.objects.create(
            conexion=conexion, modo="AUMENTAR", mbps=10, bw_anterior=100, bw_resultante=110
        )
        with pytest.raises(ProtectedError):
            conexion.delete()

    def test_cliente_con_conexiones_no_se_borra(self):
        from django.db.models import ProtectedError

        conexion = ConexionFactory()
        with pytest.raises(ProtectedError):
            conexion.cliente.delete()
