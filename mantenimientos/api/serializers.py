from rest_framework import serializers

from isp_portal.api.campos import Id, Momento, Opcion, Texto
from isp_portal.api.entrada import Entrada

from ..choices import EstadoMantenimiento, TipoMantenimiento, TipoObjeto
from ..models import Mantenimiento
from ..services import mantenimiento_crear

FECHA_AYUDA = (
    "ISO 8601 con zona horaria (p. ej. 2026-12-05T01:00:00-05:00); sin ella, hora de Lima."
)


class MantenimientoSerializer(serializers.ModelSerializer):
    """A maintenance window; `estado` is derived from the clock and the cancellation."""

    objeto = serializers.CharField(source="objeto_nombre", read_only=True)
    estado = serializers.ChoiceField(choices=EstadoMantenimiento.choices, read_only=True)
    usuario = serializers.CharField(
        source="usuario.username", read_only=True, allow_null=True, default=None
    )
    cancelado_por = serializers.CharField(
        source="cancelado_por.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Mantenimiento
        fields = [
            "id",
            "tipo_objeto",
            "objeto_id",
            "objeto",
            "inicio",
            "fin",
            "tipo",
            "descripcion",
            "estado",
            "version",
            "usuario",
            "congelado_en",
            "cancelado_en",
            "cancelado_por",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AfectadaSerializer(serializers.Serializer):
    cid_enlace = serializers.CharField()
    enlace_id = serializers.IntegerField(allow_null=True)
    cliente_id = serializers.IntegerField()
    razon_social = serializers.CharField()


class ClienteSinCorreoSerializer(serializers.Serializer):
    cliente_id = serializers.IntegerField()
    razon_social = serializers.CharField()


class AvisosSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    pendiente = serializers.IntegerField()
    enviando = serializers.IntegerField()
    enviado = serializers.IntegerField()
    fallido = serializers.IntegerField()


class MantenimientoDetalleSerializer(MantenimientoSerializer):
    """The window with its affected connections (frozen at the first notice), the clients
    without an e-mail (by razón social) and its notices' counts."""

    afectadas = AfectadaSerializer(many=True, read_only=True)
    sin_correo = ClienteSinCorreoSerializer(many=True, read_only=True)
    avisos = AvisosSerializer(read_only=True)

    class Meta(MantenimientoSerializer.Meta):
        fields = [*MantenimientoSerializer.Meta.fields, "afectadas", "sin_correo", "avisos"]
        read_only_fields = fields


class MantenimientoEntradaSerializer(Entrada):
    tipo_objeto = Opcion(choices=TipoObjeto.choices)
    objeto_id = Id()
    inicio = Momento(help_text=FECHA_AYUDA)
    fin = Momento(help_text=FECHA_AYUDA + " Posterior al inicio.")
    tipo = Opcion(choices=TipoMantenimiento.choices, required=False)
    descripcion = Texto(max_length=4000)

    def create(self, datos):
        return mantenimiento_crear(
            tipo=datos.pop("tipo", TipoMantenimiento.PLANIFICADO), **datos
        )


class NotificarEntradaSerializer(Entrada):
    """No fields: «Notificar» decides what each client still needs."""


class NotificarResultadoSerializer(serializers.Serializer):
    en_cola = serializers.IntegerField(help_text="Avisos que quedan por enviar (el trabajador).")
    enviados = serializers.IntegerField(help_text="Enviados en esta solicitud.")
    fallidos = serializers.IntegerField(help_text="Fallidos en esta solicitud (ver motivo).")
    al_dia = serializers.IntegerField(help_text="Clientes ya avisados de esta ventana.")
    sin_correo = serializers.IntegerField(help_text="Clientes afectados sin correo.")
