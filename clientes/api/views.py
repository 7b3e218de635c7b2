from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from isp_portal.api.vistas import VistaAPI, VistaLista

from ..filters import ClienteCorpFilterSet, SedeFilterSet
from ..models import ClienteCorp, Sede
from .serializers import (
    ClienteCorpEdicionSerializer,
    ClienteCorpEntradaSerializer,
    ClienteCorpSelectSerializer,
    ClienteCorpSerializer,
    SedeCrearSerializer,
    SedeEditarSerializer,
    SedeSerializer,
)

EJEMPLO_CLIENTE = {
    "cid": "257",
    "cod_erp": "ERP-000257",
    "razon_social": "Andina de Servicios S.A.C.",
    "ruc": "20100017491",
    "responsable": "Ana Quispe",
    "fecha_activacion": "2025-06-01",
}
EJEMPLO_SEDE = {
    "cliente_id": 5,
    "oficina": "Oficina Central Lima",
    "locacion": "Lima - San Isidro",
    "direccion": "Av. Javier Prado Este 4200",
    "departamento": "Lima",
    "provincia": "Lima",
    "distrito": "San Isidro",
}


class ClienteCorpListarApi(VistaLista):
    resumen = "Clientes corporativos (paginado)"
    queryset = ClienteCorp.objects.all()
    serializer_class = ClienteCorpSerializer
    filterset_class = ClienteCorpFilterSet
    orden = ("razon_social", "pk")
    ordenar_coincidencias = 10_000  # as the client list page: the search is index-served


class ClienteCorpOpcionesApi(VistaLista):
    resumen = "Clientes con sus sedes, para listas desplegables"
    queryset = ClienteCorp.objects.only("pk", "cid", "razon_social", "ruc").prefetch_related(
        Prefetch("sedes", queryset=Sede.objects.only("pk", "cliente_id", "oficina", "locacion"))
    )
    serializer_class = ClienteCorpSelectSerializer
    filterset_class = ClienteCorpFilterSet
    orden = ("razon_social", "pk")
    # As the list: walking the razón social index past 80k non-matching rows took 270 ms.
    ordenar_coincidencias = ClienteCorpListarApi.ordenar_coincidencias
    limite_por_defecto = 20


class ClienteCorpDetalleApi(VistaAPI):
    queryset = ClienteCorp.objects.all()
    serializer_class = ClienteCorpSerializer

    @extend_schema(summary="Un cliente corporativo")
    def get(self, request, pk):
        return Response(self.get_serializer(self.objeto(pk)).data)


class ClienteCorpCrearApi(VistaAPI):
    modelo = ClienteCorp
    serializer_class = entrada = ClienteCorpEntradaSerializer

    @extend_schema(
        summary="Crear un cliente corporativo",
        request=ClienteCorpEntradaSerializer,
        responses={201: ClienteCorpSerializer},
        examples=[OpenApiExample("Cliente", value=EJEMPLO_CLIENTE, request_only=True)],
    )
    def post(self, request):
        cliente = self.escribir(request)
        return Response(ClienteCorpSerializer(cliente).data, status=status.HTTP_201_CREATED)


class ClienteCorpEditarApi(VistaAPI):
    queryset = ClienteCorp.objects.all()
    serializer_class = entrada = ClienteCorpEdicionSerializer

    @extend_schema(
        summary="Editar un cliente corporativo (solo los campos enviados)",
        request=ClienteCorpEdicionSerializer,
        responses={200: ClienteCorpSerializer},
        examples=[
            OpenApiExample(
                "Desactivar",
                value={"is_active": 0, "responsable": "Luis Rojas"},
                request_only=True,
            )
        ],
    )
    def put(self, request, pk):
        cliente = self.escribir(request, self.objeto(pk))
        return Response(ClienteCorpSerializer(cliente).data)


class SedeListarApi(VistaLista):
    resumen = "Sedes de todos los clientes (paginado), con la razón social y el RUC"
    queryset = Sede.objects.select_related("cliente")
    serializer_class = SedeSerializer
    filterset_class = SedeFilterSet
    orden = ("pk",)


class SedeListarDeClienteApi(SedeListarApi):
    resumen = "Sedes de un cliente"
    limite_por_defecto = 100

    def get_queryset(self):
        return super().get_queryset().filter(cliente_id=self.kwargs["cliente_id"])

    def get(self, request, *args, **kwargs):
        if not ClienteCorp.objects.filter(pk=kwargs["cliente_id"]).exists():
            raise exceptions.NotFound(f"No existe el cliente corporativo {kwargs['cliente_id']}.")
        return super().get(request, *args, **kwargs)


class SedeCrearApi(VistaAPI):
    modelo = Sede
    serializer_class = entrada = SedeCrearSerializer

    @extend_schema(
        summary="Crear una sede de un cliente",
        request=SedeCrearSerializer,
        responses={201: SedeSerializer},
        examples=[OpenApiExample("Sede", value=EJEMPLO_SEDE, request_only=True)],
    )
    def post(self, request):
        sede = self.escribir(request)
        return Response(SedeSerializer(sede).data, status=status.HTTP_201_CREATED)


class SedeEditarApi(VistaAPI):
    queryset = Sede.objects.select_related("cliente")
    serializer_class = entrada = SedeEditarSerializer

    @extend_schema(
        summary="Editar una sede (`id` en el cuerpo; solo los campos enviados)",
        request=SedeEditarSerializer,
        responses={200: SedeSerializer},
        examples=[
            OpenApiExample(
                "Cambiar la dirección",
                value={"id": 7, "direccion": "Av. Larco 1150, piso 3"},
                request_only=True,
            )
        ],
    )
    def put(self, request):
        entrada = self.entrada(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = {**entrada.validated_data, "usuario": request.user}
        sede = entrada.update(self.objeto(datos.pop("id")), datos)
        return Response(SedeSerializer(sede).data)
