import copy
from dataclasses import asdict

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from clientes.models import ClienteCorp
from isp_portal.api.entrada import validar_entrada
from isp_portal.api.errores import Conflicto, errores_por_campo, es_sobresuscripcion
from isp_portal.api.vistas import VistaAPI, VistaLista
from proveedores.filters import ServicioProveedorFilterSet
from proveedores.models import ServicioProveedor

from ..choices import EstadoConexion
from ..filters import ConexionAPIFilterSet, EquipoFilterSet, NodoFilterSet
from ..models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo
from ..selectors import (
    ORDEN_PROGRAMADOS,
    ajuste_programado_previo,
    ajustes_programados_list,
    conexion_ajuste_previo,
    conexion_api,
    servicio_list,
    servicios_con_capacidad,
)
from ..services import (
    PERMISO_AJUSTAR_BW,
    ajuste_programado_cancelar,
    ajuste_programado_crear,
    conexion_actualizar,
    conexion_ajustar_bw,
    conexion_crear,
)
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
    ServicioProveedorSerializer,
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

# API field → model field, where they differ.
CAMPOS_MODELO = {
    "cid": "cid_enlace",
    "cliente_id": "cliente",
    "servicio_id": "servicio",
    "departamento_enlace": "departamento",
    "provincia_enlace": "provincia",
    "distrito_enlace": "distrito",
    "direccion_enlace": "direccion",
}
NOMBRES_API = {
    **{modelo: api for api, modelo in CAMPOS_MODELO.items()},
    "equipos": "equipos_ids",
    "confirmar_sobresuscripcion": "confirmar",
}
RELACIONES = {"cliente": ClienteCorp, "servicio": ServicioProveedor, "nodo_a": Nodo, "nodo_b": Nodo}
TEXTOS = {
    f.name
    for f in Conexion._meta.concrete_fields
    if f.get_internal_type() in ("CharField", "TextField")
}
RESPUESTA_409 = OpenApiResponse(
    SobresuscripcionSerializer,
    description="El servicio del proveedor quedaría sobresuscrito: nada cambió; repita con "
    '`"confirmar": true` para aceptarlo.',
)


def datos_del_servicio(entrada: dict, *, conexion: Conexion | None) -> tuple[dict, list | None]:
    """The API's input as conexion_crear/conexion_actualizar take it: model field names,
    related rows loaded, `null` text as empty, INACTIVO as SUSPENDIDO; and the equipment
    (None: not sent). Checks the model's constraints on the connection as it would be."""
    entrada = dict(entrada)
    entrada.pop("confirmar", None)
    equipos_ids = entrada.pop("equipos_ids", None)
    datos = {}
    for nombre, valor in entrada.items():
        campo = CAMPOS_MODELO.get(nombre, nombre)
        if campo in TEXTOS and valor is None:
            valor = ""
        if campo == "estado":
            valor = EstadoConexion.desde_fuente(valor)
        datos[campo] = valor
    if conexion is None and not datos.get("cid_enlace"):
        datos.pop("cid_enlace", None)  # the service assigns the client's next CID
    errores = {}
    for campo, modelo in RELACIONES.items():
        if datos.get(campo) is None:
            continue
        fila = modelo._default_manager.filter(pk=datos[campo]).first()
        if fila is None:
            errores[NOMBRES_API.get(campo, campo)] = [
                f"No existe el {modelo._meta.verbose_name} {datos[campo]}."
            ]
        datos[campo] = fila
    equipos = None
    if equipos_ids is not None:
        equipos = list(Equipo.objects.filter(pk__in=equipos_ids))
        faltan = sorted(set(equipos_ids) - {e.pk for e in equipos})
        if faltan:
            errores["equipos_ids"] = [f"No existe el equipo {pk}." for pk in faltan]
    if errores:
        raise exceptions.ValidationError(errores)
    _validar_restricciones(conexion, datos)
    return datos, equipos


def _validar_restricciones(conexion: Conexion | None, datos: dict) -> None:
    """The model's constraints (distinct nodes, unique CID) on the connection as the change
    would leave it, so a violation is a field error and not a database error."""
    tentativa = copy.copy(conexion) if conexion is not None else Conexion()
    for campo, valor in datos.items():
        setattr(tentativa, campo, valor)
    # Their bounds are the model's validators, run by the service's full_clean; a check
    # constraint's query with a 30-digit figure would overflow the database's integer.
    excluir = {"bw_contratado", "bw_utilizado"}
    if not datos.get("cid_enlace"):
        excluir.add("cid_enlace")
    tentativa.validate_constraints(exclude=excluir)


class ConexionListView(VistaLista):
    resumen = "Conexiones (paginado): el tipo `Conexion` de los documentos"
    queryset = conexion_api()
    serializer_class = ConexionSerializer
    filterset_class = ConexionAPIFilterSet
    parametros = {"cliente_id": "cliente"}
    # pk follows creation order and is indexed: newest first without a sort over the table.
    orden = ("-pk",)


class ConexionSelectView(VistaLista):
    resumen = "Conexiones para listas desplegables"
    queryset = Conexion.objects.select_related("cliente")
    serializer_class = ConexionSelectSerializer
    filterset_class = ConexionAPIFilterSet
    parametros = {"cliente_id": "cliente"}
    orden = ("-pk",)
    limite_por_defecto = 20


class ConexionCreateView(VistaAPI):
    modelo = Conexion
    serializer_class = ConexionCrearSerializer
    nombres_api = NOMBRES_API

    @extend_schema(
        summary="Crear una conexión (el payload de ejemplo de los documentos)",
        request=ConexionCrearSerializer,
        responses={201: ConexionSerializer, 409: RESPUESTA_409},
        examples=[OpenApiExample("Conexión", value=EJEMPLO_CONEXION, request_only=True)],
    )
    def post(self, request):
        entrada = validar_entrada(ConexionCrearSerializer, request.data)
        datos, equipos = datos_del_servicio(entrada, conexion=None)
        try:
            conexion = conexion_crear(
                datos=datos,
                equipos=equipos or [],
                usuario=request.user,
                confirmar_sobresuscripcion=entrada.get("confirmar", False),
            )
        except ValidationError as error:
            raise self.error_de_servicio(error) from None
        conexion = conexion_api().get(pk=conexion.pk)
        return Response(ConexionSerializer(conexion).data, status=status.HTTP_201_CREATED)


class ConexionDetailView(VistaAPI):
    """GET and PUT /v1/conexiones/<enlace_id>."""

    queryset = conexion_api()
    serializer_class = ConexionSerializer
    nombres_api = NOMBRES_API

    @extend_schema(summary="Una conexión", responses=ConexionSerializer)
    def get(self, request, pk):
        return Response(ConexionSerializer(self.objeto(pk)).data)

    @extend_schema(
        summary="Editar una conexión (solo los campos enviados)",
        request=ConexionEntradaSerializer,
        responses={200: ConexionSerializer, 409: RESPUESTA_409},
        examples=[
            OpenApiExample(
                "Payload de los documentos",
                value={k: v for k, v in EJEMPLO_CONEXION.items() if k != "cid"},
                request_only=True,
            ),
        ],
    )
    def put(self, request, pk):
        conexion = self.objeto(pk)
        entrada = validar_entrada(ConexionEntradaSerializer, request.data)
        datos, equipos = datos_del_servicio(entrada, conexion=conexion)
        try:
            conexion_actualizar(
                conexion=conexion,
                datos=datos,
                equipos=equipos,
                usuario=request.user,
                confirmar_sobresuscripcion=entrada.get("confirmar", False),
            )
        except ValidationError as error:
            raise self.error_de_servicio(error) from None
        return Response(ConexionSerializer(self.objeto(pk)).data)


class ConexionAjustarBWView(VistaAPI):
    queryset = Conexion.objects.all()
    serializer_class = AjusteEntradaSerializer
    permisos = {"POST": ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)}
    nombres_api = {"confirmar_sobresuscripcion": "confirmar"}

    @extend_schema(
        summary="Ajustar BW: aumentar o disminuir el BW contratado",
        request=AjusteEntradaSerializer,
        responses={200: AjusteResultadoSerializer, 409: RESPUESTA_409},
        examples=[
            OpenApiExample("Aumentar 100 Mbps", value=EJEMPLO_AJUSTE, request_only=True),
            OpenApiExample(
                "Disminuir con motivo",
                value={"modo": "DISMINUIR", "mbps": 50, "motivo": "Pedido del cliente"},
                request_only=True,
            ),
        ],
    )
    def post(self, request, pk):
        conexion = self.objeto(pk)
        datos = validar_entrada(AjusteEntradaSerializer, request.data)
        try:
            ajuste = conexion_ajustar_bw(
                conexion=conexion,
                modo=datos["modo"],
                mbps=datos["mbps"],
                motivo=datos.get("motivo", ""),
                usuario=request.user,
                confirmar_sobresuscripcion=datos.get("confirmar", False),
            )
        except ValidationError as error:
            if es_sobresuscripcion(error):
                servicio = servicios_con_capacidad().filter(pk=conexion.servicio_id).first()
                calculo = conexion_ajuste_previo(
                    conexion=conexion, servicio=servicio, modo=datos["modo"], mbps=datos["mbps"]
                )
                detalle = errores_por_campo(error, self.nombres_api)
                raise Conflicto({**detalle, "calculo": asdict(calculo)}) from None
            raise self.error_de_servicio(error) from None
        servicio = (
            servicios_con_capacidad().filter(pk=conexion.servicio_id).first()
            if conexion.servicio_id
            else None
        )
        resultado = {
            "ajuste": ajuste,
            "conexion": {
                "enlace_id": conexion.pk,
                "cid_enlace": conexion.cid_enlace,
                "bw_contratado": conexion.bw_contratado,
                "bw_disponible": conexion.bw_disponible,
                "bw_utilizado": conexion.bw_utilizado,
            },
            "servicio": servicio
            and {
                "servicio_id": servicio.pk,
                "codigo": servicio.codigo,
                "capacidad_contratada": servicio.capacidad_contratada,
                "capacidad_vendida": servicio.capacidad_vendida,
                "capacidad_disponible": servicio.capacidad_disponible,
            },
        }
        return Response(AjusteResultadoSerializer(resultado).data)


class ConexionAjustesView(VistaLista):
    resumen = "Ajustes de BW de una conexión (el libro), del más reciente al más antiguo"
    modelo = AjusteBW
    serializer_class = AjusteBWSerializer
    orden = ("-created_at", "-id")

    def get_queryset(self):
        return AjusteBW.objects.filter(conexion_id=self.kwargs["pk"]).select_related("usuario")

    def get(self, request, *args, **kwargs):
        if not Conexion.objects.filter(pk=kwargs["pk"]).exists():
            raise exceptions.NotFound(f"No existe la conexión {kwargs['pk']}.")
        return super().get(request, *args, **kwargs)


class ServicioProveedorListView(VistaLista):
    resumen = "Servicios de proveedor con su capacidad contratada, vendida y disponible"
    queryset = servicio_list()
    serializer_class = ServicioProveedorSerializer
    filterset_class = ServicioProveedorFilterSet
    orden = ("proveedor__nombre", "codigo", "pk")


class NodoListView(VistaLista):
    resumen = "Nodos (paginado)"
    queryset = Nodo.objects.all()
    serializer_class = NodoSerializer
    filterset_class = NodoFilterSet
    orden = ("nombre", "pk")


class EquipoListView(VistaLista):
    resumen = "Equipos (paginado)"
    queryset = Equipo.objects.all()
    serializer_class = EquipoSerializer
    filterset_class = EquipoFilterSet
    orden = ("pk",)


class ConexionAjustesProgramadosView(VistaLista):
    """GET: a connection's scheduled changes (the list's order: what acts in the next 24 h
    first); POST: schedule one, as the Ajustar BW modal does with `inicio` and `fin`."""

    resumen = "Ajustes programados de una conexión (las próximas 24 h primero)"
    modelo = AjusteProgramado
    serializer_class = AjusteProgramadoSerializer
    orden = ORDEN_PROGRAMADOS
    permisos = {"POST": ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)}
    nombres_api = {"confirmar_sobresuscripcion": "confirmar"}

    def get_queryset(self):
        return ajustes_programados_list().filter(conexion_id=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.conexion(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def conexion(self, pk) -> Conexion:
        conexion = Conexion.objects.select_related("servicio").filter(pk=pk).first()
        if conexion is None:
            raise exceptions.NotFound(f"No existe la conexión {pk}.")
        return conexion

    @extend_schema(
        summary="Programar un ajuste de BW (o uno temporal, con fin)",
        request=AjusteProgramadoEntradaSerializer,
        responses={201: AjusteProgramadoSerializer, 409: RESPUESTA_409},
        examples=[
            OpenApiExample(
                "+200 Mbps de viernes 18:00 a lunes 08:00",
                value={
                    "modo": "AUMENTAR",
                    "mbps": 200,
                    "motivo": "Evento del cliente",
                    "inicio": "2026-12-04T18:00",
                    "fin": "2026-12-07T08:00",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, pk):
        conexion = self.conexion(pk)
        datos = validar_entrada(AjusteProgramadoEntradaSerializer, request.data)
        pedido = {
            "conexion": conexion,
            "modo": datos["modo"],
            "mbps": datos["mbps"],
            "motivo": datos.get("motivo", ""),
            "inicio": datos.get("inicio"),
            "fin": datos.get("fin"),
            "usuario": request.user,
            "confirmar_sobresuscripcion": datos.get("confirmar", False),
        }
        try:
            programado = ajuste_programado_crear(**pedido)
        except ValidationError as error:
            if es_sobresuscripcion(error) and pedido["inicio"] is not None:
                calculo, _ = ajuste_programado_previo(
                    conexion=conexion,
                    modo=pedido["modo"],
                    mbps=pedido["mbps"],
                    inicio=pedido["inicio"],
                )
                detalle = errores_por_campo(error, self.nombres_api)
                raise Conflicto({**detalle, "calculo": asdict(calculo)}) from None
            raise self.error_de_servicio(error) from None
        programado = ajustes_programados_list().get(pk=programado.pk)
        return Response(AjusteProgramadoSerializer(programado).data, status=status.HTTP_201_CREATED)


class AjusteProgramadoCancelarView(VistaAPI):
    """DELETE: cancel a scheduled change; during the period of a temporary one, it is
    reverted now."""

    modelo = AjusteProgramado
    serializer_class = AjusteProgramadoSerializer
    permisos = {"DELETE": ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)}
    http_method_names = ["delete"]

    def get_queryset(self):
        return ajustes_programados_list().filter(conexion_id=self.kwargs["pk"])

    @extend_schema(
        summary="Cancelar un ajuste programado (uno temporal en curso se revierte ahora)",
        request=None,
        responses={200: AjusteProgramadoSerializer},
    )
    def delete(self, request, pk, programado_id):
        programado = self.objeto(programado_id)
        try:
            ajuste_programado_cancelar(programado=programado, usuario=request.user)
        except ValidationError as error:
            raise self.error_de_servicio(error) from None
        return Response(AjusteProgramadoSerializer(self.objeto(programado_id)).data)
