"""The one list engine of the pages (generic.ObjectListView) and the API (api.vistas.VistaLista).

A list is a filtered queryset, an order and a window of it: the window's ids are read first
(an index walk over `values_list("pk")`, no joins), then their rows; the total comes from the
search's own count, a count that stops at a cap, or for a large plain list the planner's
estimate, so no list counts 200 000 rows to show ten.
"""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Func

from . import busqueda

# Page sizes offered on every list (`?por_pagina=`); the first is the default.
TAMANOS_DE_PAGINA = (10, 25, 50, 100)
# Below this many rows a list is counted exactly; above, an unfiltered or dense list shows
# the planner's estimate ("≈ 200 000"): COUNT(*) over 200 000 rows costs ~36 ms.
CONTEO_EXACTO_HASTA = 10_000


class SortWithoutIndex(Func):
    """A text column in its own order (same collation, same NULLs) that no index serves:
    `(col || '')` on PostgreSQL.

    With `ORDER BY razon_social LIMIT 10` and a search matching 5% of the rows, PostgreSQL
    walks the razón social index testing row after row, expecting a match every 20 rows; the
    matches of a word cluster (every "Servicios Logísticos …" sorts under S), so it tested
    84,000 rows. Unable to walk, it takes the matches from the search's indexes and sorts
    them: a cost that follows the matches, not where they sort.
    """

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s || '')")


def ordenar(queryset, claves: list, *, sin_indice: bool = False, por_rango: bool = False):
    """`queryset` in the order of `claves`; `sin_indice` sorts the matches of a search rather
    than walking the first key's index (SortWithoutIndex); `por_rango` puts a search's best
    matches first (isp_portal.busqueda), as a list does unless a column is chosen."""
    claves = list(claves)
    if claves and sin_indice:
        primera = claves[0]
        clave = SortWithoutIndex(F(primera.lstrip("-")))
        claves[0] = clave.desc() if primera.startswith("-") else clave.asc()
    if por_rango:
        return busqueda.ordenar(queryset, claves)
    return queryset.order_by(*claves) if claves else queryset


def contar_hasta(queryset, tope: int) -> int:
    """The rows of `queryset`, counted up to tope + 1 (a count that stops)."""
    return queryset.order_by().values("pk")[: tope + 1].count()


def pocas_coincidencias(queryset, conteo: int | None, limite: int) -> bool:
    """Whether a search matched at most `limite` rows (then sorted, see SortWithoutIndex);
    counted up to `limite` when the search did not count them. `limite` 0: never."""
    if not limite:
        return False
    if conteo is None:
        conteo = contar_hasta(queryset, limite)
    return conteo <= limite


def ventana(queryset, inicio: int, fin: int) -> list:
    """Rows `inicio:fin` of an ordered queryset (see consulta_de_ventana)."""
    return list(consulta_de_ventana(queryset, inicio, fin))


def consulta_de_ventana(queryset, inicio: int, fin: int):
    """Rows `inicio:fin` of an ordered queryset: their ids first, then the rows, in one query.

    `OFFSET 49990 LIMIT 10` over the list's queryset builds, joins and skips 49,990 rows.
    Over `values_list("pk")` of it (no select_related: only the tables its filters and its
    order need) an index walk skips 49,990 ids; the 10 rows are then joined and sorted again
    by the same order (10 rows).
    """
    ids = busqueda.ids(queryset)[inicio:fin]
    return queryset.filter(pk__in=ids)


def contar(queryset) -> tuple[int, bool, bool]:
    """(rows, estimated, more than that) of a list, in one query for most lists.

    SQLite counts. On PostgreSQL a queryset without conditions takes its table's
    pg_class.reltuples (kept by VACUUM and ANALYZE) when it is CONTEO_EXACTO_HASTA or more,
    and counts otherwise, in the same query; a filtered one is counted up to that cap and,
    past it, EXPLAINed for the planner's figure (a second query, only for a large list).
    """
    conexion = connections[queryset.db]
    base = queryset.order_by()
    if conexion.vendor != "postgresql":
        return base.count(), False, False
    tope = CONTEO_EXACTO_HASTA
    with conexion.cursor() as cursor:
        if not base.query.where:
            sql, parametros = base.values("pk").query.sql_with_params()
            # The count is an InitPlan: PostgreSQL runs it only when the CASE needs it.
            cursor.execute(
                "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM ({sql}) AS filas) END, c.reltuples >= %s "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                [tope, *parametros, tope, queryset.model._meta.db_table],
            )
            filas, estimado = cursor.fetchone()
            return filas, estimado, False
        filas = contar_hasta(base, tope)
        if filas <= tope:
            return filas, False, False
        sql, parametros = base.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", parametros)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimadas = int(plan[0]["Plan"]["Plan Rows"])
    if estimadas > tope:
        return estimadas, True, False
    # The planner expects fewer rows than were just counted: say no more than that.
    return tope, False, True


def redondeo(filas: int) -> int:
    """An estimate to its three leading figures (203 417 → 203 000): no false precision."""
    cifras = len(str(filas))
    paso = 10 ** max(cifras - 3, 0)
    return round(filas / paso) * paso


class IdPaginator(Paginator):
    """Pages a queryset by its ids (see `ventana`).

    `conteo` is a count known beforehand (a search's); `mas_de` means there are more rows than
    that and only those are paged; `estimar` takes a large list's total from the planner
    (`contar`, shown as "≈ N"). Otherwise it counts, as Django's Paginator.
    """

    def __init__(self, object_list, per_page, *, conteo=None, mas_de=False, estimar=False, **kw):
        super().__init__(object_list, per_page, **kw)
        self.conteo = conteo
        self.mas_de = mas_de
        self.estimar = estimar
        self.estimado = False

    @cached_property
    def count(self):
        if self.conteo is not None:
            return self.conteo
        if not self.estimar:
            return self.object_list.order_by().count()
        filas, self.estimado, mas_de = contar(self.object_list)
        self.mas_de = self.mas_de or mas_de
        return redondeo(filas) if self.estimado else filas

    def page(self, number):
        number = self.validate_number(number)
        inicio = (number - 1) * self.per_page
        fin = inicio + self.per_page
        if self.mas_de and not self.estimado:
            fin = min(fin, self.count)  # only the rows a capped search counted are paged
        filas = ventana(self.object_list, inicio, fin)
        if self.estimado and len(filas) < self.per_page and (filas or number == 1):
            # The last page: the true total is known without counting.
            self.__dict__["count"] = inicio + len(filas)
            self.__dict__.pop("num_pages", None)
            self.estimado = False
        elif self.estimado and not filas:
            # The estimate ran past the end: count, and show the true last page.
            self.__dict__["count"] = self.object_list.order_by().count()
            self.__dict__.pop("num_pages", None)
            self.estimado = False
            return self.page(self.num_pages)
        return self._get_page(filas, number, self)


def por_pagina(request, *, clave_sesion: str = "por_pagina") -> int:
    """The rows per page: `?por_pagina=` when it is one of TAMANOS_DE_PAGINA (remembered in
    the user's session for every list), else the remembered one, else the first."""
    pedido = request.GET.get("por_pagina", "")
    sesion = getattr(request, "session", None)
    ofrecidos = {str(n): n for n in TAMANOS_DE_PAGINA}
    if pedido in ofrecidos:
        tamano = ofrecidos[pedido]
        if sesion is not None and sesion.get(clave_sesion) != tamano:
            sesion[clave_sesion] = tamano
        return tamano
    recordado = sesion.get(clave_sesion) if sesion is not None else None
    return recordado if recordado in TAMANOS_DE_PAGINA else TAMANOS_DE_PAGINA[0]
