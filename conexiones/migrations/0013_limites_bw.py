"""A connection's BW has an upper bound: the validators read settings.BW_MAXIMO_MBPS; the
database holds its ceiling (isp_portal.validators.BW_TECHO_MBPS). Raising the setting above
it needs a migration like this one with the new figure."""

import django.core.validators
from django.db import migrations, models

import isp_portal.validators
from isp_portal.migraciones import exigir_maximo, sin_disparadores_sqlite


def exigir(apps, schema_editor):
    conexion = apps.get_model("conexiones", "Conexion")
    exigir_maximo(conexion, "bw_contratado", 100000)
    exigir_maximo(conexion, "bw_utilizado", 100000)


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0012_cid_ascii"),
    ]

    operations = [
        migrations.RunPython(exigir, migrations.RunPython.noop),
        # The search triggers (conexiones.busqueda) survive SQLite's rebuild of the table.
        *sin_disparadores_sqlite("conexiones_conexion", [
        migrations.RemoveConstraint(
            model_name="conexion",
            name="conexion_bw_contratado_no_negativo",
        ),
        migrations.RemoveConstraint(
            model_name="conexion",
            name="conexion_bw_utilizado_no_negativo",
        ),
        migrations.AlterField(
            model_name="conexion",
            name="bw_contratado",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(isp_portal.validators.bw_maximo, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por conexión.")], verbose_name="BW contratado (Mbps)"),
        ),
        migrations.AlterField(
            model_name="conexion",
            name="bw_utilizado",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(isp_portal.validators.bw_maximo, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por conexión.")], verbose_name="BW utilizado (Mbps)"),
        ),
        migrations.AlterField(
            model_name="historicalconexion",
            name="bw_contratado",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(isp_portal.validators.bw_maximo, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por conexión.")], verbose_name="BW contratado (Mbps)"),
        ),
        migrations.AlterField(
            model_name="historicalconexion",
            name="bw_utilizado",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(isp_portal.validators.bw_maximo, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por conexión.")], verbose_name="BW utilizado (Mbps)"),
        ),
        migrations.AddConstraint(
            model_name="conexion",
            constraint=models.CheckConstraint(condition=models.Q(("bw_contratado__gte", 0), ("bw_contratado__lte", 100000)), name="conexion_bw_contratado_rango"),
        ),
        migrations.AddConstraint(
            model_name="conexion",
            constraint=models.CheckConstraint(condition=models.Q(("bw_utilizado__gte", 0), ("bw_utilizado__lte", 100000)), name="conexion_bw_utilizado_rango"),
        ),
        ]),
    ]
