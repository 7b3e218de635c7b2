from django import forms

from isp_portal.forms import CrispyFormMixin

from . import selectors
from .choices import TipoObjeto
from .models import Mantenimiento

MENSAJE_MOMENTO = "Ingrese fecha y hora (dd/mm/aaaa hh:mm)."


class Momento(forms.DateTimeField):
    """A date and time in the site's time zone (America/Lima), as <input type=datetime-local>
    sends it."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"
    )
    default_error_messages = {"invalid": MENSAJE_MOMENTO}


class MantenimientoEditForm(CrispyFormMixin, forms.ModelForm):
    """The window and its text; fin after inicio is the model's rule (Mantenimiento.clean)."""

    inicio = Momento(label="Inicio", help_text="Hora de Lima.")
    fin = Momento(label="Fin", help_text="Hora de Lima; posterior al inicio.")

    class Meta:
        model = Mantenimiento
        fields = ["inicio", "fin", "tipo", "descripcion"]
        widgets = {"descripcion": forms.Textarea(attrs={"rows": 4, "maxlength": 4000})}
        help_texts = {"descripcion": "Qué se hará y qué notarán los clientes (va en el aviso)."}


class MantenimientoForm(MantenimientoEditForm):
    """A new window: what it is on (kind and name, pre-filled from an «Impacto» page)."""

    objeto = forms.CharField(
        label="Objeto",
        max_length=200,
        help_text="Nombre del nodo o del proveedor, código del servicio o número de serie "
        "del equipo.",
    )

    class Meta(MantenimientoEditForm.Meta):
        fields = ["tipo_objeto", "objeto", "inicio", "fin", "tipo", "descripcion"]

    def clean(self):
        datos = super().clean()
        tipo, nombre = datos.get("tipo_objeto"), datos.get("objeto")
        if tipo in TipoObjeto.values and nombre:
            encontrados = selectors.objeto_por_nombre(tipo, nombre)
            etiqueta = TipoObjeto(tipo).label.lower()
            if not encontrados:
                self.add_error("objeto", f"No existe el {etiqueta} «{nombre.strip()}».")
            elif len(encontrados) > 1:
                self.add_error(
                    "objeto",
                    f"Hay más de un {etiqueta} «{nombre.strip()}»: use su página de Impacto.",
                )
            else:
                self.objeto_elegido = encontrados[0]
        return datos
