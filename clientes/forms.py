from django import forms

from isp_portal.forms import CrispyFormMixin, UbicacionFormMixin
from isp_portal.validators import normalizar_ruc

from .models import ClienteCorp, Sede


class ClienteCorpForm(CrispyFormMixin, forms.ModelForm):
    """Create and edit a client; is_active only when editing."""

    # Wider than the stored 11 digits so "20 100 017 491" reaches clean_ruc and is compacted.
    ruc = forms.CharField(label="RUC", max_length=20)

    class Meta:
        model = ClienteCorp
        fields = [
            "cid",
            "cod_erp",
            "razon_social",
            "ruc",
            "responsable",
            "fecha_activacion",
            "is_active",
        ]
        widgets = {"fecha_activacion": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["is_active"]

    def clean_ruc(self):
        ruc = normalizar_ruc(self.cleaned_data["ruc"])
        self._refuse_duplicate("ruc", ruc, "RUC")
        return ruc

    def clean_cid(self):
        cid = self.cleaned_data["cid"].strip()
        self._refuse_duplicate("cid", cid, "CID")
        return cid

    def _refuse_duplicate(self, campo: str, valor: str, etiqueta: str) -> None:
        otro = (
            ClienteCorp.objects.filter(**{campo: valor})
            .exclude(pk=self.instance.pk)
            .only("pk", "razon_social")
            .first()
        )
        if otro:
            raise forms.ValidationError(
                f"El {etiqueta} {valor} ya pertenece al cliente «{otro.razon_social}».",
                code="duplicado",
            )


class SedeForm(UbicacionFormMixin, CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Sede
        fields = ["oficina", "locacion", "direccion", "departamento", "provincia", "distrito"]
