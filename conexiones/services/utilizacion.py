"""Utilised bandwidth readings: the one way in for the API, the line protocol, the
Prometheus pull and the import, and the work of the worker (roll-ups, partitions, the
saturation percentiles).

- `lecturas_validar` checks raw readings (dicts) and says, by position and field, what is
  wrong with each bad one; a bad reading refuses the whole batch (`MuestrasInvalidas`).
- `muestras_registrar` stores checked readings: one per (connection, momento), a reading
  sent again replaces the stored one; unknown connections are reported, not refused. Each
  connection's `bw_utilizado` becomes its latest reading's larger direction, rounded to Mbps,
  with `bw_utilizado_momento`; an older reading arriving late never overwrites a newer one.
- `utilizacion_consolidar` computes the hourly roll-ups (average, maximum, 95th percentile)
  of a range; `utilizacion_percentiles` the saturation page's 7-day percentiles;
  `particiones_mantener` creates the coming daily partitions (PostgreSQL) and drops
  expired ones, then deletes expired roll-ups.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import Greatest, TruncHour
from django.utils import timezone

from ..agregados import Percentil95
from ..models import Conexion, MuestraHoraria, MuestraUtilizacion, UtilizacionSemanal

LOTE_MAXIMO = 50_000
ANTICIPO_MAXIMO = timedelta(minutes=10)
# A reading's hour is rolled up by the worker's next cycle if it is this recent; an older
# one (a back-fill, a late push) is rolled up at once by the service.
CONSOLIDACION_DEL_CICLO = timedelta(hours=2)
# The saturation page's window and the monitoring gap.
DIAS_PERCENTIL = 7
SIN_LECTURAS = timedelta(minutes=30)
MIL = Decimal("0.001")
TABLA = MuestraUtilizacion._meta.db_table
CAMPOS = ("momento", "entrada_mbps", "salida_mbps")


@dataclass(frozen=True, slots=True)
class Lectura:
    """A checked reading. `conexion` is the CID as sent (str) or the enlace_id (int)."""

    conexion: str | int
    momento: datetime
    entrada_mbps: Decimal
    salida_mbps: Decimal


class MuestrasInvalidas(Exception):
    """Bad readings: {position in the batch: {field: message}}. Nothing was stored."""

    def __init__(self, errores: dict[int, dict[str, str]]):
        super().__init__(f"{len(errores)} lecturas inválidas")
        self.errores = errores


@dataclass
class Registro:
    guardadas: int = 0
    desconocidas: list[str] = field(default_factory=list)


def _mbps(valor, maximo: int) -> Decimal:
    tipo = type(valor)
    if tipo is int or tipo is float:  # the JSON fast path (bool is not int here)
        if tipo is float and not math.isfinite(valor):
            raise ValueError("Ingrese un número finito de Mbps.")
        if valor < 0:
            raise ValueError("No puede ser negativo.")
        if valor > maximo:
            raise ValueError(f"Supera el máximo de {maximo} Mbps por conexión.")
        numero = Decimal(valor) if tipo is int else Decimal(repr(valor))
        return numero if tipo is int else numero.quantize(MIL, rounding=ROUND_HALF_UP)
    if isinstance(valor, bool) or valor is None:
        raise ValueError("Ingrese un número de Mbps.")
    if isinstance(valor, float):
        return _mbps(float(valor), maximo)
    if isinstance(valor, int | Decimal):
        numero = Decimal(valor)
    elif isinstance(valor, str):
        try:
            numero = Decimal(valor.strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError("Ingrese un número de Mbps.") from None
    else:
        raise ValueError("Ingrese un número de Mbps.")
    if not numero.is_finite():
        raise ValueError("Ingrese un número finito de Mbps.")
    if numero < 0:
        raise ValueError("No puede ser negativo.")
    if numero > maximo:
        raise ValueError(f"Supera el máximo de {maximo} Mbps por conexión.")
    return numero.quantize(MIL, rounding=ROUND_HALF_UP)


def _momento(valor, zona, limite: datetime) -> datetime:
    if isinstance(valor, datetime):
        momento = valor
    elif isinstance(valor, str):
        try:
            momento = datetime.fromisoformat(valor.strip())
        except ValueError:
            raise ValueError(
                "Fecha y hora inválida: use ISO 8601, p. ej. 2026-12-03T10:05:00-05:00."
            ) from None
    else:
        raise ValueError("Indique la fecha y hora (ISO 8601).")
    if timezone.is_naive(momento):
        if zona is None:
            raise ValueError("Indique la zona horaria (p. ej. -05:00 o Z).")
        momento = timezone.make_aware(momento, zona)
    if momento > limite:
        raise ValueError("Está más de 10 minutos en el futuro.")
    if momento.year < 2000:
        raise ValueError("Fecha fuera de rango.")
    return momento


def _conexion(fila: Mapping) -> str | int:
    cid = fila.get("cid_enlace")
    if cid is None:
        enlace_id = fila.get("enlace_id")
        if isinstance(enlace_id, int) and not isinstance(enlace_id, bool) and enlace_id > 0:
            return enlace_id
        if isinstance(enlace_id, str) and enlace_id.strip().isdecimal():
            return int(enlace_id.strip())
        if enlace_id is None:
            raise ValueError("Indique cid_enlace o enlace_id.")
        raise ValueError("enlace_id debe ser un entero positivo.")
    if not isinstance(cid, str | int) or isinstance(cid, bool) or not str(cid).strip():
        raise ValueError("Indique el CID del enlace (texto).")
    texto = str(cid).strip()
    if len(texto) > Conexion._meta.get_field("cid_enlace").max_length or "\x00" in texto:
        raise ValueError("CID inválido.")
    return texto


def lecturas_validar(
    filas: Iterable[Mapping], *, ahora: datetime | None = None, zona=None
) -> list[Lectura]:
    """The readings, checked; or MuestrasInvalidas naming each bad one's position and field.

    `zona`: the time zone of a moment written without one (the import's local time); None
    refuses such a moment, as the API does.
    """
    limite = (ahora or timezone.now()) + ANTICIPO_MAXIMO
    maximo = settings.BW_MAXIMO_MBPS
    lecturas: list[Lectura] = []
    errores: dict[int, dict[str, str]] = {}
    # A monitoring cycle sends one moment for every link: each text is parsed once.
    momentos: dict[str, datetime] = {}
    for indice, fila in enumerate(filas):
        if not isinstance(fila, Mapping):
            errores[indice] = {"muestra": "Cada muestra es un objeto."}
            continue
        malos: dict[str, str] = {}
        try:
            conexion = _conexion(fila)
        except ValueError as error:
            malos["cid_enlace"] = str(error)
        texto = fila.get("momento")
        try:
            momento = momentos.get(texto) if type(texto) is str else None
            if momento is None:
                momento = _momento(texto, zona, limite)
                if type(texto) is str:
                    momentos[texto] = momento
        except ValueError as error:
            malos["momento"] = str(error)
        try:
            entrada = _mbps(fila.get("entrada_mbps"), maximo)
        except ValueError as error:
            malos["entrada_mbps"] = str(error)
        try:
            salida = _mbps(fila.get("salida_mbps"), maximo)
        except ValueError as error:
            malos["salida_mbps"] = str(error)
        if malos:
            errores[indice] = malos
        elif not errores:
            lecturas.append(Lectura(conexion, momento, entrada, salida))
    if errores:
        raise MuestrasInvalidas(errores)
    return lecturas


def _ids(lecturas: Sequence[Lectura]) -> tuple[dict, list[str]]:
    """{CID or enlace_id as sent: connection id} of the known ones, and the unknown ones."""
    cids = {lectura.conexion for lectura in lecturas if isinstance(lectura.conexion, str)}
    numeros = {lectura.conexion for lectura in lecturas if isinstance(lectura.conexion, int)}
    ids: dict = {}
    cid_field = Conexion._meta.get_field("cid_enlace")
    normalizados: dict[str, list[str]] = {}
    for cid in cids:
        normalizados.setdefault(cid_field.to_python(cid), []).append(cid)
    claves = list(normalizados)
    if connection.vendor == "postgresql" and claves:
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"SELECT cid_enlace, id FROM {Conexion._meta.db_table} "
                "WHERE cid_enlace = ANY(%s)",
                [claves],
            )
            for cid, pk in cursor:
                for enviado in normalizados.get(cid, ()):
                    ids[enviado] = pk
        claves = []
    for inicio in range(0, len(claves), 5000):
        parte = claves[inicio : inicio + 5000]
        for cid, pk in Conexion.objects.filter(cid_enlace__in=parte).values_list(
            "cid_enlace", "pk"
        ):
            for enviado in normalizados.get(cid, ()):
                ids[enviado] = pk
    lista = list(numeros)
    for inicio in range(0, len(lista), 5000):
        for pk in Conexion.objects.filter(pk__in=lista[inicio : inicio + 5000]).values_list(
            "pk", flat=True
        ):
            ids[pk] = pk
    desconocidas = []
    vistas = set()
    for lectura in lecturas:
        if lectura.conexion not in ids and lectura.conexion not in vistas:
            vistas.add(lectura.conexion)
            desconocidas.append(str(lectura.conexion))
    return ids, desconocidas


def muestras_registrar(lecturas: Sequence[Lectura], *, ahora: datetime | None = None) -> Registro:
    """Store checked readings in one transaction (see the module's docstring)."""
    ids, desconocidas = _ids(lecturas)
    # One reading per (connection, momento): the last one sent wins, as a re-send would.
    filas: dict[tuple[int, datetime], Lectura] = {}
    for lectura in lecturas:
        pk = ids.get(lectura.conexion)
        if pk is not None:
            filas[(pk, lectura.momento.astimezone(UTC))] = lectura
    if not filas:
        return Registro(0, desconocidas)
    ordenadas = sorted(filas.items(), key=lambda item: item[0])
    ultimas: dict[int, tuple[datetime, int]] = {}
    for (pk, momento), lectura in ordenadas:
        ultimas[pk] = (momento, _bw_utilizado(lectura))  # sorted: the last is the latest
    with transaction.atomic():
        if connection.vendor == "postgresql":
            particiones_asegurar({m.date() for _, m in filas})
            _guardar_postgresql(ordenadas, ultimas)
        else:
            _guardar_generico(ordenadas, ultimas)
        limite = (ahora or timezone.now()) - CONSOLIDACION_DEL_CICLO
        antiguas = [momento for (_, momento) in filas if momento < limite]
        if antiguas:
            utilizacion_consolidar(min(antiguas), max(antiguas))
    return Registro(len(filas), desconocidas)


def muestras_cargar(filas: Sequence[Mapping], *, ahora=None, zona=None) -> Registro:
    """Check and store raw readings: the API's entry point (MuestrasInvalidas if any is bad)."""
    if len(filas) > LOTE_MAXIMO:
        raise MuestrasInvalidas(
            {LOTE_MAXIMO: {"muestras": f"Envíe hasta {LOTE_MAXIMO} muestras por pedido."}}
        )
    return muestras_registrar(lecturas_validar(filas, ahora=ahora, zona=zona), ahora=ahora)


def _bw_utilizado(lectura: Lectura) -> int:
    mayor = max(lectura.entrada_mbps, lectura.salida_mbps)
    return int(mayor.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _guardar_postgresql(ordenadas, ultimas) -> None:
    """One INSERT … ON CONFLICT for the readings and one UPDATE for the figures, each with
    the batch as arrays (a statement per batch, whatever its size). A cursor that binds on
    the server: Django's binds on the client, quoting tens of thousands of values as text."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"""INSERT INTO {TABLA} (conexion_id, momento, entrada_mbps, salida_mbps)
            SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::numeric[], %s::numeric[])
            ON CONFLICT (conexion_id, momento) DO UPDATE
            SET entrada_mbps = EXCLUDED.entrada_mbps, salida_mbps = EXCLUDED.salida_mbps""",
            [
                [pk for (pk, _), _ in ordenadas],
                [momento for (_, momento), _ in ordenadas],
                [lectura.entrada_mbps for _, lectura in ordenadas],
                [lectura.salida_mbps for _, lectura in ordenadas],
            ],
        )
        pks = sorted(ultimas)
        # Rows locked in primary-key order (conexiones.services.bloqueos' rule), so two
        # batches over the same connections cannot deadlock.
        cursor.execute(
            f"""WITH bloqueadas AS (
                SELECT id FROM {Conexion._meta.db_table} WHERE id = ANY(%s)
                ORDER BY id FOR NO KEY UPDATE
            )
            UPDATE {Conexion._meta.db_table} AS c
            SET bw_utilizado = v.bw, bw_utilizado_momento = v.momento
            FROM unnest(%s::bigint[], %s::timestamptz[], %s::integer[]) AS v(id, momento, bw)
            WHERE c.id = v.id AND c.id IN (SELECT id FROM bloqueadas)
              AND (c.bw_utilizado_momento IS NULL OR c.bw_utilizado_momento <= v.momento)""",
            [
                pks,
                pks,
                [ultimas[pk][0] for pk in pks],
                [ultimas[pk][1] for pk in pks],
            ],
        )


def _guardar_generico(ordenadas, ultimas) -> None:
    MuestraUtilizacion.objects.bulk_create(
        [
            MuestraUtilizacion(
                conexion_id=pk,
                momento=momento,
                entrada_mbps=lectura.entrada_mbps,
                salida_mbps=lectura.salida_mbps,
            )
            for (pk, momento), lectura in ordenadas
        ],
        update_conflicts=True,
        unique_fields=["conexion", "momento"],
        update_fields=["entrada_mbps", "salida_mbps"],
        batch_size=2000,
    )
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""UPDATE {Conexion._meta.db_table}
            SET bw_utilizado = %s, bw_utilizado_momento = %s
            WHERE id = %s AND (bw_utilizado_momento IS NULL OR bw_utilizado_momento <= %s)""",
            [
                (bw, ops.adapt_datetimefield_value(m), pk, ops.adapt_datetimefield_value(m))
                for pk, (m, bw) in sorted(ultimas.items())
            ],
        )


# --- Roll-ups and percentiles -----------------------------------------------------------


def _hora(momento: datetime) -> datetime:
    return momento.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def utilizacion_consolidar(desde: datetime, hasta: datetime) -> int:
    """(Re)compute the hourly roll-ups of every hour from `desde`'s to `hasta`'s, inclusive,
    in one INSERT … SELECT; returns the roll-ups written."""
    inicio, fin = _hora(desde), _hora(hasta) + timedelta(hours=1)
    consulta = (
        MuestraUtilizacion.objects.filter(momento__gte=inicio, momento__lt=fin)
        .annotate(hora_=TruncHour("momento", tzinfo=UTC))
        .values("conexion_id", "hora_")
        .annotate(
            n=Count("*"),
            ea=Avg("entrada_mbps"),
            em=Max("entrada_mbps"),
            ep=Percentil95("entrada_mbps"),
            sa=Avg("salida_mbps"),
            sm=Max("salida_mbps"),
            sp=Percentil95("salida_mbps"),
        )
        .order_by()
    )
    sql, params = consulta.query.sql_with_params()
    columnas = (
        "conexion_id, hora, muestras, entrada_promedio, entrada_maximo, entrada_p95, "
        "salida_promedio, salida_maximo, salida_p95"
    )
    actualizar = ", ".join(
        f"{c} = EXCLUDED.{c}" for c in [c.strip() for c in columnas.split(",")][2:]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {MuestraHoraria._meta.db_table} ({columnas})
            SELECT * FROM ({sql}) AS horas WHERE true
            ON CONFLICT (conexion_id, hora) DO UPDATE SET {actualizar}""",
            params,
        )
        return cursor.rowcount


def utilizacion_percentiles(*, ahora: datetime | None = None) -> int:
    """The saturation page's figure per connection: the 95th percentile of its readings'
    larger direction over the last DIAS_PERCENTIL days, and that in % of bw_contratado.
    Connections without readings in the window lose theirs."""
    ahora = ahora or timezone.now()
    desde = ahora - timedelta(days=DIAS_PERCENTIL)
    consulta = (
        MuestraUtilizacion.objects.filter(momento__gte=desde, momento__lte=ahora)
        .values("conexion_id")
        .annotate(
            p95=Percentil95(Greatest("entrada_mbps", "salida_mbps")),
            bw=Max("conexion__bw_contratado"),
            n=Count("*"),
        )
        .order_by()
    )
    sql, params = consulta.query.sql_with_params()
    tabla = UtilizacionSemanal._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {tabla} (conexion_id, p95_mbps, porcentaje, muestras, calculado)
            SELECT conexion_id, ROUND(CAST(p95 AS NUMERIC), 3),
                   CASE WHEN bw > 0 THEN ROUND(CAST(p95 AS NUMERIC) * 100 / bw, 1) ELSE 0 END,
                   n, %s
            FROM ({sql}) AS p WHERE true
            ON CONFLICT (conexion_id) DO UPDATE SET p95_mbps = EXCLUDED.p95_mbps,
                porcentaje = EXCLUDED.porcentaje, muestras = EXCLUDED.muestras,
                calculado = EXCLUDED.calculado""",
            [connection.ops.adapt_datetimefield_value(ahora), *params],
        )
        escritas = cursor.rowcount
        UtilizacionSemanal.objects.exclude(calculado=ahora).delete()
    return escritas


# --- Partitions (PostgreSQL) ------------------------------------------------------------


def particion_nombre(dia: date) -> str:
    return f"{TABLA}_p{dia:%Y%m%d}"


def particiones_existentes() -> dict[date, str]:
    """{day: partition} of the readings' table (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s""",
            [TABLA],
        )
        nombres = [fila[0] for fila in cursor.fetchall()]
    prefijo = f"{TABLA}_p"
    return {
        datetime.strptime(n.removeprefix(prefijo), "%Y%m%d").date(): n
        for n in nombres
        if n.startswith(prefijo)
    }


def particiones_asegurar(dias: Iterable[date]) -> list[date]:
    """Create the daily partitions (UTC days) that do not exist yet; returns those created.
    A lock keeps two writers from creating the same one at once. The catalog is asked each
    time (a cache could miss a partition the worker dropped or a rolled-back batch made)."""
    if connection.vendor != "postgresql":
        return []
    faltan = set(dias) - set(particiones_existentes())
    creadas = []
    if faltan:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLA])
            for dia in sorted(faltan):
                siguiente = dia + timedelta(days=1)
                cursor.execute(
                    f"""CREATE TABLE IF NOT EXISTS {particion_nombre(dia)}
                    PARTITION OF {TABLA}
                    FOR VALUES FROM ('{dia.isoformat()} 00:00:00+00')
                    TO ('{siguiente.isoformat()} 00:00:00+00')"""
                )
                creadas.append(dia)
    return creadas


def particiones_mantener(*, ahora: datetime | None = None, dias_adelante: int = 3) -> dict:
    """The worker's housekeeping: create the partitions of today and the coming days, drop
    (PostgreSQL) or delete (elsewhere) readings older than UTILIZACION_DIAS_CRUDOS days, and
    delete roll-ups older than UTILIZACION_DIAS_HORARIOS days. Roll up the hours of the
    readings about to go first, so no reading leaves without its roll-up."""
    ahora = ahora or timezone.now()
    hoy = ahora.astimezone(UTC).date()
    corte = hoy - timedelta(days=settings.UTILIZACION_DIAS_CRUDOS)
    resultado = {"creadas": [], "eliminadas": [], "horarias_eliminadas": 0}
    corte_momento = datetime(corte.year, corte.month, corte.day, tzinfo=UTC)
    rango = MuestraUtilizacion.objects.filter(momento__lt=corte_momento).aggregate(
        desde=Min("momento"), hasta=Max("momento")
    )
    if rango["desde"] is not None:
        utilizacion_consolidar(rango["desde"], rango["hasta"])
    if connection.vendor == "postgresql":
        resultado["creadas"] = particiones_asegurar(
            hoy + timedelta(days=n) for n in range(dias_adelante + 1)
        )
        with connection.cursor() as cursor:
            # A partition with deferred foreign-key checks pending cannot be dropped.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for dia, nombre in sorted(particiones_existentes().items()):
                if dia < corte:
                    cursor.execute(f"DROP TABLE IF EXISTS {nombre}")
                    resultado["eliminadas"].append(dia)
    else:
        MuestraUtilizacion.objects.filter(momento__lt=corte_momento).delete()
    limite_horarias = ahora - timedelta(days=settings.UTILIZACION_DIAS_HORARIOS)
    resultado["horarias_eliminadas"], _ = MuestraHoraria.objects.filter(
        hora__lt=limite_horarias
    ).delete()
    return resultado


__all__ = [
    "ANTICIPO_MAXIMO",
    "LOTE_MAXIMO",
    "Lectura",
    "MuestrasInvalidas",
    "Registro",
    "lecturas_validar",
    "muestras_cargar",
    "muestras_registrar",
    "particiones_asegurar",
    "particiones_mantener",
    "utilizacion_consolidar",
    "utilizacion_percentiles",
]
