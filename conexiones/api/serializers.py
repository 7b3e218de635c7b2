from rest_framework import serializers

from isp_portal.api.campos import MAX_ID, Booleano, Entero, Id, Opcion, Texto
from isp_portal.api.entrada import Entrada
from proveedores.models import ServicioProveedor

from ..choices import EstadoConexion, ModalidadEnlace, ModoAjuste, TipoServicio
from ..models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo
from ..services import BW_MINIMO

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


class ListaDeIds(serializers.ListField):
    """Ids without repeats, each message flat on the field (not keyed by position)."""

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
        return list(dict.fromkeys(ids))


TEXTO = {"required": False, "allow_blank": True, "allow_null": True}
# The estados a write accepts: ours and the old system's INACTIVO.
ESTADOS_ENTRADA = [*EstadoConexion.choices, ("INACTIVO", "Inactivo (se guarda como SUSPENDIDO)")]


class ConexionEntradaSerializer(Entrada):
    """What `PUT /v1/conexiones/<enlace_id>` takes: the documents' create payload, any subset
    of it; only the fields sent change. `null` empties a text field."""

    pistas = {
        "cid_enlace": "cid",
        "enlace_estado": "estado",
        "enlace_fecha_activacion": "fecha_activacion",
        "cliente": "cliente_id",
        "servicio": "servicio_id",
        "equipos": "equipos_ids",
        "departamento": "departamento_enlace",
        "provincia": "provincia_enlace",
        "distrito": "distrito_enlace",
        "direccion": "direccion_enlace",
        "confirmar_sobresuscripcion": "confirmar",
    }
    rechazos = {
        "bw_utilizado": "Lo fija el monitoreo: envíe lecturas a POST /v1/utilizacion.",
    }

    cid = Texto(
        **TEXTO, help_text="CID del enlace; vacío o null al crear: el siguiente del cliente."
    )
    cliente_id = Id(required=False)
    servicio_id = Id(required=False, allow_null=True)
    tipo_enlace = Opcion(choices=TipoServicio.choices, required=False)
    modalidad_enlace = Opcion(choices=ModalidadEnlace.choices, **TEXTO)
    estado = Opcion(choices=ESTADOS_ENTRADA, required=False)
    fecha_activacion = serializers.DateField(required=False, allow_null=True)
    bw_contratado = Entero(
        required=False,
        min_value=BW_MINIMO,
        help_text="Mbps. Al editar, un cambio es un ajuste de BW registrado "
        "(«Edición de la conexión»).",
    )
    departamento_enlace = Texto(**TEXTO)
    provincia_enlace = Texto(**TEXTO)
    distrito_enlace = Texto(**TEXTO)
    direccion_enlace = Texto(**TEXTO)
    locacion = Texto(**TEXTO)
    nodo_a = Id(required=False, allow_null=True)
    configuracion_nodo_a = Texto(**TEXTO, trim_whitespace=False)
    nodo_b = Id(required=False, allow_null=True)
    configuracion_nodo_b = Texto(**TEXTO, trim_whitespace=False)
    equipos_ids = ListaDeIds(required=False, help_text="Todos los equipos de la conexión.")
    confirmar = Booleano(
        required=False,
        help_text="true: aceptar que el servicio del proveedor quede sobresuscrito.",
    )


class ConexionCrearSerializer(ConexionEntradaSerializer):
    """What `POST /v1/conexiones` takes: the documents' create payload as written."""

    cliente_id = Id()
    tipo_enlace = Opcion(choices=TipoServicio.choices)
    bw_contratado = Entero(min_value=BW_MINIMO, help_text="Mbps.")
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
    bandwidth service's."""

    pistas = {"confirmar_sobresuscripcion": "confirmar"}

    modo = Opcion(choices=ModoAjuste.choices)
    mbps = Entero(help_text="Mbps a sumar (AUMENTAR) o restar (DISMINUIR).")
    motivo = Texto(required=False, allow_blank=True, max_length=255)
    confirmar = Booleano(
        required=False,
        help_text="true: aceptar que el servicio del proveedor quede sobresuscrito.",
    )


class ConexionCifrasSerializer(serializers.Serializer):
    enlace_id = serializers.IntegerField()
    cid_enlace = serializers.CharField()
    bw_contratado = serializers.IntegerField()
    bw_disponible = serializers.IntegerField()
    bw_utilizado = serializers.IntegerField()


class ServicioCifrasSerializer(serializers.Serializer):
    servicio_id = serializers.IntegerField()
    codigo = serializers.CharField()
    capacidad_contratada = serializers.IntegerField()
    capacidad_vendida = serializers.IntegerField()
    capacidad_disponible = serializers.IntegerField()


class AjusteResultadoSerializer(serializers.Serializer):
    """The answer of Ajustar BW: the ledger row and the new figures."""

    ajuste = AjusteBWSerializer()
    conexion = ConexionCifrasSerializer()
    servicio = ServicioCifrasSerializer(allow_null=True)


class CalculoSerializer(serializers.Serializer):
    """What the refused adjustment would have done (conexiones.calculo.CalculoAjuste)."""

    bw_actual = serializers.IntegerField()
    bw_resultante = serializers.IntegerField(allow_null=True)
    servicio_disponible_actual = serializers.IntegerField(allow_null=True)
    servicio_disponible_resultante = serializers.IntegerField(allow_null=True)
    servicio_vendida_actual = serializers.IntegerField(allow_null=True)
    servicio_vendida_resultante = serializers.IntegerField(allow_null=True)


class SobresuscripcionSerializer(serializers.Serializer):
    """409: the change would oversell the provider service; send `"confirmar": true`."""

    confirmar = serializers.ListField(child=serializers.CharField())
    calculo = CalculoSerializer(required=False)


class NodoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nodo
        fields = [
            "id",
            "nombre",
            "tipo",
            "departamento",
            "provincia",
            "distrito",
            "direccion",
            "locacion",
            "created_at",
        ]
        read_only_fields = fields


class EquipoSerializer(serializers.ModelSerializer):
    enlace_id = serializers.IntegerField(source="conexion_id", read_only=True, allow_null=True)
    etiqueta = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Equipo
        fields = ["id", "tipo", "marca", "modelo", "serie", "enlace_id", "etiqueta"]
        read_only_fields = fields


class ServicioProveedorSerializer(serializers.ModelSerializer):
    """A provider service with its derived capacity (conexiones.selectors.servicio_list)."""

    proveedor_id = serializers.IntegerField(read_only=True)
    proveedor_nombre = serializers.CharField(source="proveedor.nombre", read_only=True)
    capacidad_vendida = serializers.IntegerField(read_only=True)
    capacidad_disponible = serializers.IntegerField(read_only=True)
    porcentaje_uso = serializers.FloatField(read_only=True)

    class Meta:
        model = ServicioProveedor
        fields = [
            "id",
            "proveedor_id",
            "proveedor_nombre",
            "codigo",
            "modalidad",
            "tipo",
            "estado",
            "departamento",
            "provincia",
            "distrito",
            "direccion",
            "locacion",
            "capacidad_contratada",
            "capacidad_vendida",
            "capacidad_disponible",
            "porcentaje_uso",
        ]
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

    inicio = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="ISO 8601; sin zona horaria, la del sitio (America/Lima). Vacío: ahora.",
    )
    fin = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Fin de un cambio temporal: se revierte entonces. Vacío: permanente.",
    )
