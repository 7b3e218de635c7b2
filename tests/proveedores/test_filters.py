"""Filters of the provider and provider-service lists."""

import pytest

from conexiones.factories import ConexionFactory
from conexiones.selectors import servicio_list
from isp_portal import busqueda
from proveedores.choices import EstadoServicio, ModalidadServicio
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from proveedores.filters import ProveedorFilterSet, ServicioProveedorFilterSet
from proveedores.models import Proveedor

pytestmark = pytest.mark.django_db


def proveedores(**params):
    filtro = ProveedorFilterSet(params, queryset=Proveedor.objects.all())
    assert filtro.is_valid(), filtro.errors
    return set(filtro.qs)


def servicio_filtrado(**params):
    filtro = ServicioProveedorFilterSet(params, queryset=servicio_list())
    assert filtro.is_valid(), filtro.errors
    return filtro.qs


def servicios(**params):
    return set(servicio_filtrado(**params))


@pytest.fixture
def carriers():
    return {
        "andina": ProveedorFactory(
            nombre="Fibra Andina", ruc="20100017491", contacto="Rosa Quispe"
        ),
        "sur": ProveedorFactory(nombre="Enlaces del Sur", ruc="20131312955", contacto="Luis"),
        "baja": ProveedorFactory(nombre="Satélite Norte", is_active=False, contacto="Ana"),
    }


def test_busqueda_por_nombre_ruc_y_contacto(carriers):
    assert proveedores(busqueda="andina") == {carriers["andina"]}
    assert proveedores(busqueda="20131312955") == {carriers["sur"]}
    assert proveedores(busqueda="2013131") == {carriers["sur"]}
    assert proveedores(busqueda="quispe") == {carriers["andina"]}
    assert proveedores(busqueda="  ") == set(carriers.values())


def test_filtro_activo(carriers):
    assert proveedores(activo="1") == {carriers["andina"], carriers["sur"]}
    assert proveedores(activo="0") == {carriers["baja"]}


def test_filtro_activo_invalido_no_rompe():
    filtro = ProveedorFilterSet({"activo": "x"}, queryset=Proveedor.objects.all())
    assert not filtro.is_valid()


def test_filtros_de_servicios():
    andina = ProveedorFactory()
    lima = ServicioProveedorFactory(
        proveedor=andina, modalidad=ModalidadServicio.GPON, departamento="Lima", codigo="L-1"
    )
    cusco = ServicioProveedorFactory(
        modalidad=ModalidadServicio.RADIOENLACE,
        departamento="Cusco",
        provincia="Cusco",
        distrito="Cusco",
        estado=EstadoServicio.SUSPENDIDO,
        codigo="C-1",
        locacion="Cusco - Centro",
    )
    assert servicios(proveedor=andina.pk) == {lima}
    assert servicios(modalidad=ModalidadServicio.RADIOENLACE) == {cusco}
    assert servicios(estado=EstadoServicio.SUSPENDIDO) == {cusco}
    assert servicios(departamento="Cusco") == {cusco}
    # Punctuation separates words: "c-1" is "c" and "1", the code as a phrase first.
    assert servicios(busqueda="c-1") == {cusco, lima}
    assert list(busqueda.ordenar(servicio_filtrado(busqueda="c-1"), ["pk"])) == [cusco, lima]
    assert servicios(busqueda="centro") == {cusco}
    assert servicios(busqueda=andina.nombre) == {lima}


def test_filtro_de_servicios_conserva_las_cifras_de_capacidad():
    servicio = ServicioProveedorFactory(capacidad_contratada=500, departamento="Lima")
    ConexionFactory(servicio=servicio, bw_contratado=200)
    (fila,) = servicios(departamento="Lima")
    assert (fila.capacidad_vendida, fila.capacidad_disponible) == (200, 300)


def test_lista_filtrada_por_url(lectura_client):
    ServicioProveedorFactory(codigo="GP-1", modalidad=ModalidadServicio.GPON)
    ServicioProveedorFactory(codigo="FO-1", modalidad=ModalidadServicio.FIBRA_OPTICA)
    response = lectura_client.get("/proveedores/servicios/?modalidad=GPON")
    assert [s.codigo for s in response.context["object_list"]] == ["GP-1"]
    response = lectura_client.get("/proveedores/?activo=0")
    assert list(response.context["object_list"]) == []
