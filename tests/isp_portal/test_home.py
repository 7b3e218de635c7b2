"""The home page: counts by estado and totals that match the data, in bounded queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.services import conexion_ajustar_bw
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db

MAX_CONSULTAS = 12
CANTIDADES = {
    EstadoConexion.PENDIENTE: 2,
    EstadoConexion.ACTIVO: 5,
    EstadoConexion.SUSPENDIDO: 1,
    EstadoConexion.DOWN: 0,
    EstadoConexion.BAJA: 3,
}


def poblar(factor: int, usuario=None) -> dict:
    """factor × CANTIDADES connections on two provider services, and a few adjustments."""
    servicios = [
        ServicioProveedorFactory(capacidad_contratada=10_000),
        ServicioProveedorFactory(capacidad_contratada=5_000),
    ]
    nodo_a, nodo_b = NodoFactory(), NodoFactory()
    creadas = []
    for estado, cantidad in CANTIDADES.items():
        for i in range(cantidad * factor):
            creadas.append(
                ConexionFactory(
                    estado=estado,
                    servicio=servicios[i % 2],
                    bw_contratado=10,
                    nodo_a=nodo_a,
                    nodo_b=nodo_b,
                )
            )
    activas = [c for c in creadas if c.estado == EstadoConexion.ACTIVO]
    for conexion in activas[: 3 * factor]:
        conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=5, usuario=usuario)
    return {"conexiones": creadas, "servicios": servicios}


def conteos(html: str) -> dict[str, int]:
    return {
        estado: int(total.replace(",", "").replace(".", "").replace("\u202f", ""))
        for estado, total in re.findall(r'data-estado="(\w+)">\s*([\d.,\u202f]+)\s*<', html)
    }


def test_muestra_los_conteos_por_estado(lectura_client, usuario_operador):
    poblar(2, usuario=usuario_operador)
    respuesta = lectura_client.get("/")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert conteos(html) == {estado: n * 2 for estado, n in CANTIDADES.items()}
    for _, etiqueta in EstadoConexion.choices:
        assert etiqueta in html


def test_conteos_en_cero_sin_datos(lectura_client):
    html = lectura_client.get("/").content.decode()
    assert conteos(html) == dict.fromkeys(EstadoConexion.values, 0)


def test_bw_vendido_y_contratado(lectura_client):
    poblar(1)
    # Not in BAJA: 2 + 5 + 1 + 0 connections of 10 Mbps, 3 of them raised by 5.
    vendido = (2 + 5 + 1) * 10 + 3 * 5
    contexto = lectura_client.get("/").context
    assert contexto["bw_vendido"] == vendido
    assert contexto["bw_contratado"] == 15_000


def test_servicios_mas_cargados_primero(lectura_client):
    datos = poblar(1)
    lleno = ServicioProveedorFactory(capacidad_contratada=10, codigo="CIR-LLENO")
    ConexionFactory(servicio=lleno, bw_contratado=20)
    respuesta = lectura_client.get("/")
    servicios = respuesta.context["servicios_cargados"]
    assert servicios[0] == lleno
    assert set(servicios) == {lleno, *datos["servicios"]}
    assert "CIR-LLENO" in respuesta.content.decode()


def test_ultimos_ajustes(lectura_client, usuario_operador):
    poblar(1, usuario=usuario_operador)
    respuesta = lectura_client.get("/")
    ajustes = list(respuesta.context["ajustes"])
    assert len(ajustes) == 3
    html = respuesta.content.decode()
    assert "10 → 15 Mbps" in html
    assert usuario_operador.username in html


@pytest.mark.parametrize("factor", [1, 10])
def test_consultas_acotadas(
    lectura_client, usuario_operador, factor, django_assert_max_num_queries
):
    poblar(factor, usuario=usuario_operador)
    with django_assert_max_num_queries(MAX_CONSULTAS):
        assert lectura_client.get("/").status_code == 200


def test_consultas_no_crecen_con_las_filas(lectura_client, usuario_operador):
    poblar(1, usuario=usuario_operador)
    lectura_client.get("/")
    with CaptureQueriesContext(connection) as pocas:
        lectura_client.get("/")
    poblar(10, usuario=usuario_operador)
    with CaptureQueriesContext(connection) as muchas:
        lectura_client.get("/")
    assert len(muchas) == len(pocas), "\n".join(q["sql"] for q in muchas.captured_queries)
