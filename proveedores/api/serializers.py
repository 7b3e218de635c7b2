from rest_framework import serializers

from ..models import Proveedor


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
