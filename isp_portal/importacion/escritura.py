"""Batch writes: bulk_create / bulk_update, with a COPY path on PostgreSQL.

On PostgreSQL the rows travel with COPY (inserts straight into the table, updates into a
temporary table joined by `UPDATE … FROM`): bulk_update's CASE WHEN chains grow with the
batch size and building the SQL of thousands of parameters costs more than the database
work. Other backends use Django's bulk_create / bulk_update.
"""

import itertools
import re

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


def actualizar_en_bloque(modelo, objetos: list, campos: list[str], lote: int = 5000) -> None:
    """Write `campos` of existing rows."""
    if not _es_postgres():
        modelo.objects.bulk_update(objetos, campos, batch_size=500)
        return
    # UPDATE … FROM unnest(one array per column): a handful of parameters whatever the
    # number of rows, and a plan that joins on the primary key index.
    qn = connection.ops.quote_name
    meta = modelo._meta
    fields = [meta.pk] + [meta.get_field(c) for c in campos]
    tipos = [
        re.sub(r"\(.*\)", "", f.rel_db_type(connection) if f.primary_key else f.db_type(connection))
        for f in fields
    ]
    columnas = ", ".join(qn(f.column) for f in fields)
    arreglos = ", ".join(f"%s::{tipo}[]" for tipo in tipos)
    asignaciones = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    pk = qn(meta.pk.column)
    sql = (
        f"UPDATE {qn(meta.db_table)} AS t SET {asignaciones} "
        f"FROM unnest({arreglos}) AS v({columnas}) WHERE t.{pk} = v.{pk}"
    )
    directos = all(isinstance(f, _TIPOS_DIRECTOS) for f in fields)
    with connection.cursor() as cursor:
        for inicio in range(0, len(objetos), lote):
            parte = objetos[inicio : inicio + lote]
            if directos:
                valores = [[obj.__dict__[f.attname] for obj in parte] for f in fields]
            else:
                valores = [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in parte]
                    for f in fields
                ]
            cursor.execute(sql, valores)


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
