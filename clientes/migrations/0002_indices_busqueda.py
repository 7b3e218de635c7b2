"""Indexes behind the client search.

Django's icontains on PostgreSQL is `UPPER(col::text) LIKE UPPER('%x%')`, so the trigram
GIN index is built on UPPER(razon_social). pg_trgm and GIN exist only on PostgreSQL: on
other databases that step does nothing.
"""

import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM_INDEX = "clientecorp_razon_social_trgm"


def crear_indice_trigram(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON clientes_clientecorp "
        "USING gin (UPPER(razon_social) gin_trgm_ops)"
    )


def borrar_indice_trigram(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="clientecorp",
            index=models.Index(fields=["razon_social", "id"], name="clientecorp_razon_social_id"),
        ),
        migrations.AddIndex(
            model_name="clientecorp",
            index=models.Index(
                django.db.models.functions.text.Upper("cod_erp"), name="clientecorp_cod_erp_upper"
            ),
        ),
        migrations.RunPython(crear_indice_trigram, borrar_indice_trigram, elidable=False),
    ]
