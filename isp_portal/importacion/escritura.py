"""Batch writes of an import: inserts, updates, their change history, and `IN` lists.

A batch travels as one JSON document per statement, encoded by the C `json` module: on
PostgreSQL `json_populate_recordset(NULL::<table>, …)` types every value from the table
itself, so an insert or an update of thousands of rows is one parameter, where Django's
bulk_create/bulk_update would bind (and build SQL for) one parameter per cell. Other
backends use bulk_create/bulk_update. The history rows are copied by the database from the
rows just written, on every backend: no read-back into Python.
"""

import json
from datetime import date

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

# Values the json module writes as they are: no get_db_prep_save per cell (the hot path).
_TIPOS_DIRECTOS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # DateTimeField too: aware datetimes as ISO 8601
    models.ForeignKey,
)


def _es_postgres() -> bool:
    return connection.vendor == "postgresql"


def _iso(valor):
    if isinstance(valor, date):  # datetime too
        return valor.isoformat()
    raise TypeError(f"{type(valor).__name__} no es serializable")


def _documento(campos: list, objetos: list) -> str:
    """The rows as a JSON array of {column: value}."""
    if all(isinstance(f, _TIPOS_DIRECTOS) for f in campos):
        pares = [(f.column, f.attname) for f in campos]
        filas = [{c: obj.__dict__[a] for c, a in pares} for obj in objetos]
    else:
        filas = [
            {f.column: f.get_db_prep_save(getattr(obj, f.attname), connection) for f in campos}
            for obj in objetos
        ]
    return json.dumps(filas, default=_iso, ensure_ascii=False)


class Escritura:
    """The inserts and updates of one batch, with a change-history row for each row written
    when `motivo` is given (the change reason; no user).

    Built without the database (the import builds it in its helper thread, encoding included),
    then `ejecutar()` on the import's connection. Timestamps are set here, once for the batch.
    """

    def __init__(
        self, modelo, *, nuevos: list, actualizados: list, campos: set[str], motivo=None
    ):
        self.modelo = modelo
        self.nuevos = nuevos
        self.actualizados = actualizados
        if motivo is not None:
            campo = modelo.history.model._meta.get_field("history_change_reason")
            motivo = motivo[: campo.max_length]
        self.motivo = motivo
        meta = modelo._meta
        ahora = timezone.now()
        escritos = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
        # Columns every row of the batch gets the same value in: one SQL parameter each.
        self.comunes_nuevos = {
            f: ahora
            for f in escritos
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        self.comunes_actualizados = {f: ahora for f in escritos if getattr(f, "auto_now", False)}
        self.campos = [
            f for f in map(meta.get_field, sorted(campos)) if f not in self.comunes_actualizados
        ]
        self.escritos = [f for f in escritos if f not in self.comunes_nuevos]
        if _es_postgres():
            self.documento_nuevos = _documento(self.escritos, nuevos) if nuevos else None
            self.documento_actualizados = (
                _documento([meta.pk, *self.campos], actualizados) if actualizados else None
            )
        else:
            for obj in nuevos:
                obj.__dict__.update({f.attname: v for f, v in self.comunes_nuevos.items()})
            for obj in actualizados:
                obj.__dict__.update({f.attname: v for f, v in self.comunes_actualizados.items()})

    def ejecutar(self) -> None:
        if not (self.nuevos or self.actualizados):
            return
        if not _es_postgres():
            self._ejecutar_con_el_orm()
            return
        # One statement: the insert and the update as data-modifying CTEs, and the history
        # rows copied from what they return.
        qn = connection.ops.quote_name
        meta = self.modelo._meta
        tabla = qn(meta.db_table)
        pk = qn(meta.pk.column)
        ctes, parametros, tipos = [], [], []
        if self.nuevos:
            columnas = [*self.escritos, *self.comunes_nuevos]
            valores = [qn(f.column) for f in self.escritos] + ["%s"] * len(self.comunes_nuevos)
            ctes.append(
                f"nuevos AS (INSERT INTO {tabla} ({', '.join(qn(f.column) for f in columnas)}) "
                f"SELECT {', '.join(valores)} "
                f"FROM json_populate_recordset(NULL::{tabla}, %s) RETURNING *)"
            )
            parametros += [*self.comunes_nuevos.values(), self.documento_nuevos]
            tipos.append(("nuevos", "+"))
        if self.actualizados:
            asignaciones = [f"{qn(f.column)} = v.{qn(f.column)}" for f in self.campos]
            asignaciones += [f"{qn(f.column)} = %s" for f in self.comunes_actualizados]
            ctes.append(
                f"cambiados AS (UPDATE {tabla} AS t SET {', '.join(asignaciones)} "
                f"FROM json_populate_recordset(NULL::{tabla}, %s) AS v "
                f"WHERE t.{pk} = v.{pk} RETURNING t.*)"
            )
            parametros += [*self.comunes_actualizados.values(), self.documento_actualizados]
            tipos.append(("cambiados", "~"))
        consulta = "SELECT 1"
        if self.motivo is not None:
            insercion, seleccion = _historial(self.modelo)
            consulta = insercion + " UNION ALL ".join(f"{seleccion} FROM {cte}" for cte, _ in tipos)
            ahora = timezone.now()
            for _, tipo in tipos:
                parametros += [ahora, self.motivo, tipo]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(ctes)} {consulta}", parametros)

    def _ejecutar_con_el_orm(self) -> None:
        creados = self.modelo.objects.bulk_create(self.nuevos) if self.nuevos else []
        if self.actualizados:
            campos = [f.name for f in [*self.campos, *self.comunes_actualizados]]
            self.modelo.objects.bulk_update(self.actualizados, campos, batch_size=500)
        if self.motivo is None:
            return
        insercion, seleccion = _historial(self.modelo)
        pk = self.modelo._meta.pk
        qn = connection.ops.quote_name
        for tipo, objetos in (("+", creados), ("~", self.actualizados)):
            if not objetos:
                continue
            filtro, parametros = en_lista(f"t.{qn(pk.column)}", pk, [o.pk for o in objetos])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{insercion}{seleccion} FROM {qn(self.modelo._meta.db_table)} AS t "
                    f"WHERE {filtro}",
                    [timezone.now(), self.motivo, tipo, *parametros],
                )


def _historial(modelo) -> tuple[str, str]:
    """`INSERT INTO <history table> (…) ` and `SELECT …` of django-simple-history rows copied
    from `modelo`'s rows, as a save() in the UI records them, without a user. The SELECT takes
    three parameters: history date, change reason and type ("+" or "~")."""
    historico = modelo.history.model
    qn = connection.ops.quote_name
    columnas = ", ".join(qn(f.column) for f in historico.tracked_fields)
    insercion = (
        f"INSERT INTO {qn(historico._meta.db_table)} ({columnas}, history_date, "
        "history_change_reason, history_type, history_user_id) "
    )
    # A typed NULL: in a UNION ALL an untyped one would be text.
    usuario = historico._meta.get_field("history_user").rel_db_type(connection)
    return insercion, f"SELECT {columnas}, %s, %s, %s, CAST(NULL AS {usuario})"


def en_lista(columna: str, campo: models.Field, valores) -> tuple[str, list]:
    """SQL for `<columna> IN (valores)` with the values as one JSON parameter.

    PostgreSQL compares with `= ANY(array)` (an index scan per value); SQLite reads the list
    with json_each. Either way the SQL is the same whatever the number of values.
    """
    documento = json.dumps(list(valores), ensure_ascii=False)
    if _es_postgres():
        entero = isinstance(campo, models.IntegerField | models.AutoField | models.ForeignKey)
        tipo = "bigint" if entero else "text"
        return (
            f"{columna} = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))::{tipo}[])",
            [documento],
        )
    return f"{columna} IN (SELECT value FROM json_each(%s))", [documento]


def en(modelo, accessor: str, valores) -> RawSQL | Q:
    """A queryset filter `<accessor> IN (valores)`: one parameter for a field of `modelo`
    (see en_lista), a plain `__in` through a relation ("proveedor.nombre")."""
    if "." in accessor:
        return Q(**{f"{accessor.replace('.', '__')}__in": list(valores)})
    field = modelo._meta.get_field(accessor)
    qn = connection.ops.quote_name
    sql, parametros = en_lista(f"{qn(modelo._meta.db_table)}.{qn(field.column)}", field, valores)
    return RawSQL(sql, parametros, output_field=models.BooleanField())
