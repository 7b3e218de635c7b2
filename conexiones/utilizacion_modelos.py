"""Utilised bandwidth from monitoring: five-minute readings, their hourly roll-ups and each
connection's 95th percentile of the last days.

Written only by conexiones.services.utilizacion. The readings' primary key is
(conexion, momento): a reading sent again replaces the stored one, and on PostgreSQL the
table is range-partitioned by day on `momento` (a partitioned table's unique keys must
contain its partition key; migration 0015 creates it, the worker adds and drops partitions).
"""

from django.db import models

# Readings are Mbps with three decimals (kbit/s): a bps counter converted loses nothing
# that matters, and 12 digits hold BW_TECHO_MBPS with room.
MBPS = {"max_digits": 12, "decimal_places": 3}


class MuestraUtilizacion(models.Model):
    pk = models.CompositePrimaryKey("conexion", "momento")
    conexion = models.ForeignKey(
        "conexiones.Conexion",
        on_delete=models.CASCADE,
        related_name="muestras",
        verbose_name="conexión",
        db_index=False,  # the primary key starts with it
    )
    momento = models.DateTimeField("momento")
    entrada_mbps = models.DecimalField("entrada (Mbps)", **MBPS)
    salida_mbps = models.DecimalField("salida (Mbps)", **MBPS)

    class Meta:
        verbose_name = "muestra de utilización"
        verbose_name_plural = "muestras de utilización"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entrada_mbps__gte=0, salida_mbps__gte=0),
                name="muestra_mbps_no_negativos",
            ),
        ]

    def __str__(self):
        return f"{self.conexion_id} {self.momento:%Y-%m-%d %H:%M}"


class MuestraHoraria(models.Model):
    """One hour of a connection's readings: average, maximum and 95th percentile per
    direction (computed by the worker, kept UTILIZACION_DIAS_HORARIOS days)."""

    pk = models.CompositePrimaryKey("conexion", "hora")
    conexion = models.ForeignKey(
        "conexiones.Conexion",
        on_delete=models.CASCADE,
        related_name="muestras_horarias",
        verbose_name="conexión",
        db_index=False,
    )
    hora = models.DateTimeField("hora")
    muestras = models.PositiveSmallIntegerField("lecturas")
    entrada_promedio = models.DecimalField("entrada promedio (Mbps)", **MBPS)
    entrada_maximo = models.DecimalField("entrada máxima (Mbps)", **MBPS)
    entrada_p95 = models.DecimalField("entrada p95 (Mbps)", **MBPS)
    salida_promedio = models.DecimalField("salida promedio (Mbps)", **MBPS)
    salida_maximo = models.DecimalField("salida máxima (Mbps)", **MBPS)
    salida_p95 = models.DecimalField("salida p95 (Mbps)", **MBPS)

    class Meta:
        verbose_name = "resumen horario de utilización"
        verbose_name_plural = "resúmenes horarios de utilización"
        indexes = [models.Index(fields=["hora"], name="muestrahoraria_hora_idx")]

    def __str__(self):
        return f"{self.conexion_id} {self.hora:%Y-%m-%d %H:00}"


class UtilizacionSemanal(models.Model):
    """A connection's 95th percentile of its readings' larger direction over the last
    UTILIZACION_DIAS_PERCENTIL days, and that as a percentage of its bw_contratado when it
    was computed: the saturation page reads it, sorted, instead of the readings."""

    conexion = models.OneToOneField(
        "conexiones.Conexion",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="utilizacion_semanal",
        verbose_name="conexión",
    )
    p95_mbps = models.DecimalField("p95 (Mbps)", **MBPS)
    porcentaje = models.DecimalField("p95 / BW contratado (%)", max_digits=9, decimal_places=1)
    muestras = models.PositiveIntegerField("lecturas")
    calculado = models.DateTimeField("calculado")

    class Meta:
        verbose_name = "percentil semanal de utilización"
        verbose_name_plural = "percentiles semanales de utilización"
        indexes = [models.Index(fields=["-porcentaje"], name="utilsemanal_porcentaje_idx")]

    def __str__(self):
        return f"{self.conexion_id}: {self.porcentaje} %"
