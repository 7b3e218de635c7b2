"""Client pages benchmark: `python -m bench.clientes`.

Against DATABASE_URL (PostgreSQL, default isp_clientes2; created, migrated and loaded with
100k clients and no connections when empty), prints p50/p95 server time and query count of the
client list, a text search, a RUC search and a client detail (30 requests each, in-process
test client as a superuser), and the EXPLAIN of the text-search count query.
"""

import os

DB_POR_DEFECTO = "postgres://postgres@127.0.0.1:5432/isp_clientes2"
REPETICIONES = 30
CLIENTES = 100_000


def preparar() -> None:
    """The benchmark's own database (clients only), loaded as `python -m bench` loads its."""
    os.environ.setdefault("DATABASE_URL", DB_POR_DEFECTO)
    from bench.__main__ import preparar as preparar_base

    preparar_base(CLIENTES, 0)


def medir() -> None:
    from django.db import connection

    from bench.__main__ import cliente_http, medir_pagina
    from clientes.filters import ClienteCorpFilterSet
    from clientes.models import ClienteCorp

    http = cliente_http()
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
        m = medir_pagina(http, url, REPETICIONES)
        print(
            f"{nombre:<22} {m['estado']:>6} {m['consultas']:>9} "
            f"{m['p50_ms']:>8.1f} {m['p95_ms']:>8.1f}  {url}"
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
