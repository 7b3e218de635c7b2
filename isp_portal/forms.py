"""Form pieces shared by every app: crispy setup and the ubigeo linked selects."""

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import ubigeo


class DatalistInput(forms.TextInput):
    """A text input with suggestions (`<datalist>`); free text stays allowed."""

    template_name = "widgets/datalist.html"

    def __init__(self, *args, opciones=(), list_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.opciones = list(opciones)
        self.list_id = list_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = self.list_id
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["opciones"] = self.opciones
        context["list_id"] = self.list_id
        return context


class CrispyFormMixin:
    """Bootstrap 5 rendering through crispy; the page template supplies <form> and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class UbicacionFormMixin:
    """departamento → provincia linked selects (htmx) and distrito suggestions.

    The choices come from the bound data, so without JavaScript the form still works and
    the server validates the pair (the model's clean() checks it again).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departamento = self._valor_inicial("departamento")
        provincia = self._valor_inicial("provincia")
        prov_id = self["provincia"].auto_id
        dist_list = f"{self['distrito'].auto_id}-opciones"
        self.fields["departamento"] = forms.ChoiceField(
            label="Departamento",
            required=self.fields["departamento"].required,
            choices=ubigeo.choices_departamentos(),
            widget=forms.Select(
                attrs={
                    "hx-get": reverse("ubigeo_provincias"),
                    "hx-target": f"#{prov_id}",
                    "hx-trigger": "change",
                    "data-distritos": f"#{dist_list}",
                }
            ),
        )
        self.fields["provincia"] = forms.ChoiceField(
            label="Provincia",
            required=self.fields["provincia"].required,
            choices=ubigeo.choices_provincias(departamento),
            widget=forms.Select(
                attrs={
                    "hx-get": reverse("ubigeo_distritos"),
                    "hx-target": f"#{dist_list}",
                    "hx-trigger": "change",
                    "hx-include": f"[name='{self.add_prefix('departamento')}']",
                }
            ),
        )
        self.fields["distrito"].widget = DatalistInput(
            opciones=ubigeo.distritos(departamento, provincia), list_id=dist_list
        )
        # self["provincia"] above cached a BoundField of the replaced CharField: drop it, or
        # the page renders a text input instead of the linked select.
        for nombre in ("departamento", "provincia", "distrito"):
            self._bound_fields_cache.pop(nombre, None)

    def _valor_inicial(self, nombre: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(nombre), "")
        return self.initial.get(nombre) or getattr(self.instance, nombre, "") or ""


class LargeSelect(forms.Select):
    """A <select> whose options are rendered in Python, not one template each: a few
    thousand options (nodes of a national network) in milliseconds instead of a second."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        opciones = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    opcion["value"],
                    mark_safe(" selected") if opcion["selected"] else "",
                    opcion["label"],
                )
                for _grupo, grupo_opciones, _indice in widget["optgroups"]
                for opcion in grupo_opciones
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), opciones
        )
