"""Utilised bandwidth: readings, hourly roll-ups, saturation percentiles, and the moment of
each connection's bw_utilizado.

The readings' table is range-partitioned by day on PostgreSQL (its partitions are created by
conexiones.services.utilizacion as readings arrive and by the worker ahead of time, and
dropped when expired); elsewhere (SQLite) it is one plain table.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLA = "conexiones_muestrautilizacion"
TABLA_PARTICIONADA = f"""
CREATE TABLE {TABLA} (
    conexion_id bigint NOT NULL
        REFERENCES conexiones_conexion (id) DEFERRABLE INITIALLY DEFERRED,
    momento timestamp with time zone NOT NULL,
    entrada_mbps numeric(12, 3) NOT NULL,
    salida_mbps numeric(12, 3) NOT NULL,
    CONSTRAINT muestra_mbps_no_negativos CHECK (entrada_mbps >= 0 AND salida_mbps >= 0),
    PRIMARY KEY (conexion_id, momento)
) PARTITION BY RANGE (momento)
"""


def crear_tabla_de_muestras(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TABLA_PARTICIONADA)
    else:
        schema_editor.create_model(apps.get_model("conexiones", "MuestraUtilizacion"))


def conexiones_con_espacio(apps, schema_editor):
    """Every reading cycle rewrites each connection's bw_utilizado: with room left in each
    page (and no index on those columns) PostgreSQL updates the row in place (HOT), without
    touching the table's many indexes (the search's trigram index among them)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE conexiones_conexion SET (fillfactor = 70)")


def conexiones_sin_espacio(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE conexiones_conexion RESET (fillfactor)")


def borrar_tabla_de_muestras(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE {TABLA}"
        + (" CASCADE" if schema_editor.connection.vendor == "postgresql" else "")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0009_cid_ascii"),
        ("conexiones", "0019_busqueda_de_nodos_y_equipos"),
        ("proveedores", "0006_limites_bw"),
    ]

    operations = [
        migrations.CreateModel(
            name="MuestraHoraria",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "conexion",
                        "hora",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "conexion",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="muestras_horarias",
                        to="conexiones.conexion",
                        verbose_name="conexión",
                    ),
                ),
                ("hora", models.DateTimeField(verbose_name="hora")),
                ("muestras", models.PositiveSmallIntegerField(verbose_name="lecturas")),
                (
                    "entrada_promedio",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="entrada promedio (Mbps)"
                    ),
                ),
                (
                    "entrada_maximo",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="entrada máxima (Mbps)"
                    ),
                ),
                (
                    "entrada_p95",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="entrada p95 (Mbps)"
                    ),
                ),
                (
                    "salida_promedio",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="salida promedio (Mbps)"
                    ),
                ),
                (
                    "salida_maximo",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="salida máxima (Mbps)"
                    ),
                ),
                (
                    "salida_p95",
                    models.DecimalField(
                        decimal_places=3, max_digits=12, verbose_name="salida p95 (Mbps)"
                    ),
                ),
            ],
            options={
                "verbose_name": "resumen horario de utilización",
                "verbose_name_plural": "resúmenes horarios de utilización",
            },
        ),
        migrations.CreateModel(
            name="UtilizacionSemanal",
            fields=[
                (
                    "conexion",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="utilizacion_semanal",
                        serialize=False,
                        to="conexiones.conexion",
                        verbose_name="conexión",
                    ),
                ),
                (
                    "p95_mbps",
                    models.DecimalField(decimal_places=3, max_digits=12, verbose_name="p95 (Mbps)"),
                ),
                (
                    "porcentaje",
                    models.DecimalField(
                        decimal_places=1, max_digits=9, verbose_name="p95 / BW contratado (%)"
                    ),
                ),
                ("muestras", models.PositiveIntegerField(verbose_name="lecturas")),
                ("calculado", models.DateTimeField(verbose_name="calculado")),
            ],
            options={
                "verbose_name": "percentil semanal de utilización",
                "verbose_name_plural": "percentiles semanales de utilización",
            },
        ),
        migrations.AddField(
            model_name="conexion",
            name="bw_utilizado_momento",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="BW utilizado medido"
            ),
        ),
        migrations.AddIndex(
            model_name="utilizacionsemanal",
            index=models.Index(fields=["-porcentaje"], name="utilsemanal_porcentaje_idx"),
        ),
        migrations.AddIndex(
            model_name="muestrahoraria",
            index=models.Index(fields=["hora"], name="muestrahoraria_hora_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MuestraUtilizacion",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "conexion",
                                "momento",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "conexion",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="muestras",
                                to="conexiones.conexion",
                                verbose_name="conexión",
                            ),
                        ),
                        ("momento", models.DateTimeField(verbose_name="momento")),
                        (
                            "entrada_mbps",
                            models.DecimalField(
                                decimal_places=3, max_digits=12, verbose_name="entrada (Mbps)"
                            ),
                        ),
                        (
                            "salida_mbps",
                            models.DecimalField(
                                decimal_places=3, max_digits=12, verbose_name="salida (Mbps)"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "muestra de utilización",
                        "verbose_name_plural": "muestras de utilización",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("entrada_mbps__gte", 0), ("salida_mbps__gte", 0)
                                ),
                                name="muestra_mbps_no_negativos",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(crear_tabla_de_muestras, borrar_tabla_de_muestras),
        migrations.RunPython(conexiones_con_espacio, conexiones_sin_espacio),
    ]
