"""The trigram index behind the connection search by locación.

Django's icontains on PostgreSQL is `UPPER(col::text) LIKE UPPER('%x%')`, so the GIN index is
built on UPPER(locacion), as clientes/0002 does for razón social. pg_trgm and GIN exist only
on PostgreSQL: on other databases this step does nothing.
"""

from django.db import migrations

INDICE = "conexion_locacion_trgm"


def crear_indice(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDICE} ON conexiones_conexion "
        "USING gin (UPPER(locacion) gin_trgm_ops)"
    )


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDICE}")


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0005_cid_enlace_prefijo"),
    ]

    operations = [
        migrations.RunPython(crear_indice, borrar_indice, elidable=False),
    ]
