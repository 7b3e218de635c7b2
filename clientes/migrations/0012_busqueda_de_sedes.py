"""Sede.busqueda, the normalised document the sede search looks in (isp_portal.busqueda),
kept by the database, with a trigram index (PostgreSQL): the list of every sede
(/v1/sedes/listar) no longer normalises 150,000 rows per search."""

from django.db import migrations, models

import isp_portal.busqueda
from isp_portal.busqueda import indice_trigram

CREAR, BORRAR = indice_trigram("sede_busqueda_trgm", "clientes_sede", "busqueda")


def crear_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREAR)


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BORRAR)


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0011_busqueda_sin_puntuacion"),
    ]

    operations = [
        migrations.AddField(
            model_name="sede",
            name="busqueda",
            field=models.GeneratedField(
                db_persist=True,
                expression=isp_portal.busqueda.Documento(
                    "oficina", "locacion", "direccion", "distrito", "provincia"
                ),
                output_field=models.TextField(),
                verbose_name="búsqueda",
            ),
        ),
        migrations.RunPython(crear_indice, borrar_indice, elidable=False),
    ]
