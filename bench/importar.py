"""Benchmark of `manage.py importar`: rows per second on the database of DATABASE_URL, and
the same as a ratio to bare `bulk_create` into the same table in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/isp_importar .venv/bin/python -m bench.importar

Clients: a CSV of 100,000 rows (half of the RUCs already in the database, seeded with
bulk_create; those rows change razon_social/responsable) is imported in-process, with its
history rows. The yardstick: bare `bulk_create` of 100,000 new clients from the same kind
of data (`ClienteCorp(**fila)` for each row, in batches of the import's size, no history),
into the same table. Both run alternately three times (--rondas); the best time of each and
their ratio are what to compare between runs on a shared machine (target: ≥ 0.5).

Connections: 20,000 rows, half existing, a tenth of those with a new bw_contratado (so they
write AjusteBW rows). Everything the benchmark creates is deleted at the end; its RUCs, CIDs
and names use ranges the demo data does not.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

import django

CLIENTES = 100_000
RONDAS = 3
CONEXIONES = 20_000
RUC_BASE = 60_000_000  # ruc_valido(RUC_BASE + i): far from the demo data's range
RANGO = 1_000_000  # at most this many benchmark clients
CID_BASE = 90_000_000
PREFIJO = "BENCH-IMP"


def _preparar_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings_test")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _limpiar() -> None:
    from clientes.models import ClienteCorp
    from conexiones.models import AjusteBW, Conexion, Nodo
    from isp_portal.datos_demo import ruc_valido
    from proveedores.models import Proveedor, ServicioProveedor

    conexiones = Conexion.objects.filter(cid_enlace__startswith=PREFIJO)
    _borrar(AjusteBW.objects.filter(conexion__in=conexiones))
    _borrar(conexiones)
    _borrar(ServicioProveedor.objects.filter(codigo__startswith=PREFIJO))
    _borrar(Proveedor.objects.filter(nombre__startswith=PREFIJO))
    _borrar(Nodo.objects.filter(nombre__startswith=PREFIJO))
    # 11-digit strings sort as numbers: the range holds only the benchmark's RUCs.
    _borrar(
        ClienteCorp.objects.filter(
            ruc__gte=ruc_valido(RUC_BASE), ruc__lte=ruc_valido(RUC_BASE + RANGO - 1)
        )
    )
    _vacuum(ClienteCorp, Conexion, AjusteBW)


def _vacuum(*modelos) -> None:
    """Each measure starts from tables without the dead rows of the one before (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tablas = [m._meta.db_table for m in modelos]
    tablas += [m.history.model._meta.db_table for m in modelos if hasattr(m, "history")]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(map(connection.ops.quote_name, tablas))}")


def _borrar(consulta) -> None:
    """Delete the benchmark's rows and their history rows in SQL: Model.delete() would write
    a "-" history row per object, one at a time."""
    historia = getattr(consulta.model, "history", None)
    if historia is not None:
        versiones = historia.model.objects.filter(id__in=consulta.values("pk"))
        versiones._raw_delete(versiones.db)
    consulta._raw_delete(consulta.db)


def _cliente(i: int, *, version: int) -> dict:
    from isp_portal.datos_demo import ruc_valido

    return {
        "cid": str(CID_BASE + i),
        "cod_erp": f"ERP-B{i}",
        "razon_social": f"Empresa de prueba {i} S.A.C." + (" (v2)" if version else ""),
        "ruc": ruc_valido(RUC_BASE + i),
        "responsable": "Responsable " + ("nuevo" if version else "original"),
        "telefono": "01 611 0000",
        "correo": f"noc{i}@cliente.pe",
        "fecha_activacion": "2024-05-01",
        "is_active": 1,
    }


def bench_bulk_create(total: int) -> float:
    """Seconds of a bare bulk_create of `total` new clients, from their rows of data."""
    from django.db import transaction

    from clientes.models import ClienteCorp
    from isp_portal.importacion.motor import TAM_LOTE

    filas = [_cliente(i, version=0) for i in range(total)]
    inicio = time.perf_counter()
    with transaction.atomic():
        ClienteCorp.objects.bulk_create([ClienteCorp(**f) for f in filas], batch_size=TAM_LOTE)
    segundos = time.perf_counter() - inicio
    print(f"bulk_create: {total:,} clientes en {segundos:.2f} s → {total / segundos:,.0f} filas/s")
    _limpiar()
    return segundos


def bench_clientes(directorio: Path, total: int) -> float:
    from clientes.importacion import CLIENTE_COLUMNS
    from clientes.models import ClienteCorp
    from isp_portal.importacion import importar

    existentes = total // 2
    ClienteCorp.objects.bulk_create(
        [ClienteCorp(**_cliente(i, version=0)) for i in range(existentes)], batch_size=5000
    )
    _vacuum(ClienteCorp)
    ruta = directorio / "clientes.csv"
    with ruta.open("w", encoding="utf-8", newline="") as archivo:
        escritor = csv.writer(archivo)
        escritor.writerow(CLIENTE_COLUMNS)
        for i in range(total):
            fila = _cliente(i, version=1)
            escritor.writerow([fila[c] for c in CLIENTE_COLUMNS])

    inicio = time.perf_counter()
    resultado = importar(entidad="clientes", ruta=ruta)
    segundos = time.perf_counter() - inicio
    assert resultado.ok, resultado.errores[:5]
    assert (resultado.creados, resultado.actualizados) == (total - existentes, existentes)
    print(
        f"clientes: {total:,} filas ({resultado.resumen()}) en {segundos:.2f} s "
        f"→ {total / segundos:,.0f} filas/s"
    )
    _limpiar()
    return segundos


def medir_clientes(directorio: Path, total: int, *, rondas: int = RONDAS) -> dict:
    """Import and bare bulk_create of `total` clients, alternately, `rondas` times: the best
    time of each (what other work on a shared machine disturbs least) and their ratio."""
    importacion, bulk_create = [], []
    for _ in range(rondas):
        importacion.append(bench_clientes(directorio, total))
        bulk_create.append(bench_bulk_create(total))
    importacion, bulk_create = min(importacion), min(bulk_create)
    relacion = bulk_create / importacion
    print(
        f"mejor de {rondas}: importación {total / importacion:,.0f} filas/s, bulk_create "
        f"{total / bulk_create:,.0f} filas/s; relación {relacion:.2f} (objetivo ≥ 0.5)"
    )
    return {
        "filas": total,
        "segundos": round(importacion, 2),
        "filas_por_s": round(total / importacion),
        "bulk_create_filas_por_s": round(total / bulk_create),
        "relacion": round(relacion, 2),
    }


def bench_conexiones(directorio: Path, total: int) -> float:
    from clientes.models import ClienteCorp
    from conexiones.importacion import CONEXION_COLUMNS
    from conexiones.models import AjusteBW, Conexion, Nodo
    from isp_portal.importacion import importar
    from proveedores.models import Proveedor, ServicioProveedor

    clientes = ClienteCorp.objects.bulk_create(
        [ClienteCorp(**_cliente(i, version=0)) for i in range(200)]
    )
    proveedor = Proveedor.objects.create(nombre=f"{PREFIJO} Carrier")
    servicios = ServicioProveedor.objects.bulk_create(
        [
            ServicioProveedor(
                proveedor=proveedor,
                codigo=f"{PREFIJO}-{i}",
                modalidad="Fibra Óptica",
                capacidad_contratada=200_000,
            )
            for i in range(20)
        ]
    )
    nodos = Nodo.objects.bulk_create(
        [Nodo(nombre=f"{PREFIJO}-N{i}", tipo="POP") for i in range(40)]
    )

    def fila(i: int, bw: int) -> dict:
        cliente = clientes[i % len(clientes)]
        return {
            "cid_enlace": f"{PREFIJO}-{i:06d}",
            "cliente": cliente,
            "servicio": servicios[i % len(servicios)],
            "tipo_enlace": "Internet",
            "modalidad_enlace": "P2P",
            "estado": "ACTIVO",
            "bw_contratado": bw,
            "departamento": "Lima",
            "provincia": "Lima",
            "distrito": "Miraflores",
            "direccion": f"Av. Larco {i}",
            "nodo_a": nodos[i % 40],
            "nodo_b": nodos[(i + 1) % 40],
        }

    existentes = total // 2
    Conexion.objects.bulk_create(
        [Conexion(**fila(i, 100)) for i in range(existentes)], batch_size=5000
    )
    ruta = directorio / "conexiones.csv"
    ajustes = 0
    with ruta.open("w", encoding="utf-8", newline="") as archivo:
        escritor = csv.writer(archivo)
        escritor.writerow(CONEXION_COLUMNS)
        for i in range(total):
            bw = 100
            if i < existentes and i % 10 == 0:
                bw, ajustes = 150, ajustes + 1
            datos = fila(i, bw)
            celdas = {
                **datos,
                "cliente_ruc": datos["cliente"].ruc,
                "proveedor": proveedor.nombre,
                "servicio_codigo": datos["servicio"].codigo,
                "nodo_a": datos["nodo_a"].nombre,
                "nodo_b": datos["nodo_b"].nombre,
            }
            escritor.writerow([celdas.get(c, "") for c in CONEXION_COLUMNS])

    inicio = time.perf_counter()
    resultado = importar(entidad="conexiones", ruta=ruta)
    segundos = time.perf_counter() - inicio
    assert resultado.ok, resultado.errores[:5]
    assert AjusteBW.objects.filter(conexion__cid_enlace__startswith=PREFIJO).count() == ajustes
    print(
        f"conexiones: {total:,} filas ({resultado.resumen()}; {ajustes:,} ajustes de BW) "
        f"en {segundos:.2f} s → {total / segundos:,.0f} filas/s"
    )
    return segundos


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clientes", type=int, default=CLIENTES)
    parser.add_argument("--conexiones", type=int, default=CONEXIONES)
    parser.add_argument("--rondas", type=int, default=RONDAS)
    args = parser.parse_args(argv)

    _preparar_django()
    from django.db import connection

    print(f"Base de datos: {connection.vendor} ({connection.settings_dict['NAME']})")
    _limpiar()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-importar-") as directorio:
            if args.clientes:
                medir_clientes(Path(directorio), args.clientes, rondas=args.rondas)
            if args.conexiones:
                bench_conexiones(Path(directorio), args.conexiones)
    finally:
        _limpiar()
    return 0


if __name__ == "__main__":
    sys.exit(main())
