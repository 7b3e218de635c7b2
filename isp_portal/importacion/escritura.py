"""Batch writes: bulk_create / bulk_update, with a COPY path on PostgreSQL.

On PostgreSQL the rows travel with COPY (inserts straight into the table, updates into a
temporary table joined by `UPDATE … FROM`): bulk_update's CASE WHEN chains grow with the
batch size and building the SQL of thousands of parameters costs more than the database
work. Other backends use Django's bulk_create / bulk_update.
"""

import itertools

from django.db import connection, models
from django.utils import timezone

_contador = itertools.count()

# Values psycopg adapts as they are: no get_db_prep_save per cell (the hot path).
_TIPOS_DIRECTOS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # DateTimeField too: aware datetimes with USE_TZ
    models.ForeignKey,
)


def _es_postgres() -> bool:
    return connection.vendor == "postgresql"


def crear_en_bloque(modelo, objetos: list) -> None:
    """Insert new rows (their primary keys are not read back on PostgreSQL)."""
    if not _es_postgres():
        modelo.objects.bulk_create(objetos)
        return
    campos = [f for f in modelo._meta.concrete_fields if not f.primary_key and not f.generated]
    ahora = timezone.now()
    for f in campos:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objetos:
                setattr(obj, f.attname, ahora)
    _copiar(modelo._meta.db_table, campos, objetos)


def actualizar_en_bloque(modelo, objetos: list, campos: list[str]) -> None:
    """Write `campos` of existing rows."""
    if not _es_postgres():
        modelo.objects.bulk_update(objetos, campos, batch_size=500)
        return
    qn = connection.ops.quote_name
    meta = modelo._meta
    fields = [meta.pk] + [meta.get_field(c) for c in campos]
    temporal = qn(f"importacion_{meta.db_table}_{next(_contador)}")
    definicion = ", ".join(
        f"{qn(f.column)} {f.rel_db_type(connection) if f.primary_key else f.db_type(connection)}"
        for f in fields
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {temporal} ({definicion}) ON COMMIT DROP")
    _copiar(temporal, fields, objetos, tabla_citada=True)
    with connection.cursor() as cursor:
        asignaciones = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
        pk = qn(meta.pk.column)
        cursor.execute(
            f"UPDATE {qn(meta.db_table)} AS t SET {asignaciones} "
            f"FROM {temporal} AS v WHERE t.{pk} = v.{pk}"
        )
        cursor.execute(f"DROP TABLE {temporal}")


def _copiar(tabla: str, campos: list, objetos: list, *, tabla_citada: bool = False) -> None:
    """COPY the objects' values of `campos` into `tabla`."""
    qn = connection.ops.quote_name
    columnas = ", ".join(qn(f.column) for f in campos)
    nombre = tabla if tabla_citada else qn(tabla)
    directos = all(isinstance(f, _TIPOS_DIRECTOS) for f in campos)
    atributos = [f.attname for f in campos]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {nombre} ({columnas}) FROM STDIN") as copia,
    ):
        for obj in objetos:
            if directos:
                valores = obj.__dict__
                copia.write_row([valores[a] for a in atributos])
            else:
                copia.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in campos]
                )
