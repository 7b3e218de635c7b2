"""Send the queued maintenance notices, then exit (or repeat with --cada).

`make run` keeps one running beside the server; in production run it from a systemd timer
or keep it running. Any number may run at once: each notice is claimed before it is sent
(mantenimientos.services.avisos_enviar), so none goes out twice.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from mantenimientos.services import avisos_enviar


class Command(BaseCommand):
    help = (
        "Envía por correo los avisos de mantenimiento en cola y termina (o repite cada "
        "--cada segundos)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cada",
            type=int,
            metavar="SEGUNDOS",
            help="No terminar: volver a enviar cada SEGUNDOS (el trabajador de `make run`).",
        )
        parser.add_argument(
            "--lote", type=int, default=200, help="Avisos por pasada (200 si falta)."
        )

    def handle(self, *args, cada=None, lote=200, **options):
        if lote < 1:
            raise CommandError("--lote debe ser al menos 1.")
        if cada is None:
            self.ejecutar(lote)
            return
        if cada < 1:
            raise CommandError("--cada debe ser al menos 1 segundo.")
        self.stdout.write(f"Enviando avisos de mantenimiento cada {cada} s (Ctrl+C para salir).")
        try:
            while True:
                close_old_connections()
                try:
                    # A full batch: more may be waiting, go on without sleeping.
                    while self.ejecutar(lote) >= lote:
                        pass
                except DatabaseError as error:  # e.g. the database restarting: try again
                    self.stderr.write(f"Error de base de datos: {error}")
                time.sleep(cada)
        except KeyboardInterrupt:
            pass

    def ejecutar(self, lote: int) -> int:
        envio = avisos_enviar(limite=lote)
        total = envio.enviados + envio.fallidos
        if total:
            estilo = self.style.ERROR if envio.fallidos else self.style.SUCCESS
            self.stdout.write(
                estilo(f"Avisos enviados: {envio.enviados}; fallidos: {envio.fallidos}.")
            )
        return total
