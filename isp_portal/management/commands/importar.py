"""manage.py importar <entidad> <archivo> [--dry-run] [--hoja NOMBRE] [--delimitador ;]
[--permitir-sobresuscripcion]"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from isp_portal.importacion import REGISTRO, ErrorDeImportacion, importar


class Command(BaseCommand):
    help = (
        "Importa un CSV o XLSX (las mismas columnas que la exportación de la lista) y "
        "crea o actualiza por clave natural. Si alguna fila tiene errores no se guarda nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("entidad", choices=sorted(REGISTRO))
        parser.add_argument("archivo", help="Ruta del archivo .csv o .xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Muestra lo que cambiaría sin guardar nada.",
        )
        parser.add_argument("--hoja", help="Hoja del XLSX (por defecto, la primera).")
        parser.add_argument(
            "--delimitador",
            help="Delimitador del CSV (por defecto se detecta: «,» o «;»).",
        )
        parser.add_argument(
            "--permitir-sobresuscripcion",
            action="store_true",
            help="Acepta que una conexión deje su servicio de proveedor sobresuscrito.",
        )

    def handle(self, *args, entidad, archivo, dry_run, hoja, delimitador, **options):
        inicio = time.perf_counter()
        try:
            resultado = importar(
                entidad=entidad,
                ruta=archivo,
                dry_run=dry_run,
                hoja=hoja,
                delimitador=delimitador,
                permitir_sobresuscripcion=options["permitir_sobresuscripcion"],
                progreso=_es_terminal(self.stderr),
            )
        except ErrorDeImportacion as error:
            raise CommandError(str(error)) from None
        segundos = time.perf_counter() - inicio
        if resultado.detalle and options.get("verbosity", 1) >= 2:
            self.stdout.write(f"{resultado.archivo}: {resultado.detalle}")
        for aviso in resultado.avisos:
            self.stderr.write(self.style.WARNING(aviso))
        for linea, columna, mensaje in resultado.errores:
            donde = f"línea {linea}" + (f", columna «{columna}»" if columna else "")
            self.stderr.write(f"{donde}: {mensaje}")
        mostrar_diferencias = dry_run or options.get("verbosity", 1) >= 2
        if mostrar_diferencias and resultado.diferencias:
            self.stdout.write("Cambios (primeras filas):")
            for diferencia in resultado.diferencias:
                self.stdout.write(f"  {diferencia}")
        filas = resultado.creados + resultado.actualizados + resultado.sin_cambios
        filas += resultado.filas_con_error
        self.stdout.write(f"{entidad}: {resultado.resumen()} ({filas} filas en {segundos:.1f} s).")
        if not resultado.ok:
            raise CommandError(
                f"{resultado.filas_con_error} fila(s) con errores en «{resultado.archivo}»: "
                "no se guardó ningún cambio."
            )
        if dry_run:
            self.stdout.write("Simulación (--dry-run): no se guardó ningún cambio.")
        else:
            self.stdout.write(self.style.SUCCESS("Importación completa."))


def _es_terminal(salida) -> bool:
    """The progress bar goes to stderr, and only to a terminal."""
    flujo = getattr(salida, "_out", salida)
    try:
        return flujo is sys.stderr and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
