from crispy_forms.layout import Column, Layout, Row
from django import forms

from isp_portal.forms import CrispyFormMixin, UbicacionFormMixin, campo_de_formulario
from isp_portal.models import CAMPOS_UBICACION
from isp_portal.validators import normalizar_ruc

from .models import ClienteCorp, Sede


class ClienteCorpForm(CrispyFormMixin, forms.ModelForm):
    """Create and edit a client; is_active only when editing."""

    # Wider than the stored 11 digits so "20 100 017 491" reaches clean_ruc and is compacted.
    ruc = forms.CharField(
        label="RUC",
        max_length=20,
        help_text="11 dígitos; se aceptan espacios y guiones.",
    )

    class Meta:
        model = ClienteCorp
        formfield_callback = campo_de_formulario
        fields = [
            "cid",
            "cod_erp",
            "razon_social",
            "ruc",
            "responsable",
            "telefono",
            "correo",
            "fecha_activacion",
            "is_active",
        ]
        labels = {
            "cod_erp": "Código ERP",
            "razon_social": "Razón social",
            "responsable": "Responsable",
            "telefono": "Teléfono del contacto",
            "correo": "Correo del contacto",
            "fecha_activacion": "Fecha de activación",
            "is_active": "Cliente activo",
        }
        help_texts = {"cid": "Identificador interno del cliente (solo dígitos)."}
        widgets = {"fecha_activacion": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        filas = [
            Row(Column("cid", css_class="col-md-4"), Column("cod_erp", css_class="col-md-4")),
            "razon_social",
            Row(Column("ruc", css_class="col-md-4"), Column("responsable", css_class="col-md-8")),
            Row(Column("telefono", css_class="col-md-4"), Column("correo", css_class="col-md-8")),
            Row(Column("fecha_activacion", css_class="col-md-4")),
        ]
        if self.instance.pk:
            filas.append("is_active")
        else:
            del self.fields["is_active"]
        self.helper.layout = Layout(*filas)

    def clean_ruc(self):
        ruc = normalizar_ruc(self.cleaned_data["ruc"])
        self._refuse_duplicate("ruc", ruc, "RUC")
        return ruc

    def clean_cid(self):
        # As stored (full-width digits as ASCII): the model field's rule.
        cid = ClienteCorp._meta.get_field("cid").to_python(self.cleaned_data["cid"].strip())
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
    """A client's sede; the client comes from the URL (the instance), never from the form."""

    class Meta:
        model = Sede
        formfield_callback = campo_de_formulario
        fields = ["oficina", *CAMPOS_UBICACION]
        labels = {"oficina": "Oficina", "locacion": "Locación", "direccion": "Dirección"}
        help_texts = {"locacion": "Etiqueta descriptiva, p. ej. «Lima - San Isidro»."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["distrito"].label = "Distrito"
        self.helper.layout = Layout(
            Row(Column("oficina", css_class="col-md-6"), Column("locacion", css_class="col-md-6")),
            Row(
                Column("departamento", css_class="col-md-4"),
                Column("provincia", css_class="col-md-4"),
                Column("distrito", css_class="col-md-4"),
            ),
            "direccion",
        )
