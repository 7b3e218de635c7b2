"""Every list of the API runs at most 5 queries, whatever its rows — the request as a script
makes it: the token (with the user and their permissions), the rate limit, the search, the
count and the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory, SedeFactory
from conexiones.factories import ConexionFactory, EquipoFactory
from conexiones.services import conexion_ajustar_bw

pytestmark = pytest.mark.django_db

MAX_CONSULTAS = 5
LISTAS = [
    "/v1/clientes-corporativo/listar",
    "/v1/clientes-corporativo/listar?busqueda=Andina&estado=activo",
    "/v1/clientes-corporativo/listar/select?busqueda=Andina",
    "/v1/sedes/listar",
    "/v1/sedes/listar?busqueda=Oficina&departamento=Lima",
    "/v1/sedes/cliente/{cliente}",
    "/v1/conexiones/listar",
    "/v1/conexiones/listar?limit=100",
    "/v1/conexiones/listar?estado=ACTIVO&tipo_enlace=Internet",
    "/v1/conexiones/listar?busqueda=Andina",
    "/v1/conexiones/listar?busqueda=Andina&estado=ACTIVO&proveedor={proveedor}",
    "/v1/conexiones/listar?cliente_id={cliente}",
    "/v1/conexiones/listar/select?busqueda=Andina",
    "/v1/conexiones/{conexion}/ajustes",
    "/v1/proveedores/listar?busqueda=Carrier&activo=1",
    "/v1/servicios-proveedor/listar",
    "/v1/servicios-proveedor/listar?proveedor={proveedor}&estado=ACTIVO",
    "/v1/nodos/listar?tipo=POP",
    "/v1/equipos/listar?asignado=si",
]


def _crear(n: int, cliente=None):
    cliente = cliente or ClienteCorpFactory(razon_social="Andina Norte")
    for _ in range(n):
        conexion = ConexionFactory(cliente=cliente, locacion="Andina")
        EquipoFactory.create_batch(2, conexion=conexion)
        SedeFactory(cliente=cliente)
        conexion_ajustar_bw(conexion=conexion, modo="AUMENTAR", mbps=1, usuario=None)
    return cliente, conexion


def _consultas(cliente_api, url) -> int:
    with CaptureQueriesContext(connection) as consultas:
        respuesta = cliente_api.get(url)
    assert respuesta.status_code == 200, (url, respuesta.content[:300])
    return len(consultas)


@pytest.mark.parametrize("plantilla", LISTAS)
def test_consultas_constantes(api_lectura, django_assert_max_num_queries, plantilla):
    cliente, conexion = _crear(2)
    valores = {
        "cliente": cliente.pk,
        "conexion": conexion.pk,
        "proveedor": conexion.servicio.proveedor_id,
    }
    url = plantilla.format(**valores)
    pocas = _consultas(api_lectura, url)
    _crear(12, cliente)
    with django_assert_max_num_queries(MAX_CONSULTAS):
        respuesta = api_lectura.get(url)
    assert respuesta.status_code == 200
    assert _consultas(api_lectura, url) == pocas


def test_los_permisos_vienen_con_el_token(api_lectura, django_assert_num_queries):
    """One query authenticates and loads the permissions, one counts the request for the
    rate limit, one counts the rows (none: no page to read)."""
    with django_assert_num_queries(3):
        assert api_lectura.get("/v1/nodos/listar").status_code == 200


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("/v1/clientes-corporativo/listar?busqueda=Andina", 0),
        # Counting the matches (up to the list's sort limit) and the clients' sedes: one more.
        ("/v1/clientes-corporativo/listar/select?busqueda=Andina", 1),
        ("/v1/conexiones/listar?busqueda=Andina", 0),
        ("/v1/conexiones/listar/select?busqueda=Andina", 0),
        ("/v1/sedes/listar?busqueda=Oficina", 0),
    ],
)
def test_busqueda_con_demasiadas_coincidencias(
    api_lectura, django_assert_max_num_queries, monkeypatch, url, extra
):
    """A search matching more rows than it counts (mas_de) stays within the budget too."""
    monkeypatch.setattr("isp_portal.busqueda.MAX_COINCIDENCIAS", 2)
    _crear(4)
    ClienteCorpFactory.create_batch(3, razon_social="Andina Sur")
    with django_assert_max_num_queries(MAX_CONSULTAS + extra):
        respuesta = api_lectura.get(url)
    assert respuesta.status_code == 200
    assert respuesta.json()["mas_de"] is True
