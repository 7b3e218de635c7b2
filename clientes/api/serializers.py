from rest_framework import serializers

from isp_portal.api.campos import Booleano, Fecha, Id, Texto
from isp_portal.api.entrada import Entrada

from ..forms import ClienteCorpForm
from ..models import ClienteCorp, Sede


class ClienteCorpSerializer(serializers.ModelSerializer):
    # Text, not the schema's "email" format: a client without a contact has "".
    correo = serializers.CharField(
        read_only=True, help_text="Correo del contacto; vacío si no hay."
    )

    class Meta:
        model = ClienteCorp
        # The fields the client form edits, as the documents name them, with the row's id
        # and timestamps.
        fields = ["id", *ClienteCorpForm.Meta.fields, "created_at", "updated_at"]
        read_only_fields = fields


class ClienteCorpEntradaSerializer(Entrada):
    """A new client: the documents' fields; the rules (RUC, unique CID and RUC) are the
    form's. A new client is active (`is_active` is for editing, as in the documents)."""

    rechazos = {"is_active": "Un cliente nuevo se crea activo: cámbielo al editarlo."}

    cid = Texto(required=False, help_text="Solo dígitos; único.")  # checked by the form
    cod_erp = Texto(required=False, allow_blank=True)
    razon_social = Texto(required=False)
    ruc = Texto(required=False, help_text="11 dígitos con dígito verificador válido; único.")
    responsable = Texto(required=False, allow_blank=True)
    telefono = Texto(
        required=False, allow_blank=True, help_text="Teléfono del contacto (6 a 15 dígitos)."
    )
    correo = Texto(required=False, allow_blank=True, help_text="Correo del contacto.")
    fecha_activacion = Fecha(
        required=False,
        allow_null=True,
        help_text="AAAA-MM-DD, del 2000-01-01 al 2100-12-31 (FECHA_MINIMA, FECHA_MAXIMA).",
    )


class ClienteCorpEdicionSerializer(ClienteCorpEntradaSerializer):
    """Editing a client: any of its fields; only those sent change."""

    is_active = Booleano(required=False, help_text="1 o true: activo; 0 o false: inactivo.")


class SedeResumenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sede
        fields = ["id", "oficina", "locacion"]
        read_only_fields = fields


class ClienteCorpSelectSerializer(serializers.ModelSerializer):
    """A client for a dropdown, with its sedes."""

    sedes = SedeResumenSerializer(many=True, read_only=True)

    class Meta:
        model = ClienteCorp
        fields = ["id", "cid", "razon_social", "ruc", "sedes"]
        read_only_fields = fields


class SedeSerializer(serializers.ModelSerializer):
    cliente_id = serializers.IntegerField(read_only=True)
    cliente_razon_social = serializers.CharField(source="cliente.razon_social", read_only=True)
    cliente_ruc = serializers.CharField(source="cliente.ruc", read_only=True)

    class Meta:
        model = Sede
        fields = [
            "id",
            "cliente_id",
            "oficina",
            "locacion",
            "direccion",
            "departamento",
            "provincia",
            "distrito",
            "cliente_razon_social",
            "cliente_ruc",
        ]
        read_only_fields = fields


class SedeEntradaSerializer(Entrada):
    """The documents' sede fields; the rules (ubigeo pair, unique oficina) are the form's."""

    oficina = Texto(required=False)
    locacion = Texto(required=False, allow_blank=True)
    direccion = Texto(required=False)
    departamento = Texto(required=False, allow_blank=True)
    provincia = Texto(required=False, allow_blank=True)
    distrito = Texto(required=False, allow_blank=True)


class SedeCrearSerializer(SedeEntradaSerializer):
    cliente_id = Id(help_text="El cliente de la sede.")


class SedeEditarSerializer(SedeEntradaSerializer):
    id = Id(help_text="La sede a editar.")
