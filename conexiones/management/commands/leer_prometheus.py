"""Read utilisation readings from Prometheus-compatible storage (PROMETHEUS_URL and the PromQL
templates of the README) for every link, in a few range queries, and store them."""

from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conexiones.prometheus import ErrorDePrometheus, leer_prometheus

# A cycle reads a little more than its five minutes: late samples are replaced, not doubled.
VENTANA_POR_DEFECTO = timedelta(minutes=15)


def _momento(texto: str) -> datetime:
    try:
        momento = datetime.fromisoformat(texto)
    except ValueError:
        raise CommandError(f"Fecha y hora inválida: {texto!r} (use ISO 8601).") from None
    return timezone.make_aware(momento) if timezone.is_naive(momento) else momento


class Command(BaseCommand):
    help = "Lee de Prometheus las lecturas de utilización de todos los enlaces en un rango."

    def add_arguments(self, parser):
        parser.add_argument("--desde", type=_momento, help="ISO 8601; por defecto, 15 min atrás.")
        parser.add_argument("--hasta", type=_momento, help="ISO 8601; por defecto, ahora.")
        parser.add_argument("--url", help="En lugar de PROMETHEUS_URL.")

    def handle(self, *args, desde=None, hasta=None, url=None, **options):
        hasta = hasta or timezone.now()
        desde = desde or hasta - VENTANA_POR_DEFECTO
        if desde > hasta:
            raise CommandError("--desde debe ser anterior a --hasta.")
        try:
            lectura = leer_prometheus(desde, hasta, url=url)
        except ErrorDePrometheus as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{lectura.guardadas} lecturas guardadas en {lectura.consultas} consultas; "
            f"{len(lectura.desconocidas)} CIDs desconocidos; {lectura.descartadas} descartadas."
        )
        if lectura.desconocidas:
            self.stdout.write("Desconocidos: " + ", ".join(sorted(lectura.desconocidas)[:50]))
