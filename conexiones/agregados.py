"""The 95th percentile as a database aggregate: PostgreSQL's `percentile_cont`, and on SQLite
the same interpolation registered as a Python aggregate (conexiones.apps)."""

from django.db.models import Aggregate, FloatField


class Percentil95(Aggregate):
    name = "Percentil95"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(0.95) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="percentil95", **extra_context)


def percentil(valores: list[float], fraccion: float = 0.95) -> float | None:
    """Linear interpolation between the closest ranks: what percentile_cont computes."""
    if not valores:
        return None
    ordenados = sorted(valores)
    posicion = fraccion * (len(ordenados) - 1)
    abajo = int(posicion)
    arriba = min(abajo + 1, len(ordenados) - 1)
    return ordenados[abajo] + (ordenados[arriba] - ordenados[abajo]) * (posicion - abajo)


class _Percentil95SQLite:
    def __init__(self):
        self.valores = []

    def step(self, valor):
        if valor is not None:
            self.valores.append(float(valor))

    def finalize(self):
        return percentil(self.valores)


def registrar_en_sqlite(sender, connection, **kwargs) -> None:
    """connection_created: give SQLite the percentil95 aggregate."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("percentil95", 1, _Percentil95SQLite)
