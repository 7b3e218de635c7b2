"""Pagination of every list page (isp_portal.listas.IdPaginator): a page is picked by its ids
and then joined; any `page` value shows a page (no number: the first; past the end: the last),
and every page shows the rows, in the order, of Django's plain Paginator."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.models import Conexion
from conexiones.selectors import conexion_list, conexiones_por_nodo, servicio_list
from isp_portal.listas import consulta_de_ventana
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from proveedores.selectors import proveedor_list

pytestmark = pytest.mark.django_db

URL = "/conexiones/"
ESTADOS = [EstadoConexion.ACTIVO, EstadoConexion.SUSPENDIDO, EstadoConexion.BAJA]


@pytest.fixture
def conexiones():
    """35 connections (4 pages): several per client (ties in razón social, broken by id),
    repeated bandwidths and estados, half of them in Cusco."""
    clientes = [
        ClienteCorpFactory(razon_social=nombre)
        for nombre in ("Minera Andina S.A.", "Agro Sur S.A.C.", "Banco del Norte", "Zeta S.R.L.")
    ]
    return [
        ConexionFactory(
            cliente=clientes[i % 4],
            bw_contratado=(i % 3 + 1) * 50,
            estado=ESTADOS[i % 3],
            locacion="Cusco - Centro" if i % 2 else "Lima - Miraflores / Oficina",
        )
        for i in range(35)
    ]


def ids_por_pagina(client, url: str) -> list[list[int]]:
    """The ids shown on every page of a list, following its page numbers."""
    separador = "&" if "?" in url else "?"
    num_pages = client.get(url).context["paginator"].num_pages
    paginas = []
    for numero in range(1, num_pages + 1):
        response = client.get(f"{url}{separador}page={numero}")
        assert response.status_code == 200
        assert response.context["page_obj"].number == numero
        paginas.append([obj.pk for obj in response.context["object_list"]])
    return paginas


def paginas_de_django(queryset) -> list[list[int]]:
    paginator = Paginator(queryset, 10)
    return [[obj.pk for obj in paginator.page(n).object_list] for n in paginator.page_range]


@pytest.mark.parametrize(
    ("query", "filtro", "orden"),
    [
        ("", {}, ("-pk",)),
        ("?orden=cliente.razon_social", {}, ("cliente__razon_social", "pk")),
        ("?orden=-cliente.razon_social", {}, ("-cliente__razon_social", "-pk")),
        ("?orden=bw_contratado", {}, ("bw_contratado", "pk")),
        ("?orden=-estado", {}, ("-estado", "-pk")),
        ("?orden=cid_enlace", {}, ("cid_enlace", "pk")),
        (
            "?estado=ACTIVO&orden=cliente.razon_social",
            {"estado": EstadoConexion.ACTIVO},
            ("cliente__razon_social", "pk"),
        ),
        ("?busqueda=cusco", {"locacion__startswith": "Cusco"}, ("-pk",)),
        (
            "?busqueda=cusco&orden=-bw_contratado",
            {"locacion__startswith": "Cusco"},
            ("-bw_contratado", "-pk"),
        ),
    ],
)
def test_paginas_de_conexiones_como_las_de_django(lectura_client, conexiones, query, filtro, orden):
    esperado = paginas_de_django(Conexion.objects.filter(**filtro).order_by(*orden))
    assert len(esperado) > 1
    assert ids_por_pagina(lectura_client, f"{URL}{query}") == esperado


def test_paginas_de_clientes_como_las_de_django(lectura_client):
    """The clients' search sorts its few matches without the index (sort_search_matches)."""
    ClienteCorpFactory.create_batch(12, razon_social="Comercial Sur")
    ClienteCorpFactory.create_batch(13, razon_social="Andes del Sur")
    ClienteCorpFactory.create_batch(5, razon_social="Norte Grande")
    url = "/clientes_corporativo/"
    todos = ClienteCorp.objects.all()
    del_sur = todos.filter(razon_social__contains="Sur")
    assert ids_por_pagina(lectura_client, url) == paginas_de_django(
        todos.order_by("razon_social", "pk")
    )
    assert ids_por_pagina(lectura_client, f"{url}?orden=-ruc") == paginas_de_django(
        todos.order_by("-ruc", "-pk")
    )
    assert ids_por_pagina(lectura_client, f"{url}?busqueda=sur") == paginas_de_django(
        del_sur.order_by("razon_social", "pk")
    )
    assert ids_por_pagina(lectura_client, f"{url}?busqueda=sur&orden=-cid") == paginas_de_django(
        del_sur.order_by("-cid", "-pk")
    )


def test_paginas_ordenadas_por_anotaciones_como_las_de_django(lectura_client):
    """Orders by an annotation (a subquery, an aggregate, a CASE) page alike."""
    proveedores = ProveedorFactory.create_batch(12)
    for i, proveedor in enumerate(proveedores):
        for j in range(i % 3 + 1):
            servicio = ServicioProveedorFactory(proveedor=proveedor)
            ConexionFactory.create_batch(j, servicio=servicio, bw_contratado=10 * (i + 1))
    assert ids_por_pagina(
        lectura_client, "/proveedores/servicios/?orden=-porcentaje_uso"
    ) == paginas_de_django(servicio_list().order_by("-porcentaje_uso", "-pk"))
    assert ids_por_pagina(lectura_client, "/proveedores/?orden=num_servicios") == paginas_de_django(
        proveedor_list().order_by("num_servicios", "pk")
    )

    nodo = NodoFactory()
    ConexionFactory.create_batch(8, nodo_a=nodo)
    ConexionFactory.create_batch(8, nodo_b=nodo)
    assert ids_por_pagina(
        lectura_client, f"/nodos/{nodo.pk}/impacto?orden=-extremo"
    ) == paginas_de_django(conexiones_por_nodo(nodo).order_by("-extremo", "-pk"))


@pytest.mark.parametrize(
    ("page", "numero"),
    [
        ("abc", 1),
        ("²", 1),
        ("1.5", 1),
        ("", 1),
        ("9" * 5000, 1),  # int() refuses it: not a number, as "abc"
        ("9999", 4),
        ("9" * 100, 4),
        ("0", 4),
        ("-1", 4),
    ],
)
def test_pagina_invalida_o_fuera_de_rango_muestra_una_pagina(
    lectura_client, conexiones, page, numero
):
    """Django's Paginator.get_page: not a number → first page; out of range → last page."""
    response = lectura_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == numero
    esperado = paginas_de_django(Conexion.objects.order_by("-pk"))[numero - 1]
    assert [obj.pk for obj in response.context["object_list"]] == esperado


def test_pasada_la_ultima_pagina_los_enlaces_son_los_de_la_ultima(lectura_client, conexiones):
    html = lectura_client.get(URL, {"page": "40", "estado": "ACTIVO"}).content.decode()
    # 12 ACTIVO connections: the last page is page 2 with rows 11–12.
    assert "11–12 de 12" in html
    activa = '<li class="page-item active" aria-current="page"><span class="page-link">2</span>'
    assert activa in html
    assert "?estado=ACTIVO&amp;page=1" in html
    assert "page=3" not in html


def test_consultas_constantes_en_cualquier_pagina(lectura_client, conexiones):
    def consultas(page) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert lectura_client.get(URL, {"page": page}).status_code == 200
        return len(ctx)

    primera = consultas("1")
    assert primera <= 8
    assert [consultas(p) for p in ("3", "4", "9999", "abc")] == [primera] * 4
    ConexionFactory.create_batch(30)
    assert consultas("6") == primera


def test_la_pagina_se_elige_por_ids_sin_los_joins(lectura_client, conexiones):
    """The rows skipped by OFFSET are ids of the connections alone: a join there would be
    built for every skipped row (≈ 290 ms at page 5,000 of 200k connections)."""

    def subconsulta_paginada(query: dict) -> str:
        with CaptureQueriesContext(connection) as ctx:
            lectura_client.get(URL, {"page": "3", **query})
        (sql,) = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"]]
        inicio = sql.index("IN (SELECT")
        return sql[inicio : sql.index("OFFSET", inicio)]

    assert "clientes_clientecorp" not in subconsulta_paginada({})
    assert "proveedores" not in subconsulta_paginada({})
    # Sorting by the client's razón social needs that one join, and only it.
    por_cliente = subconsulta_paginada({"orden": "cliente.razon_social"})
    assert "clientes_clientecorp" in por_cliente
    assert "proveedores" not in por_cliente


def test_paginator_por_ids_usa_el_indice_del_orden(plan_postgres, conexiones):
    """PostgreSQL walks an index to skip the ids of the default orders."""

    def plan(queryset) -> str:
        return plan_postgres(consulta_de_ventana(queryset, 2, 4))

    assert "Scan Backward using conexiones_conexion_pkey" in plan(conexion_list().order_by("-pk"))
    assert "clientecorp_razon_social_id" in plan(ClienteCorp.objects.order_by("razon_social", "pk"))
    assert "conexion_cid_enlace_unico" in plan(conexion_list().order_by("cid_enlace", "pk"))
    assert "clientecorp_razon_social_id" in plan(
        conexion_list().order_by("cliente__razon_social", "pk")
    )
