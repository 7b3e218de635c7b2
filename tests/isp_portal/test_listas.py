"""The list engine (isp_portal.listas) and the list pages built on it: rows per page chosen
and remembered, the total of a large list from the planner's estimate, rows rendered from the
declared columns and actions (no template per cell)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory
from conexiones.models import Conexion
from conexiones.selectors import conexion_list
from isp_portal import listas
from isp_portal.listas import IdPaginator, contar, redondeo

pytestmark = pytest.mark.django_db

LISTAS = [
    "/conexiones/",
    "/clientes_corporativo/",
    "/proveedores/",
    "/proveedores/servicios/",
    "/nodos/",
    "/equipos/",
    "/ajustes-programados/",
]


@pytest.fixture
def conexiones():
    cliente = ClienteCorpFactory()
    return ConexionFactory.create_batch(30, cliente=cliente)


def test_filas_por_pagina_elegidas_y_recordadas(lectura_client, conexiones):
    assert len(lectura_client.get("/conexiones/").context["object_list"]) == 10
    respuesta = lectura_client.get("/conexiones/", {"por_pagina": "25"})
    assert len(respuesta.context["object_list"]) == 25
    assert '<strong aria-current="true">25</strong>' in respuesta.content.decode()
    # Remembered for the user's other lists and visits.
    assert len(lectura_client.get("/conexiones/").context["object_list"]) == 25
    assert lectura_client.get("/nodos/").context["paginator"].per_page == 25
    # A size not offered is ignored: the remembered one stays.
    for valor in ("7", "1000", "abc", "-10", "", "²", "9" * 5000, "025"):
        respuesta = lectura_client.get("/conexiones/", {"por_pagina": valor})
        assert respuesta.context["paginator"].per_page == 25, valor
    assert (
        lectura_client.get("/conexiones/", {"por_pagina": "10"}).context["paginator"].per_page == 10
    )


def test_selector_de_filas_conserva_los_filtros(lectura_client, conexiones):
    html = lectura_client.get("/conexiones/", {"estado": "ACTIVO", "page": "2"}).content.decode()
    # The page number goes (page 2 of 25 rows is another window), the filter stays.
    assert 'href="?estado=ACTIVO&amp;por_pagina=50"' in html


@pytest.mark.parametrize("url", LISTAS)
def test_consultas_constantes_con_cualquier_tamano(lectura_client, conexiones, url):
    def consultas(por_pagina) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert lectura_client.get(url, {"por_pagina": por_pagina}).status_code == 200
        return len(ctx)

    # A new size is written to the session once; then the same size reads it.
    consultas("10")
    diez = consultas("10")
    consultas("100")
    assert consultas("100") == diez


def test_filas_sin_una_plantilla_por_celda(lectura_client, conexiones, monkeypatch):
    """The rows come from the columns and actions declared in Python: no template is
    rendered per row or per cell."""
    from django.template import loader_tags

    incluidas = []
    original = loader_tags.IncludeNode.render

    def contar_include(self, context):
        incluidas.append(1)
        return original(self, context)

    monkeypatch.setattr(loader_tags.IncludeNode, "render", contar_include)
    lectura_client.get("/conexiones/", {"por_pagina": "10"})
    diez = len(incluidas)
    incluidas.clear()
    lectura_client.get("/conexiones/", {"por_pagina": "25"})
    # The layout, the filters and the pagination: none per row, none per <option>.
    assert len(incluidas) == diez <= 15


def test_fila_de_conexion_con_sus_celdas_y_acciones(operador_client, conexiones):
    conexion = conexiones[0]
    html = operador_client.get("/conexiones/", {"por_pagina": "50"}).content.decode()
    fila = html[html.index(f'<tr id="fila-{conexion.pk}"') :]
    fila = fila[: fila.index("</tr>")]
    assert (
        f'data-label="Cliente / locación"><a href="/clientes_corporativo/{conexion.cliente_id}/">'
        in fila
    )
    assert f'aria-label="Ver {conexion.cid_enlace}"' in fila
    assert f'href="/conexiones/{conexion.pk}/editar"' in fila
    assert f'hx-get="/conexiones/{conexion.pk}/ajustar-bw?modo=AUMENTAR"' in fila
    # The type of service is left out on a phone (movil=False).
    assert '<td class="no-movil" data-label="Tipo de servicio">' in fila
    # The row re-rendered after Ajustar BW is the same HTML.
    sola = operador_client.get(f"/conexiones/{conexion.pk}/fila").content.decode()
    inicio = html.index(f'<tr id="fila-{conexion.pk}"')
    assert sola == html[inicio : inicio + len(sola)]


def test_acciones_segun_permisos(usuario_lectura, usuario_operador, conexiones):
    conexion = conexiones[-1]  # the newest: on the first page
    http = Client()
    http.force_login(usuario_lectura)
    lectura = http.get("/conexiones/").content.decode()
    assert f'aria-label="Ver {conexion.cid_enlace}"' in lectura
    assert f'/conexiones/{conexion.pk}/editar"' not in lectura
    assert "data-ajuste" not in lectura
    http.force_login(usuario_operador)
    operador = http.get("/conexiones/").content.decode()
    assert f'/conexiones/{conexion.pk}/editar"' in operador
    assert 'data-ajuste="AUMENTAR"' in operador


# --- Totals -----------------------------------------------------------------------------------


def test_conteo_exacto_bajo_el_umbral(conexiones):
    assert contar(conexion_list()) == (30, False, False)
    assert contar(conexion_list().filter(estado="ZZZ")) == (0, False, False)


def test_redondeo_de_una_estimacion():
    assert redondeo(203_417) == 203_000
    assert redondeo(9_999) == 10_000
    assert redondeo(12_345) == 12_300
    assert redondeo(999) == 999


@pytest.fixture
def umbral_bajo(monkeypatch, es_postgres):
    """An estimate from 20 rows (10 000 in production), with the table analysed."""
    if not es_postgres:
        pytest.skip("estimaciones del planificador de PostgreSQL")
    monkeypatch.setattr(listas, "CONTEO_EXACTO_HASTA", 20)


def _analizar():
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Conexion._meta.db_table}")


def test_lista_grande_sin_filtros_muestra_la_estimacion(lectura_client, conexiones, umbral_bajo):
    _analizar()
    respuesta = lectura_client.get("/conexiones/")
    paginator = respuesta.context["paginator"]
    assert paginator.estimado and paginator.count == 30
    assert "≈</abbr> 30" in respuesta.content.decode()


def test_lista_grande_filtrada_usa_el_plan(conexiones, umbral_bajo):
    _analizar()
    filas, estimado, mas_de = contar(conexion_list().filter(bw_contratado__gte=1))
    assert estimado and not mas_de and filas >= 20


def test_la_ultima_pagina_corrige_la_estimacion(conexiones):
    """Past the estimate's end the true last page shows, with the exact total."""
    paginator = IdPaginator(conexion_list().order_by("-pk"), 10, estimar=True)
    paginator.__dict__["count"] = 45  # the planner overshot
    paginator.estimado = True
    pagina = paginator.page(5)
    assert paginator.count == 30 and not paginator.estimado
    assert pagina.number == 3 and len(pagina.object_list) == 10
    # A short last page tells the total without counting.
    paginator = IdPaginator(conexion_list().order_by("-pk"), 25, estimar=True)
    paginator.__dict__["count"] = 40
    paginator.estimado = True
    assert len(paginator.page(2).object_list) == 5
    assert paginator.count == 30 and not paginator.estimado


def test_sqlite_cuenta_siempre(conexiones, es_postgres):
    if es_postgres:
        pytest.skip("SQLite")
    paginator = IdPaginator(conexion_list().order_by("-pk"), 10, estimar=True)
    assert paginator.count == 30 and not paginator.estimado
