"""Search as people type: case-, accent- and word-order-insensitive.

A search text is split into words, each normalised (`normalizar`: lower case, no accents);
every word must appear somewhere in the row's search document, the normalised text of some
of its fields (`Documento`). On PostgreSQL the document is `isp_normalizar(…)`, unaccent
through an immutable wrapper (`SQL_POSTGRESQL`, run by the migrations that index it), and
trigram GIN indexes on the documents serve each word's LIKE; SQLite calls `normalizar`
itself, registered under the same name on every connection, so both databases give the
same results.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Expression, F, Func, QuerySet, TextField

FUNCION = "isp_normalizar"
MAX_PALABRAS = 8
# A search that matches more rows than this is not counted: the list shows "más de 1 000"
# and walks its order to the page, which dense matches make quick.
MAX_COINCIDENCIAS = 1000
SEPARADOR = " || ' ' || "

SQL_POSTGRESQL = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION {FUNCION}(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""


def normalizar(texto: str) -> str:
    """Lower case without accents: "Clínica HUASCARÁN" → "clinica huascaran"."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).lower()


def palabras(texto: str) -> list[str]:
    return normalizar(texto).split()[:MAX_PALABRAS]


class Documento(Func):
    """The normalised text of a row's fields, joined by spaces: what a search looks in.

    Written as `isp_normalizar(a || ' ' || b …)`; the fields must be NOT NULL text columns.
    A large table keeps it in a column with a trigram index (ClienteCorp.busqueda).
    """

    function = FUNCION
    template = "%(function)s(%(expressions)s)"
    arg_joiner = SEPARADOR
    output_field = TextField()

    @staticmethod
    def en_python(valor) -> str:
        """The document of one field's value, as the database computes it (the import checks
        a batch's unique constraints on it: clientes.Sede)."""
        return normalizar(str(valor))


def filtrar(queryset: QuerySet, texto: str, documento: Expression | str) -> QuerySet:
    """Rows whose document contains every word of `texto` (all rows if it has none).

    `documento` is a Documento or the name of a column that already holds one.
    """
    if isinstance(documento, str):
        documento = F(documento)
    consulta = queryset.alias(_documento=documento)
    for palabra in palabras(texto):
        consulta = consulta.filter(_documento__contains=palabra)
    return consulta


def buscar(
    queryset: QuerySet, texto: str, documento: Expression | str
) -> tuple[QuerySet, int | None]:
    """(rows matching every word, how many; None when more than MAX_COINCIDENCIAS).

    The trigram index finds up to MAX_COINCIDENCIAS + 1 matches in one query; when they are
    that few, the rows are returned by primary key, so any order of them is a small sort and
    their count is known. More matches are returned as the filter itself, uncounted: dense
    enough that walking the list's order finds a page quickly.
    """
    coincidencias = filtrar(queryset, texto, documento)
    ids = list(coincidencias.order_by().values_list("pk", flat=True)[: MAX_COINCIDENCIAS + 1])
    if len(ids) > MAX_COINCIDENCIAS:
        return coincidencias, None
    return queryset.filter(pk__in=ids), len(ids)


def indice_trigram(nombre: str, tabla: str, expresion: str) -> tuple[str, str]:
    """(CREATE, DROP) SQL of a PostgreSQL trigram index on a search document."""
    return (
        f"CREATE INDEX IF NOT EXISTS {nombre} ON {tabla} USING gin ({expresion} gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {nombre}",
    )


def _normalizar_sql(valor):
    return None if valor is None else normalizar(str(valor))


def _registrar_en_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCION, 1, _normalizar_sql, deterministic=True)


connection_created.connect(_registrar_en_sqlite)
