"""Utilised bandwidth at 200k connections (`python -m bench --solo utilizacion`, PostgreSQL):

- one five-minute cycle for every link pushed through POST /v1/utilizacion in batches of
  10 000 (target ≤ 10 s in all), beside PostgreSQL's COPY of the same rows (the floor);
- the series of one link over 30 days and over a year, with 8 days of readings and a year
  of hourly roll-ups for it (target p95 < 50 ms);
- the saturation page with every link's 7-day percentile (target p95 < 300 ms, constant
  queries), after the worker's percentile pass;
- the readings' table size per link per day.
"""

import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

LOTE = 10_000
OBJETIVO_CARGA_S = 10
P95_SERIE_MS = 50
P95_SATURACION_MS = 300


def _cliente_monitoreo():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    from isp_portal.roles import GRUPO_MONITOREO, asegurar_grupos
    from isp_portal.services import token_crear

    asegurar_grupos(Group, Permission)
    usuario, _ = get_user_model().objects.get_or_create(username="bench-monitoreo")
    usuario.groups.add(Group.objects.get(name=GRUPO_MONITOREO))
    token = token_crear(usuario=usuario, nombre="bench", dias=1)[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def _ciclo(cids: list[str], momento: datetime, semilla: int) -> list[dict]:
    return [
        {
            "cid_enlace": cid,
            "momento": momento.isoformat(),
            "entrada_mbps": round((i * 7 + semilla) % 900 + 0.5, 1),
            "salida_mbps": (i * 3 + semilla) % 400,
        }
        for i, cid in enumerate(cids)
    ]


def medir_carga(api, cids: list[str], momento: datetime) -> dict:
    """POST the cycle in batches; then COPY the same rows into a scratch copy of the table."""
    muestras = _ciclo(cids, momento, 1)
    cuerpos = [
        json.dumps({"muestras": muestras[i : i + LOTE]}) for i in range(0, len(muestras), LOTE)
    ]
    inicio = time.perf_counter()
    guardadas = 0
    for cuerpo in cuerpos:
        respuesta = api.post("/v1/utilizacion", cuerpo, content_type="application/json")
        assert respuesta.status_code == 200, respuesta.content[:300]
        guardadas += respuesta.json()["guardadas"]
    api_s = time.perf_counter() - inicio

    from django.db import connection

    from conexiones.models import Conexion

    ids = dict(Conexion.objects.values_list("cid_enlace", "pk"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copia_muestras (LIKE conexiones_muestrautilizacion)")
        inicio = time.perf_counter()
        with cursor.copy(
            "COPY copia_muestras (conexion_id, momento, entrada_mbps, salida_mbps) FROM STDIN"
        ) as copia:
            for m in muestras:
                copia.write_row(
                    (ids[m["cid_enlace"]], momento, m["entrada_mbps"], m["salida_mbps"])
                )
        copy_s = time.perf_counter() - inicio
        cursor.execute("DROP TABLE copia_muestras")
    return {
        "lecturas": guardadas,
        "segundos": round(api_s, 2),
        "lecturas_por_s": round(guardadas / api_s),
        "copy_segundos": round(copy_s, 2),
        "copy_lecturas_por_s": round(len(muestras) / copy_s),
        "relacion_copy": round(copy_s / api_s, 2),
    }


def _historia_de_un_enlace(conexion_id: int, ahora: datetime) -> None:
    """8 days of five-minute readings and a year of hourly roll-ups for one link."""
    from conexiones.models import MuestraHoraria
    from conexiones.services import Lectura, muestras_registrar

    MuestraHoraria.objects.filter(conexion_id=conexion_id).delete()
    inicio = ahora - timedelta(days=8)
    lecturas = [
        Lectura(conexion_id, inicio + timedelta(minutes=5 * i), Decimal(i % 500), Decimal(i % 90))
        for i in range(8 * 288)
    ]
    # Stored as "recent" so the service does not roll them up one hour at a time.
    muestras_registrar(lecturas, ahora=inicio)
    hora0 = (ahora - timedelta(days=365)).replace(minute=0, second=0, microsecond=0)
    MuestraHoraria.objects.bulk_create(
        [
            MuestraHoraria(
                conexion_id=conexion_id,
                hora=hora0 + timedelta(hours=h),
                muestras=12,
                entrada_promedio=Decimal(h % 400),
                entrada_maximo=Decimal(h % 400 + 20),
                entrada_p95=Decimal(h % 400 + 15),
                salida_promedio=Decimal(h % 100),
                salida_maximo=Decimal(h % 100 + 5),
                salida_p95=Decimal(h % 100 + 4),
            )
            for h in range(365 * 24)
        ],
        batch_size=5000,
    )


def medir_series(api, conexion_id: int, ahora: datetime, repeticiones: int) -> list[dict]:
    from bench.__main__ import medir_pagina

    _historia_de_un_enlace(conexion_id, ahora)
    filas = []
    for nombre, dias in (
        ("Serie 24 h (5m)", 1),
        ("Serie 30 días (1h)", 30),
        ("Serie 1 año (1d)", 365),
    ):
        url = (
            f"/v1/conexiones/{conexion_id}/utilizacion?"
            f"desde={(ahora - timedelta(days=dias)).isoformat().replace('+', '%2B')}"
            f"&hasta={ahora.isoformat().replace('+', '%2B')}"
        )
        filas.append({"pagina": nombre, **medir_pagina(api, url, repeticiones)})
    return filas


def medir(repeticiones: int) -> dict:
    from django.db import connection

    from bench.__main__ import cliente_http, medir_pagina
    from conexiones.models import Conexion
    from conexiones.services import utilizacion_percentiles

    assert connection.vendor == "postgresql", "el benchmark de utilización es para PostgreSQL"
    api = _cliente_monitoreo()
    cids = list(Conexion.objects.order_by("pk").values_list("cid_enlace", flat=True))
    ahora = datetime.now(UTC).replace(second=0, microsecond=0)
    momento = ahora - timedelta(minutes=ahora.minute % 5)
    resultado = {"carga": medir_carga(api, cids, momento)}
    # A second cycle, five minutes later (the steady state: the partition exists).
    resultado["carga_2"] = medir_carga(api, cids, momento + timedelta(minutes=5))
    inicio = time.perf_counter()
    resultado["percentiles"] = {
        "filas": utilizacion_percentiles(ahora=momento + timedelta(minutes=5)),
        "segundos": round(time.perf_counter() - inicio, 2),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE conexiones_utilizacionsemanal")
        cursor.execute("ANALYZE conexiones_muestrautilizacion")
    http = cliente_http()
    conexion_id = Conexion.objects.order_by("pk").values_list("pk", flat=True)[500]
    resultado["series"] = medir_series(api, conexion_id, ahora, repeticiones)
    resultado["saturacion"] = [
        {"pagina": nombre, **medir_pagina(http, url, repeticiones)}
        for nombre, url in (
            ("Saturación (saturadas)", "/utilizacion/"),
            ("Saturación (página 50)", "/utilizacion/?umbral=1&page=50"),
            ("Saturación (sin lecturas)", "/utilizacion/sin-lecturas/"),
            ("Saturación (servicios)", "/utilizacion/servicios/"),
        )
    ]
    resultado["tamano"] = _tamano(len(cids))
    return resultado


def _tamano(enlaces: int) -> dict:
    """Bytes per link per day of readings: the size of the readings' partitions (data and
    primary key) over the link-days they hold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COALESCE(SUM(pg_total_relation_size(i.inhrelid)), 0)
            FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'conexiones_muestrautilizacion'"""
        )
        total = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM conexiones_muestrautilizacion")
        filas = cursor.fetchone()[0]
    por_lectura = total / max(filas, 1)
    return {
        "bytes_por_lectura": round(por_lectura, 1),
        "kb_por_enlace_por_dia": round(por_lectura * 288 / 1024, 1),
        "lecturas": filas,
        "enlaces": enlaces,
    }


def imprimir(resultado: dict) -> None:
    for clave in ("carga", "carga_2"):
        c = resultado[clave]
        marca = "" if c["segundos"] <= OBJETIVO_CARGA_S else "  ✗ objetivo"
        print(
            f"POST /v1/utilizacion ({'1.er' if clave == 'carga' else '2.º'} ciclo): "
            f"{c['lecturas']:,} lecturas en {c['segundos']} s = {c['lecturas_por_s']:,}/s; "
            f"COPY {c['copy_segundos']} s = {c['copy_lecturas_por_s']:,}/s; "
            f"relación COPY/API {c['relacion_copy']}{marca}"
        )
    p = resultado["percentiles"]
    print(f"Percentiles de 7 días (trabajador): {p['filas']:,} enlaces en {p['segundos']} s")
    print(f"\n{'utilización':38} {'consultas':>9} {'p50 ms':>8} {'p95 ms':>8}")
    filas = [(f, P95_SERIE_MS) for f in resultado["series"]]
    filas += [(f, P95_SATURACION_MS) for f in resultado["saturacion"]]
    for fila, objetivo in filas:
        falla = fila["p95_ms"] >= objetivo or fila["estado"] != 200
        print(
            f"{fila['pagina']:38} {fila['consultas']:>9} {fila['p50_ms']:>8} "
            f"{fila['p95_ms']:>8}{'  ✗ objetivo' if falla else ''}"
        )
    t = resultado["tamano"]
    print(
        f"Tabla de lecturas: {t['bytes_por_lectura']} bytes por lectura = "
        f"{t['kb_por_enlace_por_dia']} KB por enlace por día (288 lecturas)"
    )
