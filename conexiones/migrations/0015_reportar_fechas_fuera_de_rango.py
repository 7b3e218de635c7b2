"""Report, without changing them, the stored dates and moments outside the site's range
(isp_portal.fechas): clients' and connections' fecha_activacion, scheduled changes' inicio
and fin. What a far date meant cannot be guessed; an operator fixes or cancels each row."""

from django.db import migrations

from isp_portal.fechas import reportar_fuera_de_rango


def reportar(apps, schema_editor):
    reportar_fuera_de_rango(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0010_fechas_en_rango"),
        ("conexiones", "0014_fechas_en_rango"),
    ]

    operations = [migrations.RunPython(reportar, migrations.RunPython.noop, elidable=True)]
