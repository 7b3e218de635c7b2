from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from isp_portal.api.vistas import VistaAPI, VistaLista

from .. import selectors
from ..filters import MantenimientoAPIFilterSet
from ..models import Mantenimiento
from ..services import (
    avisos_enviar,
    mantenimiento_cancelar,
    mantenimiento_notificar,
)
from .serializers import (
    MantenimientoDetalleSerializer,
    MantenimientoEntradaSerializer,
    MantenimientoSerializer,
    NotificarEntradaSerializer,
    NotificarResultadoSerializer,
)

EJEMPLO = {
    "tipo_objeto": "nodo",
    "objeto_id": 12,
    "inicio": "2026-12-06T01:00:00-05:00",
    "fin": "2026-12-06T05:00:00-05:00",
    "tipo": "planificado",
    "descripcion": "Cambio de la tarjeta de línea del router de borde.",
}
ESCRIBIR = {"POST": ("mantenimientos.change_mantenimiento",)}
AVISOS = ("total", "pendiente", "enviando", "enviado", "fallido")


def detalle(mantenimiento: Mantenimiento) -> dict:
    """The detail body (MantenimientoDetalleSerializer): the window, its affected
    connections, the clients without an e-mail and its notices' counts."""
    afectacion = selectors.afectacion(mantenimiento)
    progreso = selectors.progreso(mantenimiento)
    return {
        **MantenimientoSerializer(mantenimiento).data,
        "afectadas": [
            {"cid_enlace": cid, "enlace_id": pk, "cliente_id": c.pk, "razon_social": c.razon_social}
            for cid, pk, c in afectacion.conexiones
        ],
        "sin_correo": [
            {"cliente_id": c.cliente.pk, "razon_social": c.cliente.razon_social}
            for c in afectacion.sin_correo
        ],
        "avisos": {clave: progreso[clave] for clave in AVISOS},
    }


class MantenimientoListaApi(VistaLista):
    resumen = "Mantenimientos (paginado): próximos y en curso primero"
    modelo = Mantenimiento
    serializer_class = MantenimientoSerializer
    filterset_class = MantenimientoAPIFilterSet
    orden = selectors.ORDEN
    http_method_names = ["get", "post", "head"]
    entrada = MantenimientoEntradaSerializer

    def get_queryset(self):
        return selectors.mantenimiento_list()

    @extend_schema(
        summary="Programar un mantenimiento",
        request=MantenimientoEntradaSerializer,
        responses={201: MantenimientoDetalleSerializer},
        examples=[OpenApiExample("Nodo", value=EJEMPLO, request_only=True)],
    )
    def post(self, request):
        return Response(detalle(self.escribir(request)), status=status.HTTP_201_CREATED)


class MantenimientoDetalleApi(VistaAPI):
    modelo = Mantenimiento
    serializer_class = MantenimientoDetalleSerializer
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Mantenimiento.objects.select_related("usuario", "cancelado_por")

    @extend_schema(
        operation_id="mantenimientos_detalle",
        summary="Un mantenimiento, con sus conexiones afectadas y los clientes sin correo",
        responses=MantenimientoDetalleSerializer,
    )
    def get(self, request, pk):
        return Response(detalle(self.objeto(pk)))


class MantenimientoNotificarApi(VistaAPI):
    modelo = Mantenimiento
    serializer_class = NotificarEntradaSerializer
    permisos = ESCRIBIR
    http_method_names = ["post"]

    @extend_schema(
        summary="Notificar: envía a cada cliente afectado el aviso que le falta (nunca dos "
        "veces); tras un cambio de ventana, el aviso de cambio; tras cancelar, la cancelación",
        request=NotificarEntradaSerializer,
        responses=NotificarResultadoSerializer,
    )
    def post(self, request, pk):
        NotificarEntradaSerializer(data=request.data).is_valid(raise_exception=True)
        mantenimiento = self.objeto(pk)
        pedido = mantenimiento_notificar(mantenimiento=mantenimiento, usuario=request.user)
        enviados = fallidos = 0
        en_cola = pedido.en_cola
        if en_cola and en_cola <= settings.AVISOS_ENVIO_INMEDIATO:
            envio = avisos_enviar(mantenimiento=mantenimiento, limite=en_cola)
            enviados, fallidos = envio.enviados, envio.fallidos
            en_cola = selectors.progreso(mantenimiento)["en_cola"]
        return Response(
            {
                "en_cola": en_cola,
                "enviados": enviados,
                "fallidos": fallidos,
                "al_dia": pedido.al_dia,
                "sin_correo": pedido.sin_correo,
            }
        )


class MantenimientoCancelarApi(VistaAPI):
    modelo = Mantenimiento
    serializer_class = NotificarEntradaSerializer
    permisos = ESCRIBIR
    http_method_names = ["post"]

    @extend_schema(
        summary="Cancelar un mantenimiento (luego «notificar» avisa la cancelación a los ya "
        "avisados)",
        request=None,
        responses=MantenimientoDetalleSerializer,
    )
    def post(self, request, pk):
        NotificarEntradaSerializer(data=request.data).is_valid(raise_exception=True)
        mantenimiento = mantenimiento_cancelar(mantenimiento=self.objeto(pk), usuario=request.user)
        return Response(detalle(mantenimiento))
