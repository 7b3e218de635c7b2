from django import forms

from isp_portal.forms import CrispyFormMixin, UbicacionFormMixin, campo_de_formulario
from isp_portal.models import CAMPOS_UBICACION
from isp_portal.validators import normalizar_ruc

from .models import Proveedor, ServicioProveedor


class ProveedorForm(CrispyFormMixin, forms.ModelForm):
    """Create and edit a provider; is_active only when editing."""

    # Wider than the stored 11 digits so "20 100 017 491" reaches clean_ruc and is compacted.
    ruc = forms.CharField(label="RUC", max_length=20, required=False)

    class Meta:
        model = Proveedor
        formfield_callback = campo_de_formulario
        fields = ["nombre", "ruc", "contacto", "telefono", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["is_active"]

    def clean_ruc(self):
        return normalizar_ruc(self.cleaned_data["ruc"])


class ServicioProveedorForm(UbicacionFormMixin, CrispyFormMixin, forms.ModelForm):
    """A provider's circuit; its sold and available capacity are derived, never typed."""

    class Meta:
        model = ServicioProveedor
        formfield_callback = campo_de_formulario
        fields = [
            "proveedor",
            "codigo",
            "modalidad",
            "tipo",
            "capacidad_contratada",
            "estado",
            *CAMPOS_UBICACION,
        ]
        help_texts = {
            "capacidad_contratada": "Mbps contratados al proveedor. La capacidad vendida y "
            "la disponible se calculan de las conexiones."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proveedor"].queryset = Proveedor.objects.only("pk", "nombre")
