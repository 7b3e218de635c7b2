"""An index for the CID prefix of a client's sequence (conexion_siguiente_cid).

`cid_enlace LIKE '257%'` is served by a btree only in the C collation; the unique btree of
cid_enlace uses the database's collation, so the next CID of a client read all 200k
connections. varchar_pattern_ops serves the prefix whatever the collation. PostgreSQL only:
on other databases this step does nothing.
"""

from django.db import migrations

INDICE = "conexion_cid_enlace_prefijo"


def crear_indice(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDICE} ON conexiones_conexion "
        "(cid_enlace varchar_pattern_ops)"
    )


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDICE}")


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0004_historial"),
    ]

    operations = [
        migrations.RunPython(crear_indice, borrar_indice, elidable=False),
    ]
