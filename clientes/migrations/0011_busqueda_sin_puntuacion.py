"""The search documents ignore punctuation ("S.A.C." is "sac") and keep a space at each end
(isp_portal.busqueda): isp_normalizar is replaced and ClienteCorp.busqueda, a generated
column, is written again with its trigram index built after the rows (PostgreSQL)."""

from django.db import migrations

from isp_portal.busqueda import SQL_POSTGRESQL, indice_trigram

CREAR, BORRAR = indice_trigram("clientecorp_busqueda_trgm", "clientes_clientecorp", "busqueda")


def reescribir(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(SQL_POSTGRESQL)
        schema_editor.execute(BORRAR)
    # Writing a column the document reads makes the database compute it again; the CID is
    # not one the connections' search triggers follow.
    schema_editor.execute("UPDATE clientes_clientecorp SET cid = cid")
    if postgresql:
        schema_editor.execute(CREAR)


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0010_fechas_en_rango"),
    ]

    operations = [
        migrations.RunPython(reescribir, migrations.RunPython.noop, elidable=False),
    ]
