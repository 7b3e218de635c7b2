"""A client's sede names are unique ignoring case and accents ("OFICINA CENTRAL" is
"Oficina Central"): a unique index on (cliente, isp_normalizar(oficina)), the search's
normalisation (isp_portal.busqueda; created on PostgreSQL by 0007, registered on every SQLite
connection). Sedes stored before that repeat a name get « (2)», « (3)»… and are listed."""

from django.db import migrations, models

import isp_portal.busqueda


def renombrar_repetidas(apps, schema_editor):
    Sede = apps.get_model("clientes", "Sede")
    vistas: dict[tuple, int] = {}
    renombradas = []
    for sede in Sede.objects.order_by("cliente_id", "pk").only("pk", "cliente_id", "oficina"):
        clave = (sede.cliente_id, isp_portal.busqueda.normalizar(sede.oficina))
        vistas[clave] = vistas.get(clave, 0) + 1
        if vistas[clave] > 1:
            nuevo = f"{sede.oficina} ({vistas[clave]})"[:150]
            renombradas.append(
                f"sede {sede.pk} del cliente {sede.cliente_id}: «{sede.oficina}» → «{nuevo}»"
            )
            Sede.objects.filter(pk=sede.pk).update(oficina=nuevo)
    if renombradas:
        print("\n  Sedes con el nombre repetido de otra del mismo cliente, renombradas:")
        for linea in renombradas:
            print(f"  - {linea}")


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0012_busqueda_de_sedes"),
    ]

    operations = [
        migrations.RunPython(renombrar_repetidas, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="sede",
            name="sede_cliente_oficina_unica",
        ),
        migrations.AddConstraint(
            model_name="sede",
            constraint=models.UniqueConstraint(
                models.F("cliente"),
                isp_portal.busqueda.Documento("oficina"),
                name="sede_oficina_unica_sin_acentos",
                violation_error_code="oficina_repetida",
                violation_error_message="El cliente ya tiene una sede con este nombre de oficina.",
            ),
        ),
    ]
