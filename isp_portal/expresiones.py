"""Database expressions shared by the apps' selectors."""

from django.db.models import Func, JSONField


class ListaJson(Func):
    """The values of a column over the rows of a (sub)query as one JSON array, or NULL when
    there are none: JSONB_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite.

    Used as `Subquery(qs.values(lista=ListaJson("pk")))`: an aggregate without GROUP BY, so
    a list of related ids comes with each row of the outer query instead of a second query.
    """

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
