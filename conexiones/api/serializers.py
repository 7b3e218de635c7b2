from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientes.models import ClienteCorp
from isp_portal.api.campos import (
    MAX_ID,
    Booleano,
    Entero,
    Fecha,
    Fila,
    Id,
    Momento,
    Opcion,
    Texto,
)
from isp_portal.api.entrada import Entrada
from isp_portal.models import CAMPOS_UBICACION
from isp_portal.validators import MENSAJE_BW_MINIMO
from proveedores.models import ServicioProveedor

from ..choices import EstadoConexion, ModalidadEnlace, ModoAjuste, TipoServicio
from ..models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo
from ..selectors import servicios_con_capacidad
from ..services import (
    BW_MINIMO,
    ajuste_programado_crear,
    conexion_actualizar,
    conexion_ajustar_bw,
    conexion_crear,
)

MAX_EQUIPOS = 200


class ConexionSerializer(serializers.ModelSerializer):
    """The source documents' `Conexion`, field for field."""

    enlace_id = serializers.IntegerField(source="pk", read_only=True)
    servicio_id = serializers.IntegerField(read_only=True, allow_null=True)
    modalidad_enlace = serializers.ChoiceField(
        choices=ModalidadEnlace.choices, allow_blank=True, read_only=True
    )
    enlace_estado = serializers.ChoiceField(
        source="estado", choices=EstadoConexion.choices, read_only=True
    )
    enlace_fecha_activacion = serializers.DateField(
        source="fecha_activacion", read_only=True, allow_null=True
    )
    bw_disponible = serializers.IntegerField(read_only=True)
    departamento_enlace = serializers.CharField(source="departamento", read_only=True)
    provincia_enlace = serializers.CharField(source="provincia", read_only=True)
    distrito_enlace = serializers.CharField(source="distrito", read_only=True)
    direccion_enlace = serializers.CharField(source="direccion", read_only=True)
    cliente_id = serializers.IntegerField(read_only=True)
    cliente_razon_social = serializers.CharField(source="cliente.razon_social", read_only=True)
    cliente_ruc = serializers.CharField(source="cliente.ruc", read_only=True)
    nodo_a = serializers.IntegerField(source="nodo_a_id", read_only=True, allow_null=True)
    nodo_a_nombre = serializers.CharField(
        source="nodo_a.nombre", read_only=True, allow_null=True, default=None
    )
    nodo_a_tipo = serializers.CharField(
        source="nodo_a.tipo", read_only=True, allow_null=True, default=None
    )
    nodo_b = serializers.IntegerField(source="nodo_b_id", read_only=True, allow_null=True)
    nodo_b_nombre = serializers.CharField(
        source="nodo_b.nombre", read_only=True, allow_null=True, default=None
    )
    nodo_b_tipo = serializers.CharField(
        source="nodo_b.tipo", read_only=True, allow_null=True, default=None
    )
    equipos_ids = serializers.SerializerMethodField()

    class Meta:
        model = Conexion
        fields = [
            "enlace_id",
            "servicio_id",
            "cid_enlace",
            "modalidad_enlace",
            "tipo_enlace",
            "enlace_estado",
            "enlace_fecha_activacion",
            "bw_contratado",
            "bw_disponible",
            "bw_utilizado",
            "created_at",
            "departamento_enlace",
            "provincia_enlace",
            "distrito_enlace",
            "direccion_enlace",
            "locacion",
            "cliente_id",
            "cliente_razon_social",
            "cliente_ruc",
            "nodo_a",
            "nodo_a_nombre",
            "nodo_a_tipo",
            "configuracion_nodo_a",
            "nodo_b",
            "nodo_b_nombre",
            "nodo_b_tipo",
            "configuracion_nodo_b",
            "equipos_ids",
            # Not in the documents' type: when the reading behind bw_utilizado was taken.
            "bw_utilizado_momento",
        ]
        read_only_fields = fields

    def get_equipos_ids(self, conexion) -> list[int]:
        """From the `equipos_ids` annotation of conexiones.selectors.conexion_api()."""
        return sorted(conexion.equipos_ids or [])


class ConexionSelectSerializer(serializers.ModelSerializer):
    enlace_id = serializers.IntegerField(source="pk", read_only=True)
    enlace_estado = serializers.ChoiceField(
        source="estado", choices=EstadoConexion.choices, read_only=True
    )
    cliente_id = serializers.IntegerField(read_only=True)
    cliente_razon_social = serializers.CharField(source="cliente.razon_social", read_only=True)

    class Meta:
        model = Conexion
        fields = [
            "enlace_id",
            "cid_enlace",
            "tipo_enlace",
            "enlace_estado",
            "bw_contratado",
            "cliente_id",
            "cliente_razon_social",
            "locacion",
        ]
        read_only_fields = fields


class ListaDeEquipos(serializers.ListField):
    """The equipment of these ids, without repeats; each message flat on the field (not
    keyed by position)."""

    default_error_messages = {
        "not_a_list": "Envíe una lista de ids.",
        "max_length": f"Envíe como máximo {MAX_EQUIPOS} ids.",
    }

    def __init__(self, **kwargs):
        super().__init__(child=Id(), max_length=MAX_EQUIPOS, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        ids = []
        for valor in data:
            try:
                ids.append(self.child.run_validation(valor))
            except serializers.ValidationError:
                raise serializers.ValidationError(
                    f"«{str(valor)[:40]}» no es un id válido (entero de 1 a {MAX_ID})."
                ) from None
        ids = list(dict.fromkeys(ids))
        equipos = list(Equipo.objects.filter(pk__in=ids))
        faltan = sorted(set(ids) - {e.pk for e in equipos})
        if faltan:
            raise serializers.ValidationError([f"No existe el equipo {pk}." for pk in faltan])
        return equipos


TEXTO = {"required": False, "nulo_vacio": True}
# The estados a write accepts: ours and the old system's INACTIVO.
ESTADOS_ENTRADA = [*EstadoConexion.choices, ("INACTIVO", "Inactivo (se guarda como SUSPENDIDO)")]
CONFIRMAR = "true: aceptar que el servicio del proveedor quede sobresuscrito."


class ConexionEntradaSerializer(Entrada):
    """What `PUT /v1/conexiones/<enlace_id>` takes: the documents' create payload, any subset
    of it; only the fields sent change. `null` empties a text field. Saved by the services of
    the connection pages."""

    salida = ConexionSerializer
    rechazos = {
        "bw_utilizado": "Lo fija el monitoreo: envíe lecturas a POST /v1/utilizacion.",
    }

    cid = Texto(
        source="cid_enlace",
        **TEXTO,
        help_text="CID del enlace; vacío o null al crear: el siguiente del cliente.",
    )
    cliente_id = Fila(ClienteCorp, source="cliente", required=False)
    servicio_id = Fila(ServicioProveedor, source="servicio", required=False, allow_null=True)
    tipo_enlace = Opcion(choices=TipoServicio.choices, required=False)
    modalidad_enlace = Opcion(
        choices=ModalidadEnlace.choices, required=False, allow_blank=True, allow_null=True
    )
    estado = Opcion(choices=ESTADOS_ENTRADA, required=False)
    fecha_activacion = Fecha(
        required=False,
        allow_null=True,
        help_text="AAAA-MM-DD, del 2000-01-01 al 2100-12-31 (FECHA_MINIMA, FECHA_MAXIMA).",
    )
    bw_contratado = Entero(
        required=False,
        min_value=BW_MINIMO,
        error_messages={"min_value": MENSAJE_BW_MINIMO},
        help_text="Mbps. Al editar, un cambio es un ajuste de BW registrado "
        "(«Edición de la conexión»).",
    )
    departamento_enlace = Texto(source="departamento", **TEXTO)
    provincia_enlace = Texto(source="provincia", **TEXTO)
    distrito_enlace = Texto(source="distrito", **TEXTO)
    direccion_enlace = Texto(source="direccion", **TEXTO)
    locacion = Texto(**TEXTO)
    nodo_a = Fila(Nodo, required=False, allow_null=True)
    configuracion_nodo_a = Texto(**TEXTO, trim_whitespace=False)
    nodo_b = Fila(Nodo, required=False, allow_null=True)
    configuracion_nodo_b = Texto(**TEXTO, trim_whitespace=False)
    equipos_ids = ListaDeEquipos(
        source="equipos", required=False, help_text="Todos los equipos de la conexión."
    )
    confirmar = Booleano(source="confirmar_sobresuscripcion", required=False, help_text=CONFIRMAR)

    def validate_estado(self, estado):
        return EstadoConexion.desde_fuente(estado)

    def validate_modalidad_enlace(self, modalidad):
        return modalidad or ""

    def update(self, conexion, datos):
        return conexion_actualizar(conexion=conexion, **_para_el_servicio(datos))

    def create(self, datos):
        if not datos.get("cid_enlace"):
            datos.pop("cid_enlace", None)  # the service assigns the client's next CID
        datos = _para_el_servicio(datos)
        return conexion_crear(equipos=datos.pop("equipos") or [], **datos)


def _para_el_servicio(datos: dict) -> dict:
    """conexion_crear's and conexion_actualizar's arguments: the model's fields in `datos`."""
    datos = dict(datos)
    aparte = {c: datos.pop(c, None) for c in ("equipos", "usuario")}
    confirmar = datos.pop("confirmar_sobresuscripcion", False)
    return {"datos": datos, "confirmar_sobresuscripcion": confirmar, **aparte}


class ConexionCrearSerializer(ConexionEntradaSerializer):
    """What `POST /v1/conexiones` takes: the documents' create payload as written."""

    cliente_id = Fila(ClienteCorp, source="cliente")
    tipo_enlace = Opcion(choices=TipoServicio.choices)
    bw_contratado = Entero(
        min_value=BW_MINIMO, error_messages={"min_value": MENSAJE_BW_MINIMO}, help_text="Mbps."
    )
    # The documents' payload sends 0; the figure then comes from monitoring only.
    bw_utilizado = Entero(
        required=False, min_value=0, max_value=0, help_text="Solo 0: lo fija el monitoreo."
    )


class AjusteBWSerializer(serializers.ModelSerializer):
    """A row of the bandwidth ledger."""

    enlace_id = serializers.IntegerField(source="conexion_id", read_only=True)
    servicio_id = serializers.IntegerField(read_only=True, allow_null=True)
    usuario = serializers.CharField(
        source="usuario.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AjusteBW
        fields = [
            "id",
            "enlace_id",
            "servicio_id",
            "modo",
            "mbps",
            "bw_anterior",
            "bw_resultante",
            "servicio_disponible_anterior",
            "servicio_disponible_resultante",
            "motivo",
            "usuario",
            "created_at",
        ]
        read_only_fields = fields


class AjusteEntradaSerializer(Entrada):
    """Ajustar BW: the rules (BAJA, 1 Mbps floor, upper bound, oversubscription) are the
    bandwidth service's, which saves it (the connection is the context's)."""

    modo = Opcion(choices=ModoAjuste.choices)
    mbps = Entero(help_text="Mbps a sumar (AUMENTAR) o restar (DISMINUIR).")
    motivo = Texto(required=False, allow_blank=True, max_length=255)
    confirmar = Booleano(source="confirmar_sobresuscripcion", required=False, help_text=CONFIRMAR)

    def create(self, datos):
        return conexion_ajustar_bw(conexion=self.context["conexion"], **datos)


class ConexionCifrasSerializer(serializers.Serializer):
    enlace_id = serializers.IntegerField(source="pk")
    cid_enlace = serializers.CharField()
    bw_contratado = serializers.IntegerField()
    bw_disponible = serializers.IntegerField()
    bw_utilizado = serializers.IntegerField()


class ServicioCifrasSerializer(serializers.Serializer):
    servicio_id = serializers.IntegerField(source="pk")
    codigo = serializers.CharField()
    capacidad_contratada = serializers.IntegerField()
    capacidad_vendida = serializers.IntegerField()
    capacidad_disponible = serializers.IntegerField()


class AjusteResultadoSerializer(serializers.Serializer):
    """The answer of Ajustar BW: the ledger row (the instance) and the new figures."""

    ajuste = AjusteBWSerializer(source="*")
    conexion = ConexionCifrasSerializer()
    servicio = serializers.SerializerMethodField()

    @extend_schema_field(ServicioCifrasSerializer(allow_null=True))
    def get_servicio(self, ajuste) -> dict | None:
        conexion = ajuste.conexion
        if conexion.servicio_id is None:
            return None
        servicio = servicios_con_capacidad().get(pk=conexion.servicio_id)
        return ServicioCifrasSerializer(servicio).data


class CalculoSerializer(serializers.Serializer):
    """What the refused adjustment would have done (conexiones.calculo.CalculoAjuste)."""

    bw_actual = serializers.IntegerField()
    bw_resultante = serializers.IntegerField(allow_null=True)
    servicio_disponible_actual = serializers.IntegerField(allow_null=True)
    servicio_disponible_resultante = serializers.IntegerField(allow_null=True)
    servicio_vendida_actual = serializers.IntegerField(allow_null=True)
    servicio_vendida_resultante = serializers.IntegerField(allow_null=True)
    servicio_por_revertir = serializers.IntegerField(
        help_text="Mbps que devolverán al servicio las reversiones de los cambios temporales "
        "en curso (disminuciones): cuentan como vendidos."
    )


class SobresuscripcionSerializer(serializers.Serializer):
    """409: the change would oversell the provider service; send `"confirmar": true`."""

    confirmar = serializers.ListField(child=serializers.CharField())
    calculo = CalculoSerializer()


class NodoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nodo
        fields = ["id", "nombre", "tipo", *CAMPOS_UBICACION, "created_at"]
        read_only_fields = fields


class EquipoSerializer(serializers.ModelSerializer):
    enlace_id = serializers.IntegerField(source="conexion_id", read_only=True, allow_null=True)
    etiqueta = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Equipo
        fields = ["id", "tipo", "marca", "modelo", "serie", "enlace_id", "etiqueta"]
        read_only_fields = fields


class AjusteProgramadoSerializer(serializers.ModelSerializer):
    """A scheduled (or temporary) bandwidth change and what became of it."""

    enlace_id = serializers.IntegerField(source="conexion_id", read_only=True)
    confirmar = serializers.BooleanField(source="confirmar_sobresuscripcion", read_only=True)
    usuario = serializers.CharField(
        source="usuario.username", read_only=True, allow_null=True, default=None
    )
    cancelado_por = serializers.CharField(
        source="cancelado_por.username", read_only=True, allow_null=True, default=None
    )
    # A stored moment out of range is shown, never an error (isp_portal.fechas).
    inicio = Momento(read_only=True)
    fin = Momento(read_only=True, allow_null=True)
    ajuste_aplicado_id = serializers.IntegerField(read_only=True, allow_null=True)
    ajuste_revertido_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = AjusteProgramado
        fields = [
            "id",
            "enlace_id",
            "modo",
            "mbps",
            "motivo",
            "inicio",
            "fin",
            "estado",
            "nota",
            "confirmar",
            "usuario",
            "cancelado_por",
            "ajuste_aplicado_id",
            "ajuste_revertido_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AjusteProgramadoEntradaSerializer(AjusteEntradaSerializer):
    """A change at `inicio` (empty or past: now), reverted at `fin` (empty: permanent); the
    rules are the bandwidth service's, on the figures expected at `inicio`."""

    def create(self, datos):
        return ajuste_programado_crear(conexion=self.context["conexion"], **datos)

    inicio = Momento(
        required=False,
        allow_null=True,
        help_text="ISO 8601; sin zona horaria, la del sitio (America/Lima). Vacío: ahora. "
        "Del 2000-01-01 al 2100-12-31 (FECHA_MINIMA, FECHA_MAXIMA).",
    )
    fin = Momento(
        required=False,
        allow_null=True,
        help_text="Fin de un cambio temporal: se revierte entonces. Vacío: permanente. "
        "Del 2000-01-01 al 2100-12-31.",
    )
