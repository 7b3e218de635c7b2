"""Utilised bandwidth in the API: readings pushed as JSON or as InfluxDB line protocol (what
Telegraf's HTTP output sends), and a connection's series. Every reading goes through
conexiones.services.utilizacion."""

import io
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from line_protocol_parser import LineFormatError, parse_line
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from isp_portal.api.errores import GENERAL
from isp_portal.api.parsers import JSONEstricto
from isp_portal.api.vistas import VistaAPI

from ..models import Conexion, MuestraUtilizacion
from ..selectors import servicio_list
from ..services import LOTE_MAXIMO, MuestrasInvalidas, muestras_cargar
from ..utilizacion_selectors import RANGO_MAXIMO, serie_de_servicio, serie_utilizacion

PERMISO_MUESTRAS = ("conexiones.add_muestrautilizacion",)
# A refused batch names at most this many bad readings (and says how many there were).
ERRORES_LISTADOS = 200
BPS_POR_MBPS = 1_000_000
# ~200 bytes a reading as JSON or as a line, with room.
CUERPO_MAXIMO = 256 * LOTE_MAXIMO

RESPUESTA_CARGA = inline_serializer(
    "CargaDeMuestras",
    {
        "guardadas": serializers.IntegerField(help_text="Lecturas guardadas (o reemplazadas)."),
        "desconocidas": serializers.ListField(
            child=serializers.CharField(),
            help_text="CIDs (o enlace_id) que el portal no conoce: no se guardan ni rechazan "
            "el lote.",
        ),
    },
)


def _errores(invalidas: MuestrasInvalidas, prefijo: str) -> exceptions.ValidationError:
    """A 400 naming each bad reading's position and field: {"muestras[3].momento": [...]}."""
    detalle = {}
    for indice, campos in list(invalidas.errores.items())[:ERRORES_LISTADOS]:
        for campo, mensaje in campos.items():
            detalle[f"{prefijo}[{indice}].{campo}"] = [mensaje]
    total = len(invalidas.errores)
    resumen = f"{total} lecturas inválidas: no se guardó ninguna."
    if total > ERRORES_LISTADOS:
        resumen += f" Se listan las primeras {ERRORES_LISTADOS}."
    return exceptions.ValidationError({GENERAL: [resumen], **detalle})


def _respuesta(registro) -> Response:
    return Response({"guardadas": registro.guardadas, "desconocidas": registro.desconocidas})


class CuerpoDemasiadoGrande(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "El cuerpo es demasiado grande: envíe las lecturas en varios pedidos."


def _leer(stream) -> bytes:
    """The body, up to CUERPO_MAXIMO bytes: a batch of LOTE_MAXIMO readings is far more than
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE for other requests, so these parsers read it
    themselves with their own bound."""
    if stream is None:
        return b""
    datos = stream.read(CUERPO_MAXIMO + 1)
    if len(datos) > CUERPO_MAXIMO:
        raise CuerpoDemasiadoGrande()
    return datos


class JSONDeMuestras(BaseParser):
    """Strict JSON (isp_portal.api.parsers.JSONEstricto) with the readings' size bound."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return JSONEstricto().parse(io.BytesIO(_leer(stream)), media_type, parser_context)


class LineaDeTexto(BaseParser):
    """The body as UTF-8 text: InfluxDB line protocol (Telegraf sends text/plain)."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return _leer(stream).decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.ParseError("El cuerpo no está en UTF-8.") from None


class CualquierTexto(LineaDeTexto):
    media_type = "*/*"


class UtilizacionCargaView(VistaAPI):
    """POST /v1/utilizacion: a batch of readings as JSON."""

    modelo = MuestraUtilizacion
    permisos = {"POST": PERMISO_MUESTRAS}
    parser_classes = [JSONDeMuestras]

    @extend_schema(
        summary="Registrar lecturas de utilización (monitoreo)",
        description=f"Hasta {LOTE_MAXIMO} lecturas de cinco minutos por pedido. Una lectura "
        "reenviada reemplaza la guardada. Una lectura mal formada (campo faltante o ilegible, "
        "negativo, NaN, sobre BW_MAXIMO_MBPS o más de 10 minutos en el futuro) rechaza el "
        "pedido entero con 400 nombrando su índice y campo (`muestras[3].momento`).",
        request=inline_serializer(
            "LoteDeMuestras",
            {
                "muestras": serializers.ListField(
                    child=inline_serializer(
                        "Muestra",
                        {
                            "cid_enlace": serializers.CharField(
                                required=False, help_text="O `enlace_id`."
                            ),
                            "enlace_id": serializers.IntegerField(required=False),
                            "momento": serializers.DateTimeField(help_text="ISO 8601 con zona."),
                            "entrada_mbps": serializers.DecimalField(12, 3),
                            "salida_mbps": serializers.DecimalField(12, 3),
                        },
                    ),
                    max_length=LOTE_MAXIMO,
                )
            },
        ),
        responses={200: RESPUESTA_CARGA},
        examples=[
            OpenApiExample(
                "Una lectura",
                value={
                    "muestras": [
                        {
                            "cid_enlace": "257001",
                            "momento": "2026-12-03T10:05:00-05:00",
                            "entrada_mbps": 120.5,
                            "salida_mbps": 80,
                        }
                    ]
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        datos = request.data
        if not isinstance(datos, dict) or not isinstance(datos.get("muestras"), list):
            raise exceptions.ValidationError({"muestras": ["Envíe una lista de muestras."]})
        filas = datos["muestras"]
        if len(filas) > LOTE_MAXIMO:
            raise exceptions.ValidationError(
                {"muestras": [f"Envíe hasta {LOTE_MAXIMO} muestras por pedido."]}
            )
        try:
            registro = muestras_cargar(filas)
        except MuestrasInvalidas as invalidas:
            raise _errores(invalidas, "muestras") from None
        return _respuesta(registro)


CAMPOS_MBPS = {"entrada_mbps": "entrada_mbps", "salida_mbps": "salida_mbps"}
CAMPOS_BPS = {"in_bps": "entrada_mbps", "out_bps": "salida_mbps"}
ETIQUETAS_CID = ("cid", "cid_enlace")


def lineas_a_muestras(texto: str) -> list[dict]:
    """Line protocol → readings as the service takes them. Each line: any measurement, tag
    `cid`, fields entrada_mbps/salida_mbps (or in_bps/out_bps, converted), a timestamp in ns
    (none: now). Bad lines raise MuestrasInvalidas by line number (from 1)."""
    muestras, errores = [], {}
    ahora = timezone.now()
    for numero, linea in enumerate(texto.splitlines(), start=1):
        if not linea.strip() or linea.lstrip().startswith("#"):
            continue
        try:
            punto = parse_line(linea)
        except (LineFormatError, ValueError, TypeError):
            errores[numero] = {"linea": "No es una línea de InfluxDB line protocol válida."}
            continue
        cid = next((punto["tags"][t] for t in ETIQUETAS_CID if t in punto["tags"]), None)
        muestra = {"cid_enlace": cid}
        campos = punto["fields"]
        for origen, destino in CAMPOS_MBPS.items():
            if origen in campos:
                muestra[destino] = campos[origen]
        for origen, destino in CAMPOS_BPS.items():
            if origen in campos and destino not in muestra:
                valor = campos[origen]
                muestra[destino] = (
                    valor / BPS_POR_MBPS
                    if isinstance(valor, int | float) and not isinstance(valor, bool)
                    else valor
                )
        if cid is None:
            errores[numero] = {"cid": "Falta la etiqueta cid."}
            continue
        ns = punto.get("time")
        muestra["momento"] = (
            ahora
            if ns is None
            else datetime.fromtimestamp(ns // 1_000_000_000, tz=UTC)
            + timedelta(microseconds=(ns % 1_000_000_000) // 1000)
        )
        muestra["linea"] = numero
        muestras.append(muestra)
    if errores:
        raise MuestrasInvalidas(errores)
    return muestras


class UtilizacionInfluxView(VistaAPI):
    """POST /v1/utilizacion/influx: the same readings as InfluxDB line protocol."""

    modelo = MuestraUtilizacion
    permisos = {"POST": PERMISO_MUESTRAS}
    parser_classes = [LineaDeTexto, CualquierTexto]

    @extend_schema(
        summary="Registrar lecturas en InfluxDB line protocol (Telegraf)",
        description="Una lectura por línea: medida cualquiera, etiqueta `cid`, campos "
        "`entrada_mbps`/`salida_mbps` (o `in_bps`/`out_bps`, convertidos) y marca de tiempo "
        "en nanosegundos. Los errores nombran la línea (desde 1) y el campo.",
        request={"text/plain": {"type": "string"}},
        responses={200: RESPUESTA_CARGA},
    )
    def post(self, request):
        texto = request.data if isinstance(request.data, str) else ""
        try:
            muestras = lineas_a_muestras(texto)
            lineas = [m.pop("linea") for m in muestras]
            if len(muestras) > LOTE_MAXIMO:
                raise exceptions.ValidationError(
                    {"lineas": [f"Envíe hasta {LOTE_MAXIMO} líneas por pedido."]}
                )
            try:
                registro = muestras_cargar(muestras)
            except MuestrasInvalidas as invalidas:
                # Positions in the batch → line numbers.
                raise MuestrasInvalidas(
                    {lineas[i]: campos for i, campos in invalidas.errores.items()}
                ) from None
        except MuestrasInvalidas as invalidas:
            raise _errores(invalidas, "linea") from None
        return _respuesta(registro)


def _momento(parametros, nombre: str, defecto: datetime) -> datetime:
    texto = parametros.get(nombre, "").strip()
    if not texto:
        return defecto
    try:
        momento = datetime.fromisoformat(texto.replace(" ", "+"))
    except ValueError:
        raise exceptions.ValidationError(
            {nombre: ["Fecha y hora inválida: use ISO 8601 (2026-12-03T10:00:00-05:00)."]}
        ) from None
    if timezone.is_naive(momento):
        momento = timezone.make_aware(momento)
    return momento


class ConexionUtilizacionView(VistaAPI):
    """GET /v1/conexiones/<enlace_id>/utilizacion: a connection's series."""

    queryset = Conexion.objects.all()
    permisos = {"GET": ("conexiones.view_conexion", "conexiones.view_muestrautilizacion")}

    @extend_schema(
        summary="Serie de utilización de una conexión",
        description="Resolución `5m`, `1h` o `1d`, la más fina que no pase de ~2000 puntos. "
        "`p95_mbps`: percentil 95 de la dirección mayor en el rango. `pasos_bw`: cambios de BW "
        "contratado (libro de ajustes) dentro del rango.",
        parameters=[
            OpenApiParameter("desde", str, description="ISO 8601; por defecto, 24 h antes."),
            OpenApiParameter("hasta", str, description="ISO 8601; por defecto, ahora."),
        ],
        responses={
            200: inline_serializer(
                "SerieDeUtilizacion",
                {
                    "resolucion": serializers.ChoiceField(["5m", "1h", "1d"]),
                    "bw_contratado": serializers.IntegerField(),
                    "p95_mbps": serializers.FloatField(allow_null=True),
                    "puntos": serializers.ListField(child=serializers.DictField()),
                    "pasos_bw": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request, pk):
        conexion = self.objeto(pk)
        desde, hasta = _rango(request.query_params)
        return Response(serie_utilizacion(conexion, desde, hasta).como_dict())


class ServicioUtilizacionView(VistaAPI):
    """GET /v1/servicios-proveedor/<id>/utilizacion: its connections' summed traffic."""

    queryset = servicio_list()
    permisos = {
        "GET": ("proveedores.view_servicioproveedor", "conexiones.view_muestrautilizacion")
    }

    @extend_schema(
        summary="Tráfico de las conexiones de un servicio del proveedor",
        description="Suma por hora (o por día, en rangos largos) del tráfico promedio de sus "
        "conexiones, con su capacidad contratada y vendida.",
        parameters=[
            OpenApiParameter("desde", str, description="ISO 8601; por defecto, 24 h antes."),
            OpenApiParameter("hasta", str, description="ISO 8601; por defecto, ahora."),
        ],
        responses={
            200: inline_serializer(
                "SerieDeServicio",
                {
                    "resolucion": serializers.ChoiceField(["1h", "1d"]),
                    "capacidad_contratada": serializers.IntegerField(),
                    "capacidad_vendida": serializers.IntegerField(),
                    "puntos": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request, pk):
        servicio = self.objeto(pk)
        desde, hasta = _rango(request.query_params)
        return Response(serie_de_servicio(servicio, desde, hasta))


def _rango(parametros) -> tuple[datetime, datetime]:
    hasta = _momento(parametros, "hasta", timezone.now())
    desde = _momento(parametros, "desde", hasta - timedelta(hours=24))
    if desde >= hasta:
        raise exceptions.ValidationError({"desde": ["Debe ser anterior a «hasta»."]})
    if hasta - desde > RANGO_MAXIMO:
        raise exceptions.ValidationError(
            {"desde": [f"El rango es de hasta {RANGO_MAXIMO.days} días."]}
        )
    return desde, hasta
