"""Nodo.busqueda and Equipo.busqueda, the normalised documents their searches look in
(isp_portal.busqueda), kept by the database, with trigram indexes (PostgreSQL): a search no
longer normalises every node or all 200,000 units of equipment."""

from django.db import migrations, models

import isp_portal.busqueda
from isp_portal.busqueda import indice_trigram
from isp_portal.migraciones import sin_disparadores_sqlite

INDICES = [
    indice_trigram("nodo_busqueda_trgm", "conexiones_nodo", "busqueda"),
    indice_trigram("equipo_busqueda_trgm", "conexiones_equipo", "busqueda"),
]


def crear_indices(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for crear, _ in INDICES:
            schema_editor.execute(crear)


def borrar_indices(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, borrar in INDICES:
            schema_editor.execute(borrar)


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0018_busqueda_distrito_y_proveedor"),
    ]

    operations = [
        migrations.AddField(
            model_name="equipo",
            name="busqueda",
            field=models.GeneratedField(
                db_persist=True,
                expression=isp_portal.busqueda.Documento("serie", "marca", "modelo", "tipo"),
                output_field=models.TextField(),
                verbose_name="búsqueda",
            ),
        ),
        # SQLite rebuilds the node table: the search triggers (conexiones.busqueda) that
        # read it are set aside meanwhile.
        *sin_disparadores_sqlite(
            "conexiones_nodo",
            [
                migrations.AddField(
                    model_name="nodo",
                    name="busqueda",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=isp_portal.busqueda.Documento(
                            "nombre", "direccion", "departamento", "provincia", "distrito"
                        ),
                        output_field=models.TextField(),
                        verbose_name="búsqueda",
                    ),
                ),
            ],
        ),
        migrations.RunPython(crear_indices, borrar_indices, elidable=False),
    ]
