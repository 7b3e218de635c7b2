"""Create the NOC roles with their permissions."""

from django.db import migrations

from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR, crear_grupos


def borrar_grupos(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[GRUPO_LECTURA, GRUPO_OPERADOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clientes", "0001_initial"),
        ("proveedores", "0001_initial"),
        ("conexiones", "0001_initial"),
    ]

    operations = [migrations.RunPython(crear_grupos, borrar_grupos)]
