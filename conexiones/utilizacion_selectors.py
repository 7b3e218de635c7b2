"""Reads of utilised bandwidth: a connection's series, a provider service's sum, and the
saturation page's lists. Writes are conexiones.services.utilizacion's."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import Greatest, TruncDay
from django.utils import timezone

from .agregados import Percentil95
from .choices import EstadoConexion
from .models import AjusteBW, Conexion, MuestraHoraria, MuestraUtilizacion, UtilizacionSemanal

PUNTOS_MAXIMOS = 2000
RESOLUCIONES = (("5m", timedelta(minutes=5)), ("1h", timedelta(hours=1)), ("1d", timedelta(days=1)))
RANGO_MAXIMO = timedelta(days=800)
SIN_LECTURAS = timedelta(minutes=30)
# A figure older than this is shown greyed out (lists and the detail page).
ANTIGUEDAD_VIGENTE = timedelta(minutes=15)


def resolucion_para(desde: datetime, hasta: datetime) -> str:
    """The finest resolution that keeps the range within PUNTOS_MAXIMOS points."""
    for nombre, paso in RESOLUCIONES:
        if (hasta - desde) / paso <= PUNTOS_MAXIMOS:
            return nombre
    return RESOLUCIONES[-1][0]


def _local(momento: datetime) -> str:
    """ISO 8601 in the site's time zone, as the API writes every moment."""
    return timezone.localtime(momento).isoformat()


def _numero(valor) -> float | None:
    return None if valor is None else round(float(valor), 3)


@dataclass
class Serie:
    resolucion: str
    bw_contratado: int
    p95_mbps: float | None
    puntos: list[dict]
    pasos_bw: list[dict]

    def como_dict(self) -> dict:
        return {
            "resolucion": self.resolucion,
            "bw_contratado": self.bw_contratado,
            "p95_mbps": self.p95_mbps,
            "puntos": self.puntos,
            "pasos_bw": self.pasos_bw,
        }


def serie_utilizacion(conexion: Conexion, desde: datetime, hasta: datetime) -> Serie:
    """A connection's readings from `desde` to `hasta` (at most ~PUNTOS_MAXIMOS points):
    five-minute readings, else hourly or daily averages of the roll-ups; the range's 95th
    percentile of the larger direction (of the readings, or of the hourly p95s); and the
    contracted bandwidth's steps from the BW ledger within the range."""
    resolucion = resolucion_para(desde, hasta)
    if resolucion == "5m":
        filas = MuestraUtilizacion.objects.filter(
            conexion=conexion, momento__gte=desde, momento__lte=hasta
        )
        puntos = [
            {"momento": _local(m), "entrada_mbps": _numero(e), "salida_mbps": _numero(s)}
            for m, e, s in filas.order_by("momento").values_list(
                "momento", "entrada_mbps", "salida_mbps"
            )
        ]
        p95 = filas.aggregate(p=Percentil95(Greatest("entrada_mbps", "salida_mbps")))["p"]
    else:
        filas = MuestraHoraria.objects.filter(conexion=conexion, hora__gte=desde, hora__lte=hasta)
        if resolucion == "1h":
            valores = filas.order_by("hora").values_list(
                "hora", "entrada_promedio", "salida_promedio"
            )
        else:
            valores = (
                filas.annotate(dia=TruncDay("hora"))
                .values("dia")
                .annotate(e=Avg("entrada_promedio"), s=Avg("salida_promedio"))
                .order_by("dia")
                .values_list("dia", "e", "s")
            )
        puntos = [
            {"momento": _local(m), "entrada_mbps": _numero(e), "salida_mbps": _numero(s)}
            for m, e, s in valores
        ]
        p95 = filas.aggregate(p=Percentil95(Greatest("entrada_p95", "salida_p95")))["p"]
    pasos = [
        {"momento": _local(momento), "bw_anterior": anterior, "bw_contratado": bw}
        for momento, anterior, bw in AjusteBW.objects.filter(
            conexion=conexion, created_at__gte=desde, created_at__lte=hasta
        )
        .order_by("created_at", "id")
        .values_list("created_at", "bw_anterior", "bw_resultante")
    ]
    return Serie(resolucion, conexion.bw_contratado, _numero(p95), puntos, pasos)


def serie_de_servicio(servicio, desde: datetime, hasta: datetime) -> dict:
    """The sum of a provider service's connections' hourly average traffic per hour (or per
    day past PUNTOS_MAXIMOS hours), beside its contracted and sold capacity (`servicio` as
    conexiones.selectors.servicio_list() gives it)."""
    filas = MuestraHoraria.objects.filter(
        conexion__servicio=servicio, hora__gte=desde, hora__lte=hasta
    )
    if (hasta - desde) / timedelta(hours=1) <= PUNTOS_MAXIMOS:
        resolucion, clave = "1h", F("hora")
    else:
        resolucion, clave = "1d", TruncDay("hora")
    por_hora = (
        filas.values(t=clave)
        .annotate(e=Sum("entrada_promedio"), s=Sum("salida_promedio"))
        .order_by("t")
    )
    if resolucion == "1d":
        # The daily figure is the average hour of the day, like the connection's chart.
        por_hora = (
            filas.values(t=clave)
            .annotate(e=Sum("entrada_promedio") / Count("hora", distinct=True))
            .annotate(s=Sum("salida_promedio") / Count("hora", distinct=True))
            .order_by("t")
        )
    return {
        "resolucion": resolucion,
        "capacidad_contratada": servicio.capacidad_contratada,
        "capacidad_vendida": servicio.capacidad_vendida,
        "puntos": [
            {
                "momento": _local(f["t"]),
                "entrada_mbps": _numero(f["e"]),
                "salida_mbps": _numero(f["s"]),
            }
            for f in por_hora
        ],
    }


# --- The saturation page --------------------------------------------------------------


def saturadas(umbral: int | None = None):
    """Connections whose 7-day 95th percentile reaches `umbral` % of bw_contratado (default
    UTILIZACION_UMBRAL_PCT), worst first, with their client."""
    umbral = settings.UTILIZACION_UMBRAL_PCT if umbral is None else umbral
    return (
        UtilizacionSemanal.objects.filter(porcentaje__gte=umbral)
        .exclude(conexion__estado=EstadoConexion.BAJA)
        .select_related("conexion__cliente", "conexion__servicio__proveedor")
        .order_by("-porcentaje", "conexion_id")
    )


def sin_lecturas(ahora: datetime | None = None):
    """Connections that had readings and stopped: none for SIN_LECTURAS; longest gap first.
    No index on bw_utilizado_momento: it would stop the readings' updates being HOT."""
    ahora = ahora or timezone.now()
    return (
        Conexion.objects.filter(bw_utilizado_momento__lt=ahora - SIN_LECTURAS)
        .exclude(estado=EstadoConexion.BAJA)
        .select_related("cliente", "servicio__proveedor")
        .order_by("bw_utilizado_momento", "id")
    )


def servicios_por_trafico():
    """Provider services by the current traffic of their connections (the sum of their
    bw_utilizado), with contracted and sold capacity; busiest first."""
    from proveedores.models import ServicioProveedor

    activas = ~Q(conexiones__estado=EstadoConexion.BAJA)
    medidas = activas & Q(conexiones__bw_utilizado_momento__isnull=False)
    return (
        ServicioProveedor.objects.select_related("proveedor")
        .annotate(
            trafico=Sum("conexiones__bw_utilizado", filter=activas, default=0),
            vendida=Sum("conexiones__bw_contratado", filter=activas, default=0),
            medidas=Count("conexiones", filter=medidas),
            ultima=Max("conexiones__bw_utilizado_momento"),
        )
        .filter(medidas__gt=0)
        .order_by("-trafico", "id")
    )


def antiguedad(momento: datetime | None, ahora: datetime | None = None) -> dict | None:
    """How old a figure is, for the pages: text ("hace 4 min") and whether it is stale."""
    if momento is None:
        return None
    ahora = ahora or timezone.now()
    edad = max(ahora - momento, timedelta(0))
    minutos = int(edad.total_seconds() // 60)
    if minutos < 1:
        texto = "hace menos de 1 min"
    elif minutos < 60:
        texto = f"hace {minutos} min"
    elif minutos < 60 * 48:
        texto = f"hace {minutos // 60} h"
    else:
        texto = f"hace {minutos // (60 * 24)} días"
    return {"texto": texto, "vencida": edad > ANTIGUEDAD_VIGENTE}
