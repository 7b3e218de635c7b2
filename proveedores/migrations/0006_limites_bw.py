"""A provider service's capacity has an upper bound: the validator reads
settings.CAPACIDAD_MAXIMA_MBPS; the database holds its ceiling (isp_portal.validators)."""

import django.core.validators
from django.db import migrations, models

import isp_portal.validators
from isp_portal.migraciones import exigir_maximo, sin_disparadores_sqlite


def exigir(apps, schema_editor):
    exigir_maximo(
        apps.get_model("proveedores", "ServicioProveedor"), "capacidad_contratada", 1000000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("proveedores", "0005_historial_eliminados"),
    ]

    operations = [
        migrations.RunPython(exigir, migrations.RunPython.noop),
        *sin_disparadores_sqlite("proveedores_servicioproveedor", [
        migrations.RemoveConstraint(
            model_name="servicioproveedor",
            name="servicioproveedor_capacidad_no_negativa",
        ),
        migrations.AlterField(
            model_name="historicalservicioproveedor",
            name="capacidad_contratada",
            field=models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(isp_portal.validators.capacidad_maxima, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por servicio.")], verbose_name="capacidad contratada (Mbps)"),
        ),
        migrations.AlterField(
            model_name="servicioproveedor",
            name="capacidad_contratada",
            field=models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(isp_portal.validators.capacidad_maxima, "%(show_value)s Mbps supera el máximo de %(limit_value)s Mbps por servicio.")], verbose_name="capacidad contratada (Mbps)"),
        ),
        migrations.AddConstraint(
            model_name="servicioproveedor",
            constraint=models.CheckConstraint(condition=models.Q(("capacidad_contratada__gte", 0), ("capacidad_contratada__lte", 1000000)), name="servicioproveedor_capacidad_rango"),
        ),
        ]),
    ]
