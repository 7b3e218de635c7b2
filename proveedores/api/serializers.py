from rest_framework import serializers

from ..models import Proveedor, ServicioProveedor


class ProveedorSerializer(serializers.ModelSerializer):
    num_servicios = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proveedor
        fields = [
            "id",
            "nombre",
            "ruc",
            "contacto",
            "telefono",
            "email",
            "is_active",
            "num_servicios",
        ]
        read_only_fields = fields


class ServicioProveedorSerializer(serializers.ModelSerializer):
    """A provider service with its capacity (annotations registered by conexiones: see
    isp_portal.registro.consulta)."""

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
