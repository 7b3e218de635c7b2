"""The pages and API endpoints the benchmark measures. Add one here when you add one to the
product. API endpoints (`api=True`) are called with a "NOC lectura" Bearer token, as scripts
and the ERP call them.

Each URL is built from a `Muestra`: ids and values picked from the benchmark dataset.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Muestra:
    cliente_id: int
    conexion_id: int
    servicio_id: int
    proveedor_id: int
    nodo_id: int
    texto_busqueda: str  # a fragment of some razón social
    ruc: str
    razon_social: str
    locacion: str
    servicio_codigo: str
    nodo_nombre: str


def desordenadas(texto: str) -> str:
    """Two words of a text the other way round, in capitals and without accents: as an
    operator may type them."""
    from isp_portal.busqueda import palabras

    return " ".join(reversed(palabras(texto)[:2])).upper()


@dataclass(frozen=True)
class Pagina:
    nombre: str
    url: Callable[[Muestra], str]
    api: bool = False
    # Queries above the page's kind's budget that this page needs (a nested list's prefetch).
    consultas_extra: int = 0
    # A list page: p50 ≤ 40 ms and p95 < 60 ms (bench/__main__.py).
    lista: bool = False


PAGINAS: list[Pagina] = [
    Pagina("inicio", lambda m: "/"),
    Pagina("lista de clientes", lambda m: "/clientes_corporativo/", lista=True),
    Pagina("clientes, página 5000", lambda m: "/clientes_corporativo/?page=5000", lista=True),
    Pagina(
        "búsqueda de clientes",
        lambda m: f"/clientes_corporativo/?busqueda={m.texto_busqueda}",
        lista=True,
    ),
    Pagina(
        "búsqueda de cliente por RUC",
        lambda m: f"/clientes_corporativo/?busqueda={m.ruc}",
        lista=True,
    ),
    Pagina("detalle de cliente", lambda m: f"/clientes_corporativo/{m.cliente_id}/"),
    Pagina("lista de conexiones", lambda m: "/conexiones/", lista=True),
    Pagina("conexiones, página 5000", lambda m: "/conexiones/?page=5000", lista=True),
    Pagina(
        "conexiones filtradas",
        lambda m: "/conexiones/?estado=ACTIVO&tipo_enlace=Internet",
        lista=True,
    ),
    Pagina("detalle de conexión", lambda m: f"/conexiones/{m.conexion_id}/"),
    Pagina(
        "conexiones de un cliente", lambda m: f"/conexiones/?cliente={m.cliente_id}", lista=True
    ),
    Pagina(
        "búsqueda de conexiones", lambda m: f"/conexiones/?busqueda={m.texto_busqueda}", lista=True
    ),
    Pagina(
        "búsqueda de clientes (palabras en desorden)",
        lambda m: f"/clientes_corporativo/?busqueda={desordenadas(m.razon_social)}",
    ),
    Pagina(
        "búsqueda de conexiones por locación (en desorden)",
        lambda m: f"/conexiones/?busqueda={desordenadas(m.locacion.replace('-', ' '))}",
    ),
    Pagina(
        "búsqueda de conexiones por servicio",
        lambda m: f"/conexiones/?busqueda={m.servicio_codigo}",
    ),
    Pagina("búsqueda de conexiones por nodo", lambda m: f"/conexiones/?busqueda={m.nodo_nombre}"),
    Pagina("búsqueda de conexiones: «lima»", lambda m: "/conexiones/?busqueda=lima"),
    # The whole razón social as it reads (punctuation, a number): ranked, that client first.
    Pagina(
        "búsqueda de clientes por razón social",
        lambda m: f"/clientes_corporativo/?{urlencode({'busqueda': m.razon_social})}",
    ),
    Pagina(
        "búsqueda de conexiones por razón social",
        lambda m: f"/conexiones/?{urlencode({'busqueda': m.razon_social})}",
    ),
    Pagina("búsqueda de nodos por departamento", lambda m: "/nodos/?busqueda=apurimac", lista=True),
    Pagina("nueva conexión", lambda m: "/conexiones/nueva"),
    Pagina(
        "nueva conexión de un cliente", lambda m: f"/conexiones/nueva?cliente_id={m.cliente_id}"
    ),
    Pagina("editar conexión", lambda m: f"/conexiones/{m.conexion_id}/editar"),
    Pagina(
        "ajustar BW (formulario)",
        lambda m: f"/conexiones/{m.conexion_id}/ajustar-bw?modo=AUMENTAR",
    ),
    Pagina(
        "ajustar BW (vista previa)",
        lambda m: f"/conexiones/{m.conexion_id}/ajustar-bw/vista-previa?modo=AUMENTAR&mbps=10",
    ),
    Pagina(
        "buscar cliente (alta de conexión)", lambda m: f"/conexiones/clientes-buscar/?q={m.ruc}"
    ),
    Pagina("lista de proveedores", lambda m: "/proveedores/", lista=True),
    Pagina("detalle de proveedor", lambda m: f"/proveedores/{m.proveedor_id}/"),
    Pagina("lista de servicios de proveedor", lambda m: "/proveedores/servicios/", lista=True),
    Pagina(
        "servicios ordenados por % de uso",
        lambda m: "/proveedores/servicios/?orden=-porcentaje_uso",
        lista=True,
    ),
    Pagina(
        "detalle de servicio de proveedor", lambda m: f"/proveedores/servicios/{m.servicio_id}/"
    ),
    Pagina(
        "impacto de servicio de proveedor",
        lambda m: f"/proveedores/servicios/{m.servicio_id}/impacto",
        lista=True,
    ),
    Pagina("lista de nodos", lambda m: "/nodos/", lista=True),
    Pagina("detalle de nodo", lambda m: f"/nodos/{m.nodo_id}/"),
    Pagina("impacto de nodo", lambda m: f"/nodos/{m.nodo_id}/impacto", lista=True),
    Pagina("lista de equipos", lambda m: "/equipos/", lista=True),
    Pagina("equipos no asignados", lambda m: "/equipos/?asignado=no", lista=True),
    # --- API v1 ---------------------------------------------------------------------------
    Pagina("conexiones, 100 por página", lambda m: "/conexiones/?por_pagina=100", lista=True),
    Pagina("API conexiones", lambda m: "/v1/conexiones/listar", api=True),
    Pagina("API conexiones, 100 por página", lambda m: "/v1/conexiones/listar?limit=100", api=True),
    Pagina(
        "API conexiones filtradas",
        lambda m: "/v1/conexiones/listar?estado=ACTIVO&tipo_enlace=Internet",
        api=True,
    ),
    Pagina(
        "API búsqueda de conexiones",
        lambda m: f"/v1/conexiones/listar?busqueda={m.texto_busqueda}",
        api=True,
    ),
    Pagina(
        "API conexiones de un cliente",
        lambda m: f"/v1/conexiones/listar?cliente_id={m.cliente_id}",
        api=True,
    ),
    Pagina(
        "API conexiones de un proveedor",
        lambda m: f"/v1/conexiones/listar?proveedor={m.proveedor_id}",
        api=True,
    ),
    Pagina("API conexiones, offset 50000", lambda m: "/v1/conexiones/listar?offset=50000", True),
    Pagina("API conexión", lambda m: f"/v1/conexiones/{m.conexion_id}", api=True),
    Pagina(
        "API conexiones para desplegable",
        lambda m: f"/v1/conexiones/listar/select?busqueda={m.texto_busqueda}",
        api=True,
    ),
    Pagina(
        "API ajustes de una conexión", lambda m: f"/v1/conexiones/{m.conexion_id}/ajustes", api=True
    ),
    Pagina("API clientes", lambda m: "/v1/clientes-corporativo/listar", api=True),
    Pagina(
        "API búsqueda de clientes",
        lambda m: f"/v1/clientes-corporativo/listar?busqueda={m.texto_busqueda}",
        api=True,
    ),
    Pagina(
        "API cliente por RUC",
        lambda m: f"/v1/clientes-corporativo/listar?busqueda={m.ruc}",
        api=True,
    ),
    Pagina(
        "API clientes para desplegable",
        lambda m: f"/v1/clientes-corporativo/listar/select?busqueda={m.texto_busqueda}",
        api=True,
        consultas_extra=1,  # each client's sedes
    ),
    Pagina("API cliente", lambda m: f"/v1/clientes-corporativo/{m.cliente_id}", api=True),
    Pagina("API sedes", lambda m: "/v1/sedes/listar", api=True),
    Pagina("API sedes de un cliente", lambda m: f"/v1/sedes/cliente/{m.cliente_id}", api=True),
    Pagina("API proveedores", lambda m: "/v1/proveedores/listar", api=True),
    Pagina("API servicios de proveedor", lambda m: "/v1/servicios-proveedor/listar", api=True),
    Pagina("API nodos", lambda m: "/v1/nodos/listar", api=True),
    Pagina("API equipos", lambda m: "/v1/equipos/listar", api=True),
]


# Downloads of a whole list (?exportar=), measured once each: their time grows with the rows
# (all 200k connections here), their query count must not.
EXPORTACIONES: list[Pagina] = [
    Pagina("exportación CSV de conexiones", lambda m: "/conexiones/?exportar=csv"),
    Pagina("exportación XLSX de conexiones", lambda m: "/conexiones/?exportar=xlsx"),
]
