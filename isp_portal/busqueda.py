"""Search as people type: case-, accent-, punctuation- and word-order-insensitive, ranked.

A search text is split into words, each normalised (`normalizar`); every word must appear in
the row's search document, the normalised text of some of its fields (`Documento`). A word
of letters matches anywhere ("huasc" finds "Huascarán"); a word of digits matches a number
from its start ("2010" finds the RUC 20100017491, "007" does not). Rows are ranked: the
whole search as a phrase first, then rows holding every word whole, then the rest (`rango`).

The normalisation rule lives here once (NFKD, `UNEN`, `_QUITAR`, `_SEPARADORES`):
PostgreSQL's `isp_normalizar` is generated from it (`SQL_POSTGRESQL`, run by the migrations
that build the documents) and SQLite calls `documento`, built from the same steps and
registered under the same name, so both databases give the same results. On PostgreSQL
trigram GIN indexes on the documents serve each word's LIKE (and a number's regular
expression).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Case, Expression, F, Func, Q, QuerySet, TextField, Value, When
from django.db.models import IntegerField as _Entero
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

FUNCION = "isp_normalizar"
MAX_PALABRAS = 8
# A search that matches more rows than this is not counted: the list shows "más de 1 000"
# and walks its order to the page, which dense matches make quick.
MAX_COINCIDENCIAS = 1000
SEPARADOR = " || ' ' || "
# The alias of a search's rank on the queryset it returns (see `ordenar`).
RANGO = "_rango_busqueda"
_DOCUMENTO = "_documento_busqueda"

# --- The rule -------------------------------------------------------------------------------
# 1. Unicode compatibility decomposition (NFKD): "Á" is "A" and an accent, "ﬁ" is "fi", "²"
#    is "2"; then A-Z become a-z (other letters are left as they are, and separate words).
# 2. Accents and these marks are dropped, joining what they split: "S.A.C." → "sac",
#    "D'Onofrio" → "donofrio", "20.100.017.491" → "20100017491".
UNEN = ".'’´`"
_QUITAR = r"[\u0300-\u036f" + UNEN + "]+"
# 3. Any other character separates words: "CIR-ANC-777" → "cir anc 777".
_SEPARADORES = "[^a-z0-9]+"
# A document is its words joined by one space, with a space at each end, so that a whole
# word is " word " and the start of a number is a non-digit followed by it. The patterns
# above are read alike by Python's re and PostgreSQL's regular expressions.
_MINUSCULAS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _literal(texto: str) -> str:
    return "'" + texto.replace("'", "''") + "'"


# lower() under the "C" collation changes A-Z only, whatever the database's locale.
SQL_POSTGRESQL = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION {FUNCION}(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT ' ' || btrim(regexp_replace(
        regexp_replace(lower(normalize($1, NFKD) COLLATE "C"), {_literal(_QUITAR)}, '', 'g'),
        {_literal(_SEPARADORES)}, ' ', 'g'
    )) || ' ' $$;
"""


def normalizar(texto: str) -> str:
    """The words of a text, normalised and joined by one space:
    "Clínica HUASCARÁN S.A.C." → "clinica huascaran sac"."""
    descompuesto = unicodedata.normalize("NFKD", texto).translate(_MINUSCULAS)
    return re.sub(_SEPARADORES, " ", re.sub(_QUITAR, "", descompuesto)).strip()


def documento(texto: str) -> str:
    """What isp_normalizar gives: the normalised words with a space at each end."""
    return f" {normalizar(texto)} "


def palabras(texto: str) -> list[str]:
    return normalizar(texto).split()[:MAX_PALABRAS]


class Documento(Func):
    """The normalised text of a row's fields: what a search looks in.

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
        return documento(str(valor))


@dataclass(frozen=True)
class Busqueda:
    """The words of a search and what they ask of a document (the alias _DOCUMENTO)."""

    palabras: tuple[str, ...]

    @classmethod
    def de(cls, texto: str) -> "Busqueda":
        return cls(tuple(palabras(texto)))

    def coincide(self, *, indexable: bool = True) -> Q:
        """Every word in the document: a number from its start, other words anywhere."""
        condicion = Q()
        for palabra in self.palabras:
            condicion &= _contiene(palabra, indexable)
            if palabra.isdigit():
                # The LIKE lets the trigram index find the rows; the expression checks that
                # the number starts there (the document starts with a space).
                condicion &= Q(**{f"{_DOCUMENTO}__regex": f"[^0-9]{palabra}"})
        return condicion

    def niveles(self, *, indexable: bool = True) -> list[tuple[int, Q]]:
        """(rank, condition) of each rank in order: 0, the search as a phrase (its words
        whole and in order); 1, every word whole; 2, the rest of the matches. One word is
        its own phrase: 0 or 2.

        `indexable=False` writes the conditions so that no index can serve them: PostgreSQL
        then walks the list's order rather than trusting its estimate of a trigram match,
        often a hundred times too low (see `ordenar`)."""
        enteras = Q()
        for palabra in self.palabras:
            enteras &= _contiene(f" {palabra} ", indexable)
        if len(self.palabras) == 1:
            return [(0, enteras), (2, ~enteras)]
        frase = _contiene(f" {' '.join(self.palabras)} ", indexable)
        return [(0, frase), (1, enteras & ~frase), (2, ~enteras)]


def _contiene(texto: str, indexable: bool = True) -> Q:
    if indexable:
        return Q(**{f"{_DOCUMENTO}__contains": texto})
    return Q(GreaterThan(StrIndex(F(_DOCUMENTO), Value(texto)), 0))


class Rango(Case):
    """The rank of a search's rows (Busqueda.niveles) and what the search saw of them:
    `muestra` is None when every match was counted, else {rank: rows} among the first
    MAX_COINCIDENCIAS + 1 matches (see `ordenar`)."""

    def __init__(
        self,
        busqueda: Busqueda,
        muestra: dict[int, int] | None = None,
        previo: QuerySet | None = None,
    ):
        niveles = busqueda.niveles()
        super().__init__(
            *(When(condicion, then=Value(valor)) for valor, condicion in niveles[:-1]),
            default=Value(niveles[-1][0]),
            output_field=_Entero(),
        )
        self.busqueda = busqueda
        self.muestra = muestra
        # The rows before the search (with its document), for the ranks walked.
        self.previo = previo


def filtrar(
    queryset: QuerySet, busqueda: Busqueda | str, documento: Expression | str
) -> QuerySet:
    """Rows whose document holds every word of the search (a text or a Busqueda).

    `documento` is a Documento or the name of a column that already holds one.
    """
    if isinstance(busqueda, str):
        busqueda = Busqueda.de(busqueda)
    return _con_documento(queryset, documento).filter(busqueda.coincide())


def _con_documento(queryset: QuerySet, documento: Expression | str) -> QuerySet:
    return queryset.alias(**{_DOCUMENTO: F(documento) if isinstance(documento, str) else documento})


def buscar(
    queryset: QuerySet, texto: str, documento: Expression | str
) -> tuple[QuerySet, int | None]:
    """(rows matching every word, how many; None when more than MAX_COINCIDENCIAS), with
    their rank as the alias RANGO (order them with `ordenar`).

    The trigram index finds up to MAX_COINCIDENCIAS + 1 matches, with their rank, in one
    query; when they are that few, the rows are returned by primary key, so any order of
    them is a small sort and their count is known. More matches are returned as the filter
    itself, uncounted, with how many of those seen had each rank.
    """
    busqueda = Busqueda.de(texto)
    if not busqueda.palabras:
        return queryset, None
    coincidencias = filtrar(queryset, busqueda, documento)
    vistas = list(
        coincidencias.order_by().values_list("pk", Rango(busqueda))[: MAX_COINCIDENCIAS + 1]
    )
    if len(vistas) > MAX_COINCIDENCIAS:
        muestra = dict(Counter(rango for _, rango in vistas))
        previo = _con_documento(queryset, documento)
        return coincidencias.alias(**{RANGO: Rango(busqueda, muestra, previo)}), None
    pocas = queryset.filter(pk__in=[pk for pk, _ in vistas])
    return _con_documento(pocas, documento).alias(**{RANGO: Rango(busqueda)}), len(vistas)


# A rank with at least this many rows among the first matches a search saw is walked along
# the index of the list's order; fewer are sorted (see `ordenar`).
MUESTRA_DENSA = 100


def ordenar(queryset: QuerySet, claves: list) -> QuerySet:
    """`queryset` in the order `claves`, its best search matches first (see `buscar`).

    When the matches are many and the order is a column, PostgreSQL would rank and sort
    them all to show ten. Their page is then taken from one ordered query per rank, run in
    turn until the page is full (`ids`): a rank many matches have walks the order's index
    (as a list without a search), one few have is sorted.
    """
    rango = queryset.query.annotations.get(RANGO)
    if not isinstance(rango, Rango):
        return queryset.order_by(*claves) if claves else queryset
    claves = list(claves) or [*queryset.model._meta.ordering, "pk"]
    ordenado = queryset.order_by(RANGO, *claves)
    caminable = bool(claves) and isinstance(claves[0], str)
    conexion = connections[queryset.db]
    if rango.muestra is None or not caminable:
        return ordenado
    if not conexion.features.supports_slicing_ordering_in_compound:
        return ordenado  # SQLite: the same order, without the walk
    base = queryset.order_by()
    ramas = []
    # A walked rank is read from the rows before the search, with conditions no index
    # serves (they imply the search's): the planner then walks rather than believe the
    # trigram index finds a few rows.
    sin_indice = rango.busqueda.coincide(indexable=False)
    for (valor, indexada), (_, recorrida) in zip(
        rango.busqueda.niveles(), rango.busqueda.niveles(indexable=False), strict=True
    ):
        if rango.muestra.get(valor, 0) >= MUESTRA_DENSA:
            previo = rango.previo.order_by().filter(sin_indice, recorrida)
            ramas.append(previo.order_by(*claves))
        else:
            # Sorted: PostgreSQL cannot walk an index past the rank.
            ramas.append(base.filter(indexada).order_by(RANGO, *claves))
    ordenado._ramas_busqueda = ramas
    return ordenado


def ids(queryset: QuerySet):
    """The primary keys of `queryset` in its order, to slice (a page): those of `ordenar`'s
    queries by rank when it made them."""
    ramas = getattr(queryset, "_ramas_busqueda", None)
    return _IdsPorRango(ramas) if ramas else queryset.values_list("pk", flat=True)


class _IdsPorRango:
    """Slices of the ids of ordered queries, one after the other: `(q0 LIMIT n) UNION ALL
    (q1 LIMIT n) … LIMIT … OFFSET …`. PostgreSQL runs the parts of a UNION ALL in turn and
    stops when the limit is reached, so the ranks after the page's are never read."""

    ordered = True

    def __init__(self, ramas: list[QuerySet]):
        self.ramas = ramas

    def __getitem__(self, corte: slice) -> QuerySet:
        fin = corte.stop
        primera, *resto = (rama.values_list("pk", flat=True)[:fin] for rama in self.ramas)
        return primera.union(*resto, all=True)[corte.start or 0 : fin]


def indice_trigram(nombre: str, tabla: str, expresion: str) -> tuple[str, str]:
    """(CREATE, DROP) SQL of a PostgreSQL trigram index on a search document."""
    return (
        f"CREATE INDEX IF NOT EXISTS {nombre} ON {tabla} USING gin ({expresion} gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {nombre}",
    )


def _documento_sql(valor):
    return None if valor is None else documento(str(valor))


def _registrar_en_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCION, 1, _documento_sql, deterministic=True)


connection_created.connect(_registrar_en_sqlite)
