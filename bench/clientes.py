"""Client pages benchmark: `python -m bench.clientes`.

Against DATABASE_URL (PostgreSQL, default isp_clientes2; created, migrated and loaded with
100k clients and no connections when empty), prints p50/p95 server time and query count of the
client list, a text search, a RUC search and a client detail (30 requests each, in-process
test client as a superuser), and the EXPLAIN of the text-search count query.
"""

import os
import time

DB_POR_DEFECTO = "postgres://postgres@127.0.0.1:5432/isp_clientes2"
REPETICIONES = 30
CLIENTES = 100_000


def preparar() -> None:
    os.environ.setdefault("DATABASE_URL", DB_POR_DEFECTO)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings_test")
    from bench.__main__ import _crear_base_si_falta

    _crear_base_si_falta(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from clientes.models import ClienteCorp

    call_command("migrate", verbosity=0, interactive=False)
    if not ClienteCorp.objects.exists():
        inicio = time.perf_counter()
        call_command("cargar_demo", clientes=CLIENTES, conexiones=0, verbosity=0)
        print(f"Datos cargados en {time.perf_counter() - inicio:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def medir() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.__main__ import percentil
    from clientes.filters import ClienteCorpFilterSet
    from clientes.models import ClienteCorp

    setup_test_environment()
    usuario, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    http = Client()
    http.force_login(usuario)
    cliente = ClienteCorp.objects.order_by("pk")[CLIENTES // 2 if CLIENTES else 0]
    texto = max(cliente.razon_social.split(), key=len)
    paginas = [
        ("lista de clientes", "/clientes_corporativo/"),
        ("búsqueda por texto", f"/clientes_corporativo/?busqueda={texto}"),
        ("búsqueda por RUC", f"/clientes_corporativo/?busqueda={cliente.ruc}"),
        ("detalle de cliente", f"/clientes_corporativo/{cliente.pk}/"),
    ]
    print(f"{'página':<22} {'estado':>6} {'consultas':>9} {'p50 ms':>8} {'p95 ms':>8}  url")
    for nombre, url in paginas:
        for _ in range(2):
            http.get(url)
        tiempos = []
        for _ in range(REPETICIONES):
            inicio = time.perf_counter()
            with CaptureQueriesContext(connection) as consultas:
                respuesta = http.get(url)
            tiempos.append((time.perf_counter() - inicio) * 1000)
        print(
            f"{nombre:<22} {respuesta.status_code:>6} {len(consultas):>9} "
            f"{percentil(tiempos, 50):>8.1f} {percentil(tiempos, 95):>8.1f}  {url}"
        )
    qs = ClienteCorpFilterSet({"busqueda": texto}, queryset=ClienteCorp.objects.all()).qs
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS sub", params)
            print(f"\nEXPLAIN de la cuenta de la búsqueda «{texto}»:")
            for (linea,) in cursor.fetchall():
                print(linea)


if __name__ == "__main__":
    preparar()
    medir()
