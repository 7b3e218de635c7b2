"""The home dashboard: BW totals with their bar, quick search, loaded services, adjustments."""

import pytest

from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import AjusteBWFactory, ConexionFactory
from proveedores.choices import EstadoServicio
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def texto(response) -> str:
    return response.content.decode().replace("\u202f", " ")


def test_bw_vendido_contratado_y_porcentaje(lectura_client):
    a = ServicioProveedorFactory(capacidad_contratada=1000)
    b = ServicioProveedorFactory(capacidad_contratada=3000)
    # A provider service in BAJA no longer counts as contracted capacity.
    ServicioProveedorFactory(capacidad_contratada=9999, estado=EstadoServicio.BAJA)
    for estado, bw in [
        (EstadoConexion.PENDIENTE, 100),
        (EstadoConexion.ACTIVO, 400),
        (EstadoConexion.SUSPENDIDO, 200),
        (EstadoConexion.DOWN, 300),
        (EstadoConexion.BAJA, 5000),
    ]:
        ConexionFactory(servicio=a if bw < 300 else b, estado=estado, bw_contratado=bw)
    response = lectura_client.get("/")
    contexto = response.context
    assert contexto["bw_vendido"] == 1000
    assert contexto["bw_contratado"] == 4000
    assert contexto["bw_disponible"] == 3000
    assert contexto["bw_porcentaje"] == pytest.approx(25.0)
    assert contexto["total_conexiones"] == 5
    html = texto(response)
    assert 'id="bw-total">1 000 / 4 000 Mbps' in html
    assert "25,0 % usado" in html
    assert "3 000 Mbps disponibles" in html
    assert "uso-25" in html


def test_bw_sobrevendido_en_rojo(lectura_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=100)
    ConexionFactory(servicio=servicio, bw_contratado=150)
    response = lectura_client.get("/")
    assert response.context["bw_disponible"] == -50
    assert "bg-danger" in texto(response)


def test_sin_capacidad_contratada_no_divide_por_cero(lectura_client):
    response = lectura_client.get("/")
    assert response.status_code == 200
    assert response.context["bw_porcentaje"] == 0


def test_busqueda_rapida_lleva_a_conexiones_y_clientes(lectura_client):
    html = texto(lectura_client.get("/"))
    assert 'action="/conexiones/"' in html
    assert 'name="busqueda"' in html
    assert 'formaction="/clientes_corporativo/"' in html


def test_la_busqueda_rapida_encuentra_por_cid_y_por_cliente(lectura_client):
    conexion = ConexionFactory(cid_enlace="424242", cliente__razon_social="Minera Andina S.A.")
    ConexionFactory()
    response = lectura_client.get("/conexiones/?busqueda=424242")
    assert list(response.context["object_list"]) == [conexion]
    response = lectura_client.get("/clientes_corporativo/?busqueda=andina")
    assert list(response.context["object_list"]) == [conexion.cliente]


def test_servicios_cargados_con_barras_y_enlaces(lectura_client):
    lleno = ServicioProveedorFactory(capacidad_contratada=100, codigo="CIR-LLENO")
    ConexionFactory(servicio=lleno, bw_contratado=120)
    medio = ServicioProveedorFactory(capacidad_contratada=1000, codigo="CIR-MEDIO")
    ConexionFactory(servicio=medio, bw_contratado=500)
    ServicioProveedorFactory.create_batch(10, capacidad_contratada=1000)
    response = lectura_client.get("/")
    servicios = response.context["servicios_cargados"]
    assert len(servicios) == 10
    assert servicios[:2] == [lleno, medio]
    html = texto(response)
    assert f'href="{lleno.get_absolute_url()}"' in html
    assert "120,0 %" in html
    assert "50,0 %" in html
    assert "\u221220 Mbps" in html
    assert 'href="/proveedores/servicios/?orden=-porcentaje_uso"' in html


def test_ultimos_ajustes_en_orden_con_cliente(lectura_client):
    conexion = ConexionFactory(cliente__razon_social="Banco del Sur S.A.")
    for i in range(12):
        AjusteBWFactory(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR if i % 2 else ModoAjuste.DISMINUIR,
            mbps=i + 1,
            bw_anterior=100,
        )
    response = lectura_client.get("/")
    ajustes = list(response.context["ajustes"])
    assert len(ajustes) == 10
    assert [a.mbps for a in ajustes] == list(range(12, 2, -1))
    assert "Banco del Sur S.A." in texto(response)


def test_consultas_constantes(lectura_client, django_assert_max_num_queries):
    for servicio in ServicioProveedorFactory.create_batch(15):
        AjusteBWFactory.create_batch(2, conexion__servicio=servicio)
    # 9: the coming maintenance windows' panel (mantenimientos.paneles) is one more.
    with django_assert_max_num_queries(9):
        assert lectura_client.get("/").status_code == 200
