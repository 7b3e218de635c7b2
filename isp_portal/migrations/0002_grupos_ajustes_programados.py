"""Give the NOC roles the permissions of the new AjusteProgramado (conexiones 0010)."""

from importlib import import_module

from django.db import migrations

# The roles are refreshed by the same function that created them.
crear_grupos = import_module("isp_portal.migrations.0001_grupos_noc").crear_grupos


class Migration(migrations.Migration):
    dependencies = [
        ("isp_portal", "0001_grupos_noc"),
        ("conexiones", "0010_ajustes_programados"),
    ]

    operations = [migrations.RunPython(crear_grupos, migrations.RunPython.noop)]
