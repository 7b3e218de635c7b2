"""The connection's search document also holds its distrito and its provider's name, and
ignores punctuation (conexiones.busqueda, isp_portal.busqueda): the triggers are replaced and
every document written again, with the trigram index built after the rows (PostgreSQL)."""

from django.db import migrations

from conexiones import busqueda
from isp_portal.busqueda import indice_trigram

CREAR, BORRAR = indice_trigram("conexion_busqueda_trgm", busqueda.TABLA, "busqueda")


def reescribir(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(BORRAR)
    busqueda.instalar(schema_editor.connection)
    busqueda.recalcular(schema_editor.connection)
    if postgresql:
        schema_editor.execute(CREAR)


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0017_bw_contratado_minimo"),
        # isp_normalizar without punctuation.
        ("clientes", "0011_busqueda_sin_puntuacion"),
        ("proveedores", "0006_limites_bw"),
    ]

    operations = [
        migrations.RunPython(reescribir, migrations.RunPython.noop, elidable=False),
    ]
