"""Provider and provider-service pages."""

import html

import pytest

from conexiones.choices import EstadoConexion
from conexiones.factories import AjusteBWFactory, ConexionFactory, crear_servicio_en_cada_estado
from proveedores.choices import EstadoServicio, ModalidadServicio
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from proveedores.models import Proveedor, ServicioProveedor
from tests.view_base import EntityViewTests

pytestmark = pytest.mark.django_db


class TestProveedorViews(EntityViewTests):
    factory = ProveedorFactory
    list_url = "/proveedores/"
    cambio = ("contacto", "Mesa de ayuda 24x7")

    def form_data(self):
        return {"nombre": "Fibra Andina S.A.", "ruc": "20100017491", "contacto": "NOC"}


class TestServicioProveedorViews(EntityViewTests):
    factory = ServicioProveedorFactory
    list_url = "/proveedores/servicios/"
    cambio = ("capacidad_contratada", 5000)

    def make(self, n):
        servicios = ServicioProveedorFactory.create_batch(n)
        for servicio in servicios:
            ConexionFactory(servicio=servicio, bw_contratado=100)
        return servicios

    def row_marker(self, obj):
        return obj.codigo

    def form_data(self):
        return datos_servicio()

    # One more than the other pages: the panel of the service's maintenance windows.
    max_queries = 9

    def test_detail_query_count_does_not_grow(self, lectura_client):
        servicio = self.make(1)[0]
        url = servicio.get_absolute_url()
        pocos = self.count_queries(lectura_client, url)
        AjusteBWFactory.create_batch(30, conexion__servicio=servicio)
        assert self.count_queries(lectura_client, url) == pocos <= self.max_queries


@pytest.fixture
def servicio_en_cada_estado():
    """contratada 1000; vendida 375 (conexiones.factories.BW_POR_ESTADO)."""
    return crear_servicio_en_cada_estado(codigo="CIR-ESTADOS")


def fila(contenido: str, marcador: str) -> str:
    """The <tr> of the list that holds `marcador`."""
    inicio = contenido.index(marcador)
    return contenido[contenido.rindex("<tr", 0, inicio) : contenido.index("</tr>", inicio)]


def test_lista_de_servicios_muestra_las_cifras_de_capacidad(
    lectura_client, servicio_en_cada_estado
):
    contenido = lectura_client.get("/proveedores/servicios/").content.decode()
    celdas = fila(contenido, "CIR-ESTADOS")
    assert "375" in celdas  # vendida
    assert "1\u202f000 Mbps" in celdas  # contratada, thin-space thousands
    assert "625" in celdas  # disponible
    assert "37,5 %" in celdas  # Spanish decimal comma
    assert "uso-38" in celdas  # bar width class
    assert "bg-danger" not in celdas


def test_detalle_de_servicio_muestra_las_cifras_y_sus_conexiones(
    lectura_client, servicio_en_cada_estado
):
    conexion = servicio_en_cada_estado.conexiones.get(estado=EstadoConexion.ACTIVO)
    AjusteBWFactory(
        conexion=conexion, mbps=50, bw_anterior=150, motivo="Ampliación pedida por el cliente"
    )
    response = lectura_client.get(servicio_en_cada_estado.get_absolute_url())
    contenido = response.content.decode()
    servicio = response.context["object"]
    assert (servicio.capacidad_vendida, servicio.capacidad_disponible) == (375, 625)
    assert 'id="cap-vendida">375 Mbps' in contenido
    assert 'id="cap-disponible">625 Mbps' in contenido
    assert 'id="cap-uso">37,5 %' in contenido
    for c in servicio_en_cada_estado.conexiones.all():
        assert c.cid_enlace in contenido
    assert html.escape(conexion.cliente.razon_social) in contenido
    assert "Ampliación pedida por el cliente" in contenido
    assert "Sobresuscrito" not in contenido


def test_servicio_sobresuscrito_en_rojo(lectura_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=200, codigo="CIR-LLENO")
    ConexionFactory(servicio=servicio, bw_contratado=300)
    celdas = fila(lectura_client.get("/proveedores/servicios/").content.decode(), "CIR-LLENO")
    assert "bg-danger" in celdas
    assert "negativo" in celdas
    assert "-100" in celdas
    assert "150,0 %" in celdas
    detalle = lectura_client.get(servicio.get_absolute_url()).content.decode()
    assert "Sobresuscrito" in detalle


def test_lista_de_servicios_ordena_por_uso(lectura_client):
    bajo = ServicioProveedorFactory(capacidad_contratada=1000, codigo="CIR-BAJO")
    ConexionFactory(servicio=bajo, bw_contratado=100)
    alto = ServicioProveedorFactory(capacidad_contratada=100, codigo="CIR-ALTO")
    ConexionFactory(servicio=alto, bw_contratado=90)
    medio = ServicioProveedorFactory(capacidad_contratada=1000, codigo="CIR-MEDIO")
    ConexionFactory(servicio=medio, bw_contratado=500)

    def orden(parametro):
        response = lectura_client.get(f"/proveedores/servicios/?orden={parametro}")
        return [s.codigo for s in response.context["object_list"]]

    assert orden("-porcentaje_uso") == ["CIR-ALTO", "CIR-MEDIO", "CIR-BAJO"]
    assert orden("porcentaje_uso") == ["CIR-BAJO", "CIR-MEDIO", "CIR-ALTO"]


def test_detalle_de_proveedor_lista_sus_servicios_con_capacidad(
    lectura_client, servicio_en_cada_estado
):
    otro = ServicioProveedorFactory(codigo="CIR-DE-OTRO")
    response = lectura_client.get(servicio_en_cada_estado.proveedor.get_absolute_url())
    contenido = response.content.decode()
    assert "CIR-ESTADOS" in contenido
    assert "CIR-DE-OTRO" not in contenido
    assert "375 / 1 000 Mbps" in contenido.replace("\u202f", " ")  # thin-space grouping
    assert otro.proveedor.nombre not in contenido


def test_detalle_de_proveedor_con_muchos_servicios_consultas_constantes(
    lectura_client, django_assert_max_num_queries
):
    proveedor = ProveedorFactory()
    for servicio in ServicioProveedorFactory.create_batch(25, proveedor=proveedor):
        ConexionFactory(servicio=servicio)
    with django_assert_max_num_queries(8):
        response = lectura_client.get(proveedor.get_absolute_url())
    assert len(response.context["servicios"]) == 20
    assert response.context["hay_mas_servicios"]


def test_nuevo_servicio_preselecciona_el_proveedor(operador_client):
    proveedor = ProveedorFactory()
    response = operador_client.get(f"/proveedores/servicios/nuevo?proveedor={proveedor.pk}")
    assert response.context["form"]["proveedor"].value() == proveedor.pk


def datos_servicio(**cambios) -> dict:
    """Valid POST data of the provider-service form (of the first provider, or a new one)."""
    proveedor = Proveedor.objects.first() or ProveedorFactory()
    return {
        "proveedor": proveedor.pk,
        "codigo": "CIR-NUEVO-1",
        "modalidad": ModalidadServicio.FIBRA_OPTICA,
        "capacidad_contratada": "2000",
        "estado": EstadoServicio.ACTIVO,
        "departamento": "Arequipa",
        "provincia": "Arequipa",
        "distrito": "Cayma",
        **cambios,
    }


def test_servicio_con_codigo_repetido_muestra_el_error(operador_client):
    servicio = ServicioProveedorFactory()
    data = datos_servicio(codigo=servicio.codigo)
    response = operador_client.post("/proveedores/servicios/nuevo", data)
    assert response.status_code == 200
    assert "El proveedor ya tiene un servicio con este código." in response.content.decode()
    assert ServicioProveedor.objects.count() == 1


def test_servicio_con_provincia_de_otro_departamento(operador_client):
    data = datos_servicio(departamento="Cusco", provincia="Arequipa", distrito="")
    response = operador_client.post("/proveedores/servicios/nuevo", data)
    assert response.status_code == 200
    assert response.context["form"].errors["provincia"]
    assert not ServicioProveedor.objects.exists()


def test_capacidad_negativa_rechazada(operador_client):
    data = datos_servicio(capacidad_contratada="-5")
    response = operador_client.post("/proveedores/servicios/nuevo", data)
    assert response.status_code == 200
    assert response.context["form"].errors["capacidad_contratada"]


def test_proveedor_con_ruc_invalido(operador_client):
    response = operador_client.post(
        "/proveedores/nuevo", {"nombre": "Carrier X", "ruc": "20100017492"}
    )
    assert response.status_code == 200
    assert "dígito verificador" in response.content.decode()
    assert not Proveedor.objects.exists()


def test_proveedor_ruc_con_espacios_se_compacta(operador_client):
    response = operador_client.post(
        "/proveedores/nuevo", {"nombre": "Carrier Y", "ruc": "20 100 017 491"}
    )
    assert response.status_code == 302
    assert Proveedor.objects.get().ruc == "20100017491"


def test_proveedor_nombre_repetido(operador_client):
    ProveedorFactory(nombre="Carrier Z")
    response = operador_client.post("/proveedores/nuevo", {"nombre": "Carrier Z"})
    assert response.status_code == 200
    assert "Ya existe un proveedor con este nombre." in response.content.decode()


def test_lista_de_servicios_de_lectura_sin_botones_de_alta(lectura_client):
    ServicioProveedorFactory()
    contenido = lectura_client.get("/proveedores/servicios/").content.decode()
    assert "/proveedores/servicios/nuevo" not in contenido
    assert "Impacto" in contenido


def test_sidebar_enlaza_servicios(lectura_client):
    contenido = lectura_client.get("/proveedores/servicios/").content.decode()
    assert 'href="/proveedores/servicios/"' in contenido
