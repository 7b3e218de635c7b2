"""The client's CID is ASCII digits (isp_portal.validators.validate_cid): stored CIDs with
full-width or other compatibility digits are rewritten in ASCII; the rest are reported."""

import django.core.validators
from django.db import migrations, models

from isp_portal.migraciones import corregir_cids


def corregir(apps, schema_editor):
    corregir_cids(apps.get_model("clientes", "ClienteCorp"), "cid", r"[0-9]+")


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0008_contacto_y_eliminados"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clientecorp",
            name="cid",
            field=models.CharField(max_length=20, validators=[django.core.validators.RegexValidator("\\A[0-9]+\\Z", "El CID solo admite dígitos del 0 al 9.", code="cid_digitos")], verbose_name="CID"),
        ),
        migrations.AlterField(
            model_name="historicalclientecorp",
            name="cid",
            field=models.CharField(max_length=20, validators=[django.core.validators.RegexValidator("\\A[0-9]+\\Z", "El CID solo admite dígitos del 0 al 9.", code="cid_digitos")], verbose_name="CID"),
        ),
        migrations.RunPython(corregir, migrations.RunPython.noop),
    ]
