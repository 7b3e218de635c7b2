"""ClienteCorp.busqueda, the normalised document the client search looks in
(clientes.selectors), kept by the database, with a trigram index (PostgreSQL) that replaces
the razón social and código ERP indexes of migration 0002.
"""

import isp_portal.busqueda
from django.db import migrations, models

from isp_portal.busqueda import SQL_POSTGRESQL, indice_trigram

CREAR, BORRAR = indice_trigram("clientecorp_busqueda_trgm", "clientes_clientecorp", "busqueda")


def crear_funcion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL_POSTGRESQL)


def crear_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREAR)
        schema_editor.execute("DROP INDEX IF EXISTS clientecorp_razon_social_trgm")


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BORRAR)


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0006_historial_sin_indices_copiados"),
    ]

    operations = [
        migrations.RunPython(crear_funcion, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="clientecorp", name="clientecorp_cod_erp_upper"),
        migrations.AddField(
            model_name="clientecorp",
            name="busqueda",
            field=models.GeneratedField(
                db_persist=True,
                expression=isp_portal.busqueda.Documento("razon_social", "ruc", "cid", "cod_erp"),
                output_field=models.TextField(),
                verbose_name="búsqueda",
            ),
        ),
        migrations.RunPython(crear_indice, borrar_indice, elidable=False),
    ]
