"""The writes of a batch: inserts, updates and their change history, a few statements each.

Inserts are bulk_create. Updates are not bulk_update, whose CASE WHEN per field as long as
the batch grows with its square: 7.5 s of Python and SQLite for 20,000 changed clients, and
on PostgreSQL it put the benchmark's import at 0.16–0.28 of bare bulk_create. Instead, on
PostgreSQL (the one backend-specific path) the batch's rows travel as one JSON parameter that
the table itself types: `UPDATE … FROM json_populate_recordset(NULL::<table>, …)`, one
statement (0.54–0.63 of bare bulk_create). Elsewhere one prepared UPDATE runs once per row
(`executemany`): 0.34 s for those 20,000 clients on SQLite.

The history rows are copied by the database from the rows just written, on every backend
(one INSERT … SELECT built by the ORM): nothing is read back into Python.
"""

import json
from datetime import date

from django.db import connection, models
from django.db.models import Case, Value, When
from django.utils import timezone


def crear(modelo: type[models.Model], objetos: list[models.Model]) -> None:
    if objetos:
        modelo._base_manager.bulk_create(objetos)


def actualizar(modelo: type[models.Model], objetos: list[models.Model], atributos: set[str]):
    """Write `atributos` (attnames) of stored objects; `auto_now` fields get the time now."""
    if not objetos:
        return
    meta = modelo._meta
    campos = [meta.get_field(a) for a in sorted(atributos)]
    ahora = timezone.now()
    for campo in meta.concrete_fields:
        if getattr(campo, "auto_now", False):
            campos.append(campo)
            for objeto in objetos:
                setattr(objeto, campo.attname, ahora)
    if connection.vendor == "postgresql":
        _actualizar_postgresql(modelo, objetos, campos)
        return
    qn = connection.ops.quote_name
    asignaciones = ", ".join(f"{qn(c.column)} = %s" for c in campos)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(meta.db_table)} SET {asignaciones} WHERE {qn(meta.pk.column)} = %s",
            [
                [*(c.get_db_prep_save(getattr(o, c.attname), connection) for c in campos), o.pk]
                for o in objetos
            ],
        )


def _actualizar_postgresql(modelo, objetos, campos) -> None:
    """One UPDATE; each row is {column: value} in the JSON document. The values are the
    converters' (str, int, bool, date, None) or aware datetimes: JSON and ISO 8601 carry them
    as they are, without a get_db_prep_save per cell."""
    meta = modelo._meta
    qn = connection.ops.quote_name
    pares = [(c.column, c.attname) for c in [meta.pk, *campos]]
    documento = json.dumps(
        [{columna: getattr(o, atributo) for columna, atributo in pares} for o in objetos],
        default=_json,
        ensure_ascii=False,
    )
    tabla, pk = qn(meta.db_table), qn(meta.pk.column)
    asignaciones = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in campos)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {tabla} AS t SET {asignaciones} "
            f"FROM json_populate_recordset(NULL::{tabla}, %s) AS v WHERE t.{pk} = v.{pk}",
            [documento],
        )


def _json(valor):
    if isinstance(valor, date):  # datetime too
        return valor.isoformat()
    return str(valor)


def historial(modelo, *, nuevos: list, cambiados: list, motivo: str, usuario=None) -> None:
    """One history row (django-simple-history) per object written, as a save() in the UI
    records it: type "+" for `nuevos`, "~" for `cambiados`, with the change reason `motivo`
    and the user. One INSERT … SELECT from the model's table for the whole batch."""
    if not (nuevos or cambiados):
        return
    historico = modelo.history.model
    meta = historico._meta
    ids_nuevos = [o.pk for o in nuevos]
    tipo = Value("+") if not cambiados else Value("~")
    if nuevos and cambiados:
        tipo = Case(When(pk__in=ids_nuevos, then=Value("+")), default=Value("~"))
    motivo = motivo[: meta.get_field("history_change_reason").max_length]
    seleccion = (
        modelo._base_manager.filter(pk__in=ids_nuevos + [o.pk for o in cambiados])
        .order_by()
        .values_list(
            *[f.attname for f in historico.tracked_fields],
            Value(timezone.now(), output_field=models.DateTimeField()),
            Value(motivo),
            tipo,
            Value(getattr(usuario, "pk", None), output_field=models.IntegerField()),
        )
    )
    sql, parametros = seleccion.query.sql_with_params()
    columnas = [f.column for f in historico.tracked_fields] + [
        meta.get_field(nombre).column
        for nombre in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(map(qn, columnas))}) {sql}", parametros
        )
