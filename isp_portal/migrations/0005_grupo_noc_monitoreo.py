"""The NOC monitoreo role (a monitoring server pushes utilisation readings and reads), and
the other roles refreshed with the permissions of the utilisation models."""

from django.db import migrations

from isp_portal.roles import GRUPO_MONITOREO, crear_grupos


def borrar_grupo(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GRUPO_MONITOREO).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("isp_portal", "0004_exportacion_en_curso"),
        ("conexiones", "0020_utilizacion"),
    ]

    operations = [migrations.RunPython(crear_grupos, borrar_grupo)]
