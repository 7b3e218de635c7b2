"""The notices' default texts (admins edit them in /admin/) and the NOC roles refreshed with
the permissions of the new models (operador: windows and notices; lectura: read)."""

from django.db import migrations

from isp_portal.roles import crear_grupos


def crear_plantillas(apps, schema_editor):
    from mantenimientos.plantillas import POR_DEFECTO

    PlantillaAviso = apps.get_model("mantenimientos", "PlantillaAviso")
    for tipo, (asunto, cuerpo) in POR_DEFECTO.items():
        PlantillaAviso.objects.get_or_create(
            tipo=str(tipo), defaults={"asunto": asunto, "cuerpo": cuerpo}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mantenimientos", "0001_mantenimientos"),
        ("isp_portal", "0005_grupo_noc_monitoreo"),
    ]

    operations = [
        migrations.RunPython(crear_plantillas, migrations.RunPython.noop),
        migrations.RunPython(crear_grupos, migrations.RunPython.noop),
    ]
