"""The utilisation worker: each cycle reads Prometheus (when PROMETHEUS_URL is set), rolls up
the recent hours, creates the coming daily partitions and drops expired ones (PostgreSQL),
deletes expired roll-ups and refreshes the saturation page's 7-day percentiles."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from conexiones.prometheus import ErrorDePrometheus, leer_prometheus
from conexiones.services import (
    particiones_mantener,
    utilizacion_consolidar,
    utilizacion_percentiles,
)

CICLO = 300  # five minutes, the readings' step
HORAS_RECIENTES = timedelta(hours=3)
PROMETHEUS_VENTANA = timedelta(minutes=15)


class Command(BaseCommand):
    help = (
        "Procesa la utilización: lee Prometheus (si PROMETHEUS_URL), consolida por hora, "
        "mantiene las particiones y los percentiles; luego termina (o repite con --cada)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cada",
            type=int,
            metavar="SEGUNDOS",
            help=f"No terminar: repetir cada SEGUNDOS ({CICLO}: cada cinco minutos).",
        )

    def handle(self, *args, cada=None, **options):
        if cada is None:
            if not self.ciclo():
                raise CommandError("El ciclo de utilización terminó con errores.")
            return
        if cada < 1:
            raise CommandError("--cada debe ser al menos 1 segundo.")
        self.stdout.write(f"Procesando la utilización cada {cada} s (Ctrl+C para salir).")
        try:
            while True:
                close_old_connections()
                try:
                    self.ciclo()
                except DatabaseError as error:
                    self.stderr.write(f"Error de base de datos: {error}")
                time.sleep(cada)
        except KeyboardInterrupt:
            pass

    def ciclo(self) -> bool:
        ahora = timezone.now()
        bien = True
        if settings.PROMETHEUS_URL:
            try:
                lectura = leer_prometheus(ahora - PROMETHEUS_VENTANA, ahora)
                self.stdout.write(f"Prometheus: {lectura.guardadas} lecturas.")
            except ErrorDePrometheus as error:
                self.stderr.write(self.style.ERROR(str(error)))
                bien = False
        horas = utilizacion_consolidar(ahora - HORAS_RECIENTES, ahora)
        mantenimiento = particiones_mantener(ahora=ahora)
        percentiles = utilizacion_percentiles(ahora=ahora)
        self.stdout.write(
            f"{horas} resúmenes horarios; particiones creadas {len(mantenimiento['creadas'])}, "
            f"eliminadas {len(mantenimiento['eliminadas'])}; {percentiles} percentiles."
        )
        return bien
