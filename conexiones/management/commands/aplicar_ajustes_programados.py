"""Apply the scheduled bandwidth changes that are due, then exit (or repeat with --cada).

Run it every minute from a systemd timer or cron on any number of nodes: each change is
applied exactly once (conexiones.services.ajustes_programados_aplicar).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from conexiones.choices import EstadoAjusteProgramado, ModoAjuste
from conexiones.services import ajustes_programados_aplicar


class Command(BaseCommand):
    help = (
        "Aplica los ajustes de BW programados cuyo inicio llegó y revierte los temporales "
        "cuyo fin llegó; luego termina (o repite cada --cada segundos)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cada",
            type=int,
            metavar="SEGUNDOS",
            help="No terminar: volver a aplicar cada SEGUNDOS (el trabajador de `make run`).",
        )

    def handle(self, *args, cada=None, **options):
        if cada is None:
            if not self.ejecutar():
                raise CommandError("Algunos ajustes programados no se pudieron ejecutar.")
            return
        if cada < 1:
            raise CommandError("--cada debe ser al menos 1 segundo.")
        self.stdout.write(f"Aplicando ajustes programados cada {cada} s (Ctrl+C para salir).")
        try:
            while True:
                close_old_connections()
                try:
                    self.ejecutar()
                except DatabaseError as error:  # e.g. the database restarting: try again
                    self.stderr.write(f"Error de base de datos: {error}")
                time.sleep(cada)
        except KeyboardInterrupt:
            pass

    def ejecutar(self) -> bool:
        """One pass; False if some change hit an unexpected error (retried next run)."""
        ejecucion = ajustes_programados_aplicar()
        for programado in ejecucion.hechos:
            signo = "+" if programado.modo == ModoAjuste.AUMENTAR else "−"
            linea = (
                f"#{programado.pk} {programado.conexion.cid_enlace} {signo}{programado.mbps} Mbps: "
                f"{programado.get_estado_display()}"
            )
            if programado.nota:
                linea += f" — {programado.nota.splitlines()[-1]}"
            estilo = (
                self.style.ERROR
                if programado.estado == EstadoAjusteProgramado.FALLIDO
                else self.style.SUCCESS
            )
            self.stdout.write(estilo(linea))
        for pk, error in ejecucion.errores:
            mensaje = f"#{pk}: error inesperado ({error}); se reintentará."
            self.stderr.write(self.style.ERROR(mensaje))
        return not ejecucion.errores
