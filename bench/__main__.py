"""Benchmark report: `python -m bench` (or `make bench`).

Builds the 100k clients / 200k connections dataset on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/isp_bench; created and loaded when empty), then prints one
table: query count and server p50/p95 of every page and API endpoint in bench/paginas.py,
Ajustar BW p50/p95, import rows/s and the time, size and query count of the exports of the
whole connections list (CSV and XLSX), and utilised bandwidth (bench/utilizacion.py: a
cycle of readings pushed through the API against COPY, series, the saturation page, table
size). `--solo exportaciones` (or paginas, ajuste, importacion, utilizacion; repeatable)
measures only those parts. Figures are also written to
bench/resultados/<timestamp>.json; `python -m bench --comparar a.json b.json` prints the
differences of two runs.

Targets: every page ≤ 8 queries and p95 < 100 ms, a list page p50 ≤ 40 ms and p95 < 60 ms
(the time waiting for SQL, and the CPU time of the request and of its rendering, are
printed apart: on a loaded machine they tell what the wall clock does not); every API endpoint ≤ 5
queries and p95 < 50 ms (with a "NOC lectura" Bearer token); Ajustar BW p95 < 50 ms.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

DB_POR_DEFECTO = "postgres://postgres@127.0.0.1:5432/isp_bench"
RESULTADOS = Path(__file__).resolve().parent / "resultados"
MAX_CONSULTAS = 8
P95_PAGINA_MS = 100
# List pages (Pagina.lista): as fast as their data.
P50_LISTA_MS = 40
P95_LISTA_MS = 60
MAX_CONSULTAS_API = 5
P95_API_MS = 50
P95_AJUSTE_MS = 50
PARTES = ("paginas", "ajuste", "importacion", "exportaciones", "utilizacion")


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1)))]


def preparar(clientes: int, conexiones: int) -> None:
    os.environ.setdefault("DATABASE_URL", DB_POR_DEFECTO)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings_test")
    # The API's rate limit is counted (one query per request) but never reached here.
    os.environ.setdefault("API_LIMITE", "1000000/min")
    _crear_base_si_falta(os.environ["DATABASE_URL"])
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    # Once for every part: the test client's host (testserver) is then allowed.
    setup_test_environment()
    from django.core.management import call_command
    from django.db import connection

    from clientes.models import ClienteCorp

    call_command("migrate", verbosity=0, interactive=False)
    if not ClienteCorp.objects.exists():
        inicio = time.perf_counter()
        call_command("cargar_demo", clientes=clientes, conexiones=conexiones, verbosity=0)
        print(f"Datos cargados en {time.perf_counter() - inicio:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def _crear_base_si_falta(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conexion:
        existe = conexion.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not existe:
            conexion.execute(f'CREATE DATABASE "{config["NAME"]}"')


def muestra():
    from bench.paginas import Muestra
    from clientes.models import ClienteCorp
    from conexiones.choices import EstadoConexion
    from conexiones.models import Conexion, Nodo
    from proveedores.models import ServicioProveedor

    conexion = (
        Conexion.objects.exclude(estado=EstadoConexion.BAJA)
        .exclude(servicio=None)
        .select_related("cliente", "servicio")
        .order_by("pk")[500]
    )
    cliente = ClienteCorp.objects.get(pk=conexion.cliente_id)
    servicio = ServicioProveedor.objects.get(pk=conexion.servicio_id)
    return Muestra(
        cliente_id=cliente.pk,
        conexion_id=conexion.pk,
        servicio_id=servicio.pk,
        proveedor_id=servicio.proveedor_id,
        nodo_id=conexion.nodo_a_id or Nodo.objects.order_by("pk").first().pk,
        texto_busqueda=cliente.razon_social.split()[1],
        ruc=cliente.ruc,
        razon_social=cliente.razon_social,
        locacion=conexion.locacion,
        servicio_codigo=servicio.codigo,
        nodo_nombre=Nodo.objects.get(pk=conexion.nodo_b_id).nombre if conexion.nodo_b_id else "POP",
    )


def cliente_http():
    """A test client logged in as the benchmark's superuser."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    usuario, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    http = Client()
    http.force_login(usuario)
    return http


class Cronometro:
    """CPU time (of this thread: other processes on a loaded machine do not count) spent
    rendering while it is active: the outermost Template.render calls of
    Django's backend (a page, a modal, a panel rendered to a string) and the list rows the
    views render in Python (ObjectListView.rows, Tabla.filas)."""

    def __init__(self):
        self.segundos = 0.0
        self._nivel = 0
        self._originales = []

    def _medida(self, original):
        cronometro = self

        def medida(*args, **kwargs):
            cronometro._nivel += 1
            inicio = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                cronometro._nivel -= 1
                if not cronometro._nivel:
                    cronometro.segundos += time.thread_time() - inicio

        return medida

    def __enter__(self):
        from django.template.backends.django import Template

        from isp_portal.generic import ObjectListView
        from isp_portal.tables import Tabla

        for clase, nombre in ((Template, "render"), (ObjectListView, "rows"), (Tabla, "filas")):
            original = clase.__dict__[nombre]
            self._originales.append((clase, nombre, original))
            setattr(clase, nombre, self._medida(original))
        return self

    def __exit__(self, *exc):
        for clase, nombre, original in self._originales:
            setattr(clase, nombre, original)


def medir_pagina(http, url: str, repeticiones: int) -> dict:
    """Status, queries and p50/p95 ms of `repeticiones` GETs of `url`, after 2 warm-ups;
    p50 of the time spent in SQL (waiting for the database) and of the CPU time of the
    request and of its rendering, apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        http.get(url)
    tiempos, cpu, sql, render = [], [], [], []
    for _ in range(repeticiones):
        inicio, inicio_cpu = time.perf_counter(), time.thread_time()
        with CaptureQueriesContext(connection) as consultas, Cronometro() as cronometro:
            respuesta = http.get(url)
        tiempos.append((time.perf_counter() - inicio) * 1000)
        cpu.append((time.thread_time() - inicio_cpu) * 1000)
        sql.append(sum(float(q["time"]) for q in consultas.captured_queries) * 1000)
        render.append(cronometro.segundos * 1000)
    return {
        "url": url,
        "estado": respuesta.status_code,
        "consultas": len(consultas),
        "p50_ms": round(percentil(tiempos, 50), 1),
        "p95_ms": round(percentil(tiempos, 95), 1),
        "cpu_p50_ms": round(percentil(cpu, 50), 1),
        "sql_p50_ms": round(percentil(sql, 50), 1),
        "render_p50_ms": round(percentil(render, 50), 1),
    }


def medir_paginas(repeticiones: int) -> list[dict]:
    """Every page of bench/paginas.py; the API's as a NOC lectura script calls them."""
    from django.test import Client

    from bench.paginas import PAGINAS

    http = cliente_http()
    api = Client(headers={"Authorization": f"Bearer {token_de_lectura()}"})
    m = muestra()
    return [
        {
            "pagina": pagina.nombre,
            "api": pagina.api,
            "consultas_extra": pagina.consultas_extra,
            "lista": pagina.lista,
            **medir_pagina(api if pagina.api else http, pagina.url(m), repeticiones),
        }
        for pagina in PAGINAS
    ]


def token_de_lectura() -> str:
    """A Bearer token of a "NOC lectura" user: the API is measured as scripts call it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from isp_portal.roles import GRUPO_LECTURA, asegurar_grupos
    from isp_portal.services import token_crear

    asegurar_grupos(Group, Permission)
    usuario, _ = get_user_model().objects.get_or_create(username="bench-api")
    usuario.groups.add(Group.objects.get(name=GRUPO_LECTURA))
    return token_crear(usuario=usuario, nombre="bench", dias=1)[1]


def medir_exportaciones() -> list[dict]:
    """Each export of bench/paginas.py once: status, queries, seconds, MB and rows."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.paginas import EXPORTACIONES

    # Every connection: the XLSX limit of the list page is not what is measured.
    settings.EXPORT_XLSX_MAX_FILAS = 10**9
    http = cliente_http()
    m = muestra()
    resultados = []
    for pagina in EXPORTACIONES:
        url = pagina.url(m)
        inicio = time.perf_counter()
        with CaptureQueriesContext(connection) as consultas:
            respuesta = http.get(url)
            with tempfile.TemporaryFile() as archivo:
                for bloque in respuesta.streaming_content:
                    archivo.write(bloque.encode() if isinstance(bloque, str) else bloque)
                respuesta.close()
                segundos = time.perf_counter() - inicio
                tamano = archivo.tell()
                archivo.seek(0)
                filas = _contar_filas(archivo, xlsx=url.endswith("xlsx"))
        resultados.append(
            {
                "pagina": pagina.nombre,
                "url": url,
                "estado": respuesta.status_code,
                "consultas": len(consultas),
                "segundos": round(segundos, 1),
                "mb": round(tamano / 1e6, 1),
                "filas": filas,
            }
        )
    return resultados


def _contar_filas(archivo, *, xlsx: bool) -> int:
    """Data rows of an exported file (the header left out)."""
    if xlsx:
        from openpyxl import load_workbook

        libro = load_workbook(archivo, read_only=True)
        filas = sum(1 for _ in libro.active.iter_rows(values_only=True))
        libro.close()
        return filas - 1
    import csv
    import io

    return sum(1 for _ in csv.reader(io.TextIOWrapper(archivo, encoding="utf-8-sig"))) - 1


def medir_ajuste_bw(repeticiones: int) -> dict:
    from conexiones.choices import EstadoConexion, ModoAjuste
    from conexiones.models import Conexion
    from conexiones.services import conexion_ajustar_bw

    rng = random.Random(7)
    ids = list(
        Conexion.objects.exclude(estado=EstadoConexion.BAJA)
        .filter(bw_contratado__gt=2)
        .values_list("pk", flat=True)[:5000]
    )
    tiempos = []
    for i in range(repeticiones * 2):
        conexion = Conexion.objects.get(pk=rng.choice(ids))
        modo = ModoAjuste.AUMENTAR if i % 2 == 0 else ModoAjuste.DISMINUIR
        inicio = time.perf_counter()
        conexion_ajustar_bw(
            conexion=conexion,
            modo=modo,
            mbps=1,
            motivo="bench",
            usuario=None,
            confirmar_sobresuscripcion=True,
        )
        tiempos.append((time.perf_counter() - inicio) * 1000)
    return {"p50_ms": round(percentil(tiempos, 50), 1), "p95_ms": round(percentil(tiempos, 95), 1)}


def medir_importacion(filas: int) -> dict:
    from bench import importar as bench_importar

    bench_importar._limpiar()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as directorio:
            return bench_importar.medir_clientes(Path(directorio), filas)
    finally:
        bench_importar._limpiar()


def imprimir(resultado: dict) -> None:
    if resultado.get("paginas") or resultado.get("ajuste_bw"):
        print(
            f"\n{'página':38} {'consultas':>9} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'SQL p50':>8} {'CPU p50':>8} {'render p50':>10}"
        )
    for fila in resultado.get("paginas", []):
        consultas, p95 = (
            (MAX_CONSULTAS_API, P95_API_MS) if fila.get("api") else (MAX_CONSULTAS, P95_PAGINA_MS)
        )
        consultas += fila.get("consultas_extra", 0)
        falla = fila["consultas"] > consultas or fila["p95_ms"] >= p95
        if fila.get("lista"):
            falla = falla or fila["p50_ms"] > P50_LISTA_MS or fila["p95_ms"] >= P95_LISTA_MS
        marca = "  ✗ objetivo" if falla or fila["estado"] != 200 else ""
        print(
            f"{fila['pagina'][:38]:38} {fila['consultas']:>9} {fila['p50_ms']:>8} "
            f"{fila['p95_ms']:>8} {fila.get('sql_p50_ms', ''):>8} {fila.get('cpu_p50_ms', ''):>8} "
            f"{fila.get('render_p50_ms', ''):>10}{marca}"
        )
    if resultado.get("ajuste_bw"):
        ajuste = resultado["ajuste_bw"]
        marca = "  ✗ objetivo" if ajuste["p95_ms"] >= P95_AJUSTE_MS else ""
        nombre = "Ajustar BW (servicio)"
        print(f"{nombre:38} {'':>9} {ajuste['p50_ms']:>8} {ajuste['p95_ms']:>8}{marca}")
    if resultado.get("importacion"):
        imp = resultado["importacion"]
        print(
            f"Importación de clientes: {imp['filas']:,} filas → {imp['filas_por_s']:,} filas/s "
            f"(bulk_create: {imp['bulk_create_filas_por_s']:,} filas/s; "
            f"relación {imp['relacion']}, objetivo ≥ 0.5)"
        )
    if resultado.get("exportaciones"):
        print(f"\n{'exportación':38} {'consultas':>9} {'s':>8} {'MB':>8} {'filas':>9}")
        for fila in resultado["exportaciones"]:
            marca = "  ✗ no terminó" if fila["estado"] != 200 or not fila["filas"] else ""
            print(
                f"{fila['pagina'][:38]:38} {fila['consultas']:>9} {fila['segundos']:>8} "
                f"{fila['mb']:>8} {fila['filas']:>9,}{marca}"
            )


def comparar(a: Path, b: Path) -> None:
    antes, despues = (json.loads(p.read_text()) for p in (a, b))
    previas = {f["pagina"]: f for f in antes.get("paginas", [])}
    print(f"{'página':38} {'p95 antes':>10} {'p95 ahora':>10} {'Δ %':>7}")
    for fila in despues.get("paginas", []):
        previa = previas.get(fila["pagina"])
        if previa:
            delta = (fila["p95_ms"] - previa["p95_ms"]) / max(previa["p95_ms"], 0.1) * 100
            print(
                f"{fila['pagina'][:38]:38} {previa['p95_ms']:>10} {fila['p95_ms']:>10} "
                f"{delta:>+6.0f}%"
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de ISP Portal")
    parser.add_argument("--clientes", type=int, default=100_000)
    parser.add_argument("--conexiones", type=int, default=200_000)
    parser.add_argument("--repeticiones", type=int, default=20)
    parser.add_argument("--filas-importacion", type=int, default=100_000)
    parser.add_argument("--comparar", nargs=2, type=Path, metavar=("A.json", "B.json"))
    parser.add_argument(
        "--solo",
        action="append",
        choices=PARTES,
        help="Mide solo esta parte (repetible); por defecto, todas.",
    )
    args = parser.parse_args(argv)
    partes = args.solo or PARTES
    if args.comparar:
        comparar(*args.comparar)
        return 0

    preparar(args.clientes, args.conexiones)
    from django.db import connection

    resultado = {
        "fecha": datetime.now().isoformat(timespec="seconds"),
        "base": f"{connection.vendor}:{connection.settings_dict['NAME']}",
    }
    if "paginas" in partes:
        resultado["paginas"] = medir_paginas(args.repeticiones)
    if "ajuste" in partes:
        resultado["ajuste_bw"] = medir_ajuste_bw(args.repeticiones)
    if "importacion" in partes and args.filas_importacion:
        resultado["importacion"] = medir_importacion(args.filas_importacion)
    if "exportaciones" in partes:
        resultado["exportaciones"] = medir_exportaciones()
    if "utilizacion" in partes:
        from bench import utilizacion as bench_utilizacion

        resultado["utilizacion"] = bench_utilizacion.medir(args.repeticiones)
    imprimir(resultado)
    if resultado.get("utilizacion"):
        bench_utilizacion.imprimir(resultado["utilizacion"])
    RESULTADOS.mkdir(exist_ok=True)
    archivo = RESULTADOS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    archivo.write_text(json.dumps(resultado, indent=2, ensure_ascii=False, default=str))
    print(f"\nResultados: {archivo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
