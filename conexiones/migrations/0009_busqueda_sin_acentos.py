"""Conexion.busqueda, the connection's search document kept by triggers
(conexiones.busqueda), filled for the stored rows, with its trigram index (PostgreSQL), which
replaces the locación index of migration 0006.
"""

from django.db import migrations, models

from conexiones import busqueda
from isp_portal.busqueda import SQL_POSTGRESQL, indice_trigram

CREAR, BORRAR = indice_trigram("conexion_busqueda_trgm", busqueda.TABLA, "busqueda")


def instalar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL_POSTGRESQL)
    busqueda.instalar(schema_editor.connection)
    busqueda.recalcular(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREAR)
        schema_editor.execute("DROP INDEX IF EXISTS conexion_locacion_trgm")


def desinstalar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BORRAR)


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0008_historial_sin_indices_copiados"),
        ("clientes", "0007_busqueda_sin_acentos"),
        ("proveedores", "0004_historial_sin_indices_copiados"),
    ]

    operations = [
        migrations.AddField(
            model_name="conexion",
            name="busqueda",
            field=models.TextField(default="", editable=False, verbose_name="búsqueda"),
        ),
        migrations.RunPython(instalar, desinstalar, elidable=False),
    ]
