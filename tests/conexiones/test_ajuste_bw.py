"""The Ajustar BW modal: htmx partials, the plain-page fallback and the server's preview."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW
from proveedores.factories import ServicioProveedorFactory
from tests.view_base import MAX_QUERIES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(conexion, modo=None):
    base = f"/conexiones/{conexion.pk}/ajustar-bw"
    return f"{base}?modo={modo}" if modo else base


def previo(conexion):
    return f"/conexiones/{conexion.pk}/ajustar-bw/vista-previa"


@pytest.fixture
def conexion():
    servicio = ServicioProveedorFactory(codigo="CIR-500", capacidad_contratada=500)
    return ConexionFactory(servicio=servicio, bw_contratado=300, cid_enlace="257001")


def test_get_htmx_devuelve_el_modal(operador_client, conexion):
    response = operador_client.get(url(conexion, "AUMENTAR"), **HTMX)
    contenido = response.content.decode()
    assert response.status_code == 200
    assert contenido.lstrip().startswith('<div class="modal fade"')
    assert "<html" not in contenido
    assert "257001" in contenido and "CIR-500" in contenido
    assert "300 Mbps" in contenido  # BW actual
    assert f'hx-post="{url(conexion)}"' in contenido
    assert 'name="modo" value="AUMENTAR"' in contenido
    assert 'hx-trigger="input changed delay:300ms"' in contenido
    assert "Servicio disponible" in contenido and "Servicio vendida" in contenido


def test_get_sin_htmx_es_una_pagina_completa(operador_client, conexion):
    response = operador_client.get(url(conexion, "DISMINUIR"))
    contenido = response.content.decode()
    assert "<html" in contenido and "Disminuir" in contenido
    assert 'name="modo" value="DISMINUIR"' in contenido
    assert "hx-post" not in contenido  # the form posts normally


def test_modo_desconocido_es_aumentar(operador_client, conexion):
    contenido = operador_client.get(url(conexion, "OTRO"), **HTMX).content.decode()
    assert 'name="modo" value="AUMENTAR"' in contenido


def test_post_htmx_valido_responde_204_con_evento(operador_client, conexion, usuario_operador):
    response = operador_client.post(
        url(conexion), {"modo": "AUMENTAR", "mbps": "50", "motivo": "Upgrade"}, **HTMX
    )
    assert response.status_code == 204
    evento = json.loads(response["HX-Trigger"])
    assert evento["bwAjustado"]["id"] == conexion.pk
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 350
    ajuste = AjusteBW.objects.get()
    assert (ajuste.modo, ajuste.mbps, ajuste.bw_anterior, ajuste.bw_resultante) == (
        ModoAjuste.AUMENTAR,
        50,
        300,
        350,
    )
    assert (ajuste.servicio_disponible_anterior, ajuste.servicio_disponible_resultante) == (
        200,
        150,
    )
    assert ajuste.motivo == "Upgrade" and ajuste.usuario == usuario_operador


def test_post_sin_htmx_redirige_al_detalle(operador_client, conexion):
    response = operador_client.post(url(conexion), {"modo": "DISMINUIR", "mbps": "100"})
    assert response.status_code == 302
    assert response["Location"] == f"/conexiones/{conexion.pk}/"
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 200
    assert "300 → 200 Mbps" in operador_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("mbps", ["", "0", "-3", "2.5", "abc"])
def test_mbps_invalido_vuelve_con_error_en_el_modal(operador_client, conexion, mbps):
    response = operador_client.post(url(conexion), {"modo": "AUMENTAR", "mbps": mbps}, **HTMX)
    contenido = response.content.decode()
    assert response.status_code == 200
    assert contenido.lstrip().startswith('<form id="form-ajuste-bw"')
    assert "invalid-feedback" in contenido
    assert not AjusteBW.objects.exists()


def test_no_puede_quedar_bajo_1_mbps(operador_client, conexion):
    response = operador_client.post(url(conexion), {"modo": "DISMINUIR", "mbps": "300"}, **HTMX)
    assert response.status_code == 200
    assert "por debajo de 1 Mbps" in response.content.decode()
    assert response.context["form"].errors["mbps"]
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 300


def test_baja_no_se_ajusta(operador_client):
    conexion = ConexionFactory(estado=EstadoConexion.BAJA)
    contenido = operador_client.get(url(conexion, "AUMENTAR"), **HTMX).content.decode()
    assert "BAJA no se puede ajustar" in contenido
    response = operador_client.post(url(conexion), {"modo": "AUMENTAR", "mbps": "10"}, **HTMX)
    assert response.status_code == 200
    assert "BAJA no se puede ajustar" in response.content.decode()
    assert not AjusteBW.objects.exists()


def test_sobresuscripcion_pide_confirmacion(operador_client, conexion):
    datos = {"modo": "AUMENTAR", "mbps": "250"}  # disponible 200 → −50
    response = operador_client.post(url(conexion), datos, **HTMX)
    contenido = response.content.decode()
    assert response.status_code == 200
    assert "Confirme para continuar" in contenido
    assert 'name="confirmar_sobresuscripcion"' in contenido
    assert "negativo" in contenido
    assert not AjusteBW.objects.exists()

    response = operador_client.post(
        url(conexion), {**datos, "confirmar_sobresuscripcion": "on"}, **HTMX
    )
    assert response.status_code == 204
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 550
    assert AjusteBW.objects.get().servicio_disponible_resultante == -50


def test_lectura_recibe_403(lectura_client, conexion):
    assert lectura_client.get(url(conexion, "AUMENTAR"), **HTMX).status_code == 403
    assert lectura_client.get(previo(conexion), {"mbps": "5"}).status_code == 403
    response = lectura_client.post(url(conexion), {"modo": "AUMENTAR", "mbps": "5"}, **HTMX)
    assert response.status_code == 403
    assert not AjusteBW.objects.exists()


def test_anonimo_va_al_login(client, conexion):
    response = client.get(url(conexion, "AUMENTAR"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_conexion_inexistente_404(operador_client):
    assert operador_client.get("/conexiones/999999/ajustar-bw").status_code == 404


# --- the preview --------------------------------------------------------------------------


def test_previo_calcula_en_el_servidor(operador_client, conexion):
    response = operador_client.get(previo(conexion), {"modo": "AUMENTAR", "mbps": "50"})
    contenido = response.content.decode()
    assert "300 → 350 Mbps" in contenido  # BW resultante
    assert "200 → 150 Mbps" in contenido  # servicio disponible
    assert "300 → 350 Mbps" in contenido  # servicio vendida (only this connection)
    assert "sobresuscrito" not in contenido


def test_previo_disminuir(operador_client, conexion):
    contenido = operador_client.get(
        previo(conexion), {"modo": "DISMINUIR", "mbps": "100"}
    ).content.decode()
    assert "300 → 200 Mbps" in contenido and "200 → 300 Mbps" in contenido


def test_previo_sobresuscrito_en_rojo_con_casilla(operador_client, conexion):
    contenido = operador_client.get(
        previo(conexion), {"modo": "AUMENTAR", "mbps": "260"}
    ).content.decode()
    assert 'class="negativo">\u221260 Mbps<span class="visually-hidden"> (negativo)' in contenido
    assert "sobresuscrito en 60 Mbps" in contenido
    assert 'name="confirmar_sobresuscripcion"' in contenido


def test_previo_bajo_el_minimo(operador_client, conexion):
    contenido = operador_client.get(
        previo(conexion), {"modo": "DISMINUIR", "mbps": "300"}
    ).content.decode()
    assert "por debajo de 1 Mbps" in contenido


def test_previo_sin_numero(operador_client, conexion):
    contenido = operador_client.get(previo(conexion), {"modo": "AUMENTAR", "mbps": "x"})
    assert contenido.status_code == 200
    assert "—" in contenido.content.decode()


def test_previo_sin_servicio(operador_client):
    conexion = ConexionFactory(servicio=None)
    contenido = operador_client.get(
        previo(conexion), {"modo": "AUMENTAR", "mbps": "5"}
    ).content.decode()
    assert "no tiene servicio de proveedor" in contenido


# --- query bounds -------------------------------------------------------------------------


def contar(client, metodo, ruta, datos=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        getattr(client, metodo)(ruta, datos or {}, **HTMX)
    return len(ctx)


def test_consultas_acotadas(operador_client, conexion):
    ConexionFactory.create_batch(5, servicio=conexion.servicio)
    assert contar(operador_client, "get", url(conexion, "AUMENTAR")) <= MAX_QUERIES
    assert contar(operador_client, "get", previo(conexion), {"mbps": "5"}) <= MAX_QUERIES
    # session, user, permissions, the locked rows, the service's pending reverts, the update
    # and the ledger row
    assert contar(operador_client, "post", url(conexion), {"modo": "AUMENTAR", "mbps": "5"}) <= 15


# --- concurrency (PostgreSQL row locks) ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ajustes_y_ediciones_a_la_vez_no_pierden_nada():
    """Modal adjustments and edits of the same connection at once: every change counts."""
    import threading

    from django.db import connection as conexion_bd

    from conexiones.services import conexion_actualizar, conexion_ajustar_bw

    if conexion_bd.vendor != "postgresql":
        pytest.skip("necesita PostgreSQL (bloqueos de fila reales)")
    servicio = ServicioProveedorFactory(capacidad_contratada=10_000)
    c = ConexionFactory(servicio=servicio, bw_contratado=100)
    barrera = threading.Barrier(8, timeout=60)
    errores = []

    def trabajo(i):
        try:
            barrera.wait()
            if i % 2:
                conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=10)
            else:
                conexion_actualizar(
                    conexion=c,
                    datos={"bw_contratado": 105, "locacion": f"Edición {i}"},
                    bw_anterior=100,
                )
        except Exception as e:  # noqa: BLE001 - reported below
            errores.append(e)
        finally:
            conexion_bd.close()

    hilos = [threading.Thread(target=trabajo, args=(i,)) for i in range(8)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert not errores
    c.refresh_from_db()
    assert c.bw_contratado == 100 + 4 * 10 + 4 * 5
    ajustes = list(AjusteBW.objects.filter(conexion=c).order_by("id"))
    assert len(ajustes) == 8
    for antes, despues in zip(ajustes, ajustes[1:], strict=False):
        assert despues.bw_anterior == antes.bw_resultante
        assert despues.servicio_disponible_anterior == antes.servicio_disponible_resultante
    assert ajustes[-1].servicio_disponible_resultante == 10_000 - c.bw_contratado


def test_sin_javascript_la_sobresuscripcion_se_confirma_en_la_pagina(operador_client, conexion):
    datos = {"modo": "AUMENTAR", "mbps": "250"}
    response = operador_client.post(url(conexion), datos)
    contenido = response.content.decode()
    assert response.status_code == 200 and "<html" in contenido
    assert 'name="confirmar_sobresuscripcion"' in contenido
    response = operador_client.post(url(conexion), {**datos, "confirmar_sobresuscripcion": "on"})
    assert response.status_code == 302
