"""The connection's search document: its CID, locación and distrito, its client's razón
social and RUC, its provider service's code and provider's name and its nodes' names,
normalised (isp_portal.busqueda).

Kept in the column Conexion.busqueda by database triggers, because a search must find a
connection by its client, service or nodes with one trigram index on one table, and those
rows change through every writer (pages, admin, imports, the API): the triggers follow a
connection's own changes and a rename of its client, service, provider or nodes (or a
service moved to another provider), whoever writes it.
`instalar()` creates them; the migration calls it and so does post_migrate, because SQLite
rebuilds a table (dropping its triggers) when a migration alters it.
"""

from django.db import connection as conexion_por_defecto

from isp_portal.busqueda import FUNCION, SEPARADOR

TABLA = "conexiones_conexion"


def documento_sql(fila: str) -> str:
    """The document of the connection `fila` ("NEW." in a row trigger, the table name in an
    UPDATE of connections)."""

    def de(columnas: str, tabla: str, clave: str) -> str:
        return f"COALESCE((SELECT {columnas} FROM {tabla} WHERE x.id = {fila}{clave}), '')"

    partes = [
        f"{fila}cid_enlace",
        f"{fila}locacion",
        f"{fila}distrito",
        de("x.razon_social || ' ' || x.ruc", "clientes_clientecorp x", "cliente_id"),
        de(
            "x.codigo || ' ' || p.nombre",
            "proveedores_servicioproveedor x JOIN proveedores_proveedor p ON p.id = x.proveedor_id",
            "servicio_id",
        ),
        de("x.nombre", "conexiones_nodo x", "nodo_a_id"),
        de("x.nombre", "conexiones_nodo x", "nodo_b_id"),
    ]
    return f"{FUNCION}({SEPARADOR.join(partes)})"


ACTUALIZAR = f"UPDATE {TABLA} SET busqueda = {documento_sql(TABLA + '.')}"

# Columns of the connection that its document reads.
PROPIAS = "cid_enlace, locacion, distrito, cliente_id, servicio_id, nodo_a_id, nodo_b_id"
# (table, columns its connections' documents read, which of its connections)
AJENAS = [
    ("clientes_clientecorp", ("razon_social", "ruc"), "{t}cliente_id = {id}"),
    ("proveedores_servicioproveedor", ("codigo", "proveedor_id"), "{t}servicio_id = {id}"),
    (
        "proveedores_proveedor",
        ("nombre",),
        "{t}servicio_id IN (SELECT s.id FROM proveedores_servicioproveedor s"
        " WHERE s.proveedor_id = {id})",
    ),
    ("conexiones_nodo", ("nombre",), "({t}nodo_a_id = {id} OR {t}nodo_b_id = {id})"),
]


def _postgresql() -> list[str]:
    sentencias = [
        f"""CREATE OR REPLACE FUNCTION conexion_busqueda() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.busqueda := {documento_sql("NEW.")}; RETURN NEW; END $$""",
        f"DROP TRIGGER IF EXISTS conexion_busqueda ON {TABLA}",
        f"""CREATE TRIGGER conexion_busqueda BEFORE INSERT OR UPDATE OF {PROPIAS} ON {TABLA}
        FOR EACH ROW EXECUTE FUNCTION conexion_busqueda()""",
    ]
    for tabla, columnas, cuales in AJENAS:
        # Once per statement, over the rows it changed: an import renaming thousands of
        # clients updates their connections in one statement per batch.
        cambio = " OR ".join(f"n.{c} IS DISTINCT FROM v.{c}" for c in columnas)
        sentencias += [
            f"""CREATE OR REPLACE FUNCTION {tabla}_busqueda() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
                {ACTUALIZAR} FROM nuevos n JOIN viejos v ON v.id = n.id
                WHERE ({cambio}) AND {cuales.format(t=TABLA + ".", id="n.id")};
                RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS {tabla}_busqueda ON {tabla}",
            f"""CREATE TRIGGER {tabla}_busqueda AFTER UPDATE ON {tabla}
            REFERENCING OLD TABLE AS viejos NEW TABLE AS nuevos
            FOR EACH STATEMENT EXECUTE FUNCTION {tabla}_busqueda()""",
        ]
    return sentencias


def _sqlite() -> list[str]:
    sentencias = []
    for nombre, evento in (("alta", "INSERT"), ("cambio", f"UPDATE OF {PROPIAS}")):
        sentencias += [
            f"DROP TRIGGER IF EXISTS conexion_busqueda_{nombre}",
            f"""CREATE TRIGGER conexion_busqueda_{nombre} AFTER {evento} ON {TABLA}
            BEGIN {ACTUALIZAR} WHERE id = NEW.id; END""",
        ]
    for tabla, columnas, cuales in AJENAS:
        sentencias += [
            f"DROP TRIGGER IF EXISTS {tabla}_busqueda",
            f"""CREATE TRIGGER {tabla}_busqueda AFTER UPDATE OF {", ".join(columnas)} ON {tabla}
            BEGIN {ACTUALIZAR} WHERE {cuales.format(t="", id="NEW.id")}; END""",
        ]
    return sentencias


def instalar(conexion=conexion_por_defecto) -> None:
    """Create (or re-create) the triggers that keep Conexion.busqueda."""
    sentencias = _postgresql() if conexion.vendor == "postgresql" else _sqlite()
    with conexion.cursor() as cursor:
        for sentencia in sentencias:
            cursor.execute(sentencia)


def recalcular(conexion=conexion_por_defecto) -> None:
    """Rewrite every connection's document (after installing the triggers)."""
    with conexion.cursor() as cursor:
        cursor.execute(ACTUALIZAR)
