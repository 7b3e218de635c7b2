"""Concurrent writes through the API on PostgreSQL (real row locks): nothing is lost."""

import json
import threading

import pytest
from django.db import connection

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, Conexion
from isp_portal.roles import GRUPO_OPERADOR
from isp_portal.services import token_crear
from proveedores.factories import ServicioProveedorFactory
from tests.api.conftest import ClienteAPI
from tests.conftest import usuario_con_rol

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HILOS = 40


@pytest.fixture
def token(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")
    usuario = usuario_con_rol(django_user_model, "operador", GRUPO_OPERADOR)
    return token_crear(usuario=usuario)[1]


def _a_la_vez(n: int, trabajo) -> list:
    """Run trabajo(i) in n threads started together, each with its own test client and
    database connection; return the answers."""
    barrera = threading.Barrier(n, timeout=60)
    respuestas: list = [None] * n

    def hilo(i):
        try:
            barrera.wait()
            respuestas[i] = trabajo(i)
        except Exception as error:  # noqa: BLE001 - reported by the caller's asserts
            respuestas[i] = error
        finally:
            connection.close()

    hilos = [threading.Thread(target=hilo, args=(i,)) for i in range(n)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    return respuestas


def test_40_ajustes_a_la_vez_suman_exacto_con_el_libro_encadenado(token):
    servicio = ServicioProveedorFactory(capacidad_contratada=100_000)
    conexion = ConexionFactory(servicio=servicio, bw_contratado=500)
    url = f"/v1/conexiones/{conexion.pk}/ajustar-bw"

    def ajustar(i):
        modo, mbps = ("AUMENTAR", 7) if i % 3 else ("DISMINUIR", 3)
        return ClienteAPI(token).post(url, {"modo": modo, "mbps": mbps, "motivo": f"hilo {i}"})

    respuestas = _a_la_vez(HILOS, ajustar)
    assert [getattr(r, "status_code", r) for r in respuestas] == [200] * HILOS
    aumentos = sum(1 for i in range(HILOS) if i % 3)
    esperado = 500 + 7 * aumentos - 3 * (HILOS - aumentos)
    conexion.refresh_from_db()
    assert conexion.bw_contratado == esperado
    libro = list(AjusteBW.objects.filter(conexion=conexion).order_by("id"))
    assert len(libro) == HILOS
    assert libro[0].bw_anterior == 500 and libro[-1].bw_resultante == esperado
    for antes, despues in zip(libro, libro[1:], strict=False):
        assert despues.bw_anterior == antes.bw_resultante
        assert despues.servicio_disponible_anterior == antes.servicio_disponible_resultante
    assert libro[-1].servicio_disponible_resultante == 100_000 - esperado
    # Each answer carried the figures of its own ledger row.
    resultantes = sorted(json.loads(r.content)["ajuste"]["bw_resultante"] for r in respuestas)
    assert resultantes == sorted(a.bw_resultante for a in libro)


def test_altas_a_la_vez_sin_cid_reciben_cids_distintos(token):
    cliente = ClienteCorpFactory(cid="257")
    servicio = ServicioProveedorFactory(capacidad_contratada=100_000)
    payload = {
        "cliente_id": cliente.pk,
        "servicio_id": servicio.pk,
        "tipo_enlace": "Internet",
        "bw_contratado": 10,
        "cid": None,
    }
    respuestas = _a_la_vez(10, lambda i: ClienteAPI(token).post("/v1/conexiones", payload))
    assert [getattr(r, "status_code", r) for r in respuestas] == [201] * 10
    cids = sorted(Conexion.objects.values_list("cid_enlace", flat=True))
    assert cids == [f"257{n:03d}" for n in range(1, 11)]
