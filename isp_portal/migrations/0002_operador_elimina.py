"""Refresh the NOC roles: NOC operador may delete sedes, nodos, equipos and provider
services (roles.ELIMINABLES), and both roles get the permissions of AjusteProgramado."""

from django.db import migrations

from isp_portal.roles import crear_grupos


class Migration(migrations.Migration):
    dependencies = [
        ("isp_portal", "0001_grupos_noc"),
        ("clientes", "0008_contacto_y_eliminados"),
        ("proveedores", "0005_historial_eliminados"),
        ("conexiones", "0011_historial_eliminados"),
    ]

    operations = [migrations.RunPython(crear_grupos, migrations.RunPython.noop)]
