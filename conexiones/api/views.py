"""API v1 of connections. Writes go through the input serializers (`entrada`), which map the
documents' field names with `source=` and save through the services of the pages; a refusal
is answered by isp_portal.api.errores (400, or 409 for an oversubscription to confirm)."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from isp_portal.api.vistas import VistaAPI, VistaLista

from ..filters import ConexionAPIFilterSet, EquipoFilterSet, NodoFilterSet
from ..models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo
from ..selectors import ORDEN_PROGRAMADOS, ajustes_programados_list, conexion_api
from ..services import PERMISO_AJUSTAR_BW, ajuste_programado_cancelar
from .serializers import (
    AjusteBWSerializer,
    AjusteEntradaSerializer,
    AjusteProgramadoEntradaSerializer,
    AjusteProgramadoSerializer,
    AjusteResultadoSerializer,
    ConexionCrearSerializer,
    ConexionEntradaSerializer,
    ConexionSelectSerializer,
    ConexionSerializer,
    EquipoSerializer,
    NodoSerializer,
    SobresuscripcionSerializer,
)

# The documents' create payload, verbatim.
EJEMPLO_CONEXION = {
    "nodo_a": 12,
    "configuracion_nodo_a": "interface Gi0/0\n ip address 10.0.0.1 255.255.255.252",
    "nodo_b": 17,
    "configuracion_nodo_b": None,
    "tipo_enlace": "Internet",
    "modalidad_enlace": "P2P",
    "cliente_id": 5,
    "servicio_id": 3,
    "departamento_enlace": "Lima",
    "provincia_enlace": "Lima",
    "distrito_enlace": "Miraflores",
    "direccion_enlace": "Av. Larco 1150",
    "estado": "ACTIVO",
    "fecha_activacion": "2025-06-01",
    "bw_contratado": 500,
    "bw_utilizado": 0,
    "cid": "257001",
    "locacion": "Lima - Miraflores / Oficina",
}
EJEMPLO_AJUSTE = {"modo": "AUMENTAR", "mbps": 100}
EJEMPLO_PROGRAMADO = {"modo": "AUMENTAR", "mbps": 200, "motivo": "Evento del cliente"}
EJEMPLO_PROGRAMADO |= {"inicio": "2026-12-04T18:00", "fin": "2026-12-07T08:00"}
RESPUESTA_409 = OpenApiResponse(
    SobresuscripcionSerializer,
    description="El servicio del proveedor quedaría sobresuscrito: nada cambió; repita con "
    '`"confirmar": true` para aceptarlo.',
)
AJUSTAR_BW = ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)


def ejemplo(nombre: str, valor: dict) -> OpenApiExample:
    return OpenApiExample(nombre, value=valor, request_only=True)


def conexion_o_404(pk) -> Conexion:
    conexion = Conexion.objects.select_related("servicio").filter(pk=pk).first()
    if conexion is None:
        raise exceptions.NotFound(f"No existe la conexión {pk}.")
    return conexion


class ConexionListarApi(VistaLista):
    resumen = "Conexiones (paginado): el tipo `Conexion` de los documentos"
    queryset = conexion_api()
    serializer_class = ConexionSerializer
    filterset_class = ConexionAPIFilterSet
    parametros = {"cliente_id": "cliente"}
    # pk follows creation order and is indexed: newest first without a sort over the table.
    orden = ("-pk",)


class ConexionOpcionesApi(VistaLista):
    resumen = "Conexiones para listas desplegables"
    queryset = Conexion.objects.select_related("cliente")
    serializer_class = ConexionSelectSerializer
    filterset_class = ConexionAPIFilterSet
    parametros = {"cliente_id": "cliente"}
    orden = ("-pk",)
    limite_por_defecto = 20


class ConexionCrearApi(VistaAPI):
    modelo = Conexion
    serializer_class = entrada = ConexionCrearSerializer

    @extend_schema(
        summary="Crear una conexión (el payload de ejemplo de los documentos)",
        request=ConexionCrearSerializer,
        responses={201: ConexionSerializer, 409: RESPUESTA_409},
        examples=[ejemplo("Conexión", EJEMPLO_CONEXION)],
    )
    def post(self, request):
        conexion = self.escribir(request)
        conexion = conexion_api().get(pk=conexion.pk)
        return Response(ConexionSerializer(conexion).data, status=status.HTTP_201_CREATED)


class ConexionDetalleApi(VistaAPI):
    """GET and PUT (edit) /v1/conexiones/<enlace_id>."""

    queryset = conexion_api()
    serializer_class = ConexionSerializer
    entrada = ConexionEntradaSerializer

    @extend_schema(summary="Una conexión", responses=ConexionSerializer)
    def get(self, request, pk):
        return Response(ConexionSerializer(self.objeto(pk)).data)

    @extend_schema(
        summary="Editar una conexión (solo los campos enviados)",
        request=ConexionEntradaSerializer,
        responses={200: ConexionSerializer, 409: RESPUESTA_409},
        examples=[
            ejemplo(
                "Payload de los documentos",
                {k: v for k, v in EJEMPLO_CONEXION.items() if k != "cid"},
            ),
        ],
    )
    def put(self, request, pk):
        self.escribir(request, self.objeto(pk))
        return Response(ConexionSerializer(self.objeto(pk)).data)


class ConexionAjustarBwApi(VistaAPI):
    queryset = Conexion.objects.all()
    serializer_class = entrada = AjusteEntradaSerializer
    permisos = {"POST": AJUSTAR_BW}

    @extend_schema(
        summary="Ajustar BW: aumentar o disminuir el BW contratado",
        request=AjusteEntradaSerializer,
        responses={200: AjusteResultadoSerializer, 409: RESPUESTA_409},
        examples=[
            ejemplo("Aumentar 100 Mbps", EJEMPLO_AJUSTE),
            ejemplo("Disminuir con motivo", {"modo": "DISMINUIR", "mbps": 50, "motivo": "Pedido"}),
        ],
    )
    def post(self, request, pk):
        ajuste = self.escribir(request, conexion=self.objeto(pk))
        return Response(AjusteResultadoSerializer(ajuste).data)


class AjusteBWListarApi(VistaLista):
    resumen = "Ajustes de BW de una conexión (el libro), del más reciente al más antiguo"
    modelo = AjusteBW
    serializer_class = AjusteBWSerializer
    orden = ("-created_at", "-id")

    def get_queryset(self):
        return AjusteBW.objects.filter(conexion_id=self.kwargs["pk"]).select_related("usuario")

    def get(self, request, *args, **kwargs):
        conexion_o_404(kwargs["pk"])
        return super().get(request, *args, **kwargs)


class NodoListarApi(VistaLista):
    resumen = "Nodos (paginado)"
    queryset = Nodo.objects.all()
    serializer_class = NodoSerializer
    filterset_class = NodoFilterSet
    orden = ("nombre", "pk")


class EquipoListarApi(VistaLista):
    resumen = "Equipos (paginado)"
    queryset = Equipo.objects.all()
    serializer_class = EquipoSerializer
    filterset_class = EquipoFilterSet
    orden = ("pk",)


class AjusteProgramadoListarCrearApi(VistaLista):
    """GET: a connection's scheduled changes (the list's order: what acts in the next 24 h
    first); POST: schedule one, as the Ajustar BW modal does with `inicio` and `fin`."""

    resumen = "Ajustes programados de una conexión (las próximas 24 h primero)"
    modelo = AjusteProgramado
    serializer_class = AjusteProgramadoSerializer
    entrada = AjusteProgramadoEntradaSerializer
    orden = ORDEN_PROGRAMADOS
    permisos = {"POST": AJUSTAR_BW}

    def get_queryset(self):
        return ajustes_programados_list().filter(conexion_id=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        conexion_o_404(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Programar un ajuste de BW (o uno temporal, con fin)",
        request=AjusteProgramadoEntradaSerializer,
        responses={201: AjusteProgramadoSerializer, 409: RESPUESTA_409},
        examples=[
            ejemplo("+200 Mbps de viernes 18:00 a lunes 08:00", EJEMPLO_PROGRAMADO)
        ],
    )
    def post(self, request, pk):
        programado = self.escribir(request, conexion=conexion_o_404(pk))
        programado = ajustes_programados_list().get(pk=programado.pk)
        return Response(AjusteProgramadoSerializer(programado).data, status=status.HTTP_201_CREATED)


class AjusteProgramadoCancelarApi(VistaAPI):
    """DELETE: cancel a scheduled change; during the period of a temporary one, it is
    reverted now."""

    modelo = AjusteProgramado
    serializer_class = AjusteProgramadoSerializer
    permisos = {"DELETE": AJUSTAR_BW}
    http_method_names = ["delete"]

    def get_queryset(self):
        return ajustes_programados_list().filter(conexion_id=self.kwargs["pk"])

    @extend_schema(
        summary="Cancelar un ajuste programado (uno temporal en curso se revierte ahora)",
        request=None,
        responses={200: AjusteProgramadoSerializer},
    )
    def delete(self, request, pk, programado_id):
        ajuste_programado_cancelar(programado=self.objeto(programado_id), usuario=request.user)
        return Response(AjusteProgramadoSerializer(self.objeto(programado_id)).data)
