"""A connection's CID is ASCII letters, digits, "-", "_" and "."
(isp_portal.validators.validate_cid_enlace): stored CIDs with full-width or other
compatibility characters are rewritten in ASCII; the rest are reported."""

import django.core.validators
from django.db import migrations, models

from isp_portal.migraciones import corregir_cids


def corregir(apps, schema_editor):
    # The search triggers (conexiones.busqueda) rewrite the document of the fixed rows.
    corregir_cids(apps.get_model("conexiones", "Conexion"), "cid_enlace", r"[A-Za-z0-9._-]+")


class Migration(migrations.Migration):
    dependencies = [
        ("conexiones", "0011_historial_eliminados"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conexion",
            name="cid_enlace",
            field=models.CharField(max_length=30, validators=[django.core.validators.RegexValidator("\\A[A-Za-z0-9._-]+\\Z", "El CID solo admite letras sin tilde (A-Z), dígitos (0-9), guiones (-), guiones bajos (_) y puntos.", code="cid_caracteres")], verbose_name="CID"),
        ),
        migrations.AlterField(
            model_name="historicalconexion",
            name="cid_enlace",
            field=models.CharField(max_length=30, validators=[django.core.validators.RegexValidator("\\A[A-Za-z0-9._-]+\\Z", "El CID solo admite letras sin tilde (A-Z), dígitos (0-9), guiones (-), guiones bajos (_) y puntos.", code="cid_caracteres")], verbose_name="CID"),
        ),
        migrations.RunPython(corregir, migrations.RunPython.noop),
    ]
