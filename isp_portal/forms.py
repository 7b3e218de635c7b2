"""Form pieces shared by every app: crispy setup, the ubigeo linked selects, and the fields
that read integers and chosen rows through the one integer parser (isp_portal.enteros)."""

import html
from functools import cached_property

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from . import ubigeo
from .enteros import (
    BIGINT_MAX,
    BIGINT_MIN,
    MENSAJE_INVALIDO,
    parse_entero,
    parse_entero_de_campo,
    rango_columna,
)
from .fechas import FechaField, MomentoField


class EnteroField(forms.IntegerField):
    """An integer: ASCII digits with an optional sign (parse_entero), within `rango`, the
    range of the column it is stored in (64 bits unless told). `min_value`/`max_value` are the
    form's own rule, checked after with their messages; `error_messages` also name the
    messages of an invalid number or one outside `rango`."""

    default_error_messages = {"invalid": MENSAJE_INVALIDO}

    def __init__(
        self,
        *,
        rango: tuple[int, int] = (BIGINT_MIN, BIGINT_MAX),
        campo: models.Field | None = None,
        **kwargs,
    ):
        self.rango = rango
        # A model field: its column's range and its validators' bounds, with their messages.
        self.campo = campo
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if self.campo is not None:
            return parse_entero_de_campo(value, self.campo, self.error_messages)
        minimo, maximo = self.rango
        return parse_entero(value, minimo=minimo, maximo=maximo, mensajes=self.error_messages)


def _id_elegido(campo: forms.ModelChoiceField, valor):
    """`valor` as an id of the field's rows when they are chosen by an integer, or the field's
    invalid_choice error: Django reads "١٢" as 12, and hands the database ids its column
    cannot hold."""
    if valor in campo.empty_values or isinstance(valor, models.Model):
        return valor
    opciones = campo.queryset.model._meta
    clave = opciones.get_field(campo.to_field_name) if campo.to_field_name else opciones.pk
    if not isinstance(clave, models.IntegerField):
        return valor
    minimo, maximo = rango_columna(clave)
    try:
        return parse_entero(valor, minimo=minimo, maximo=maximo)
    except ValidationError:
        raise ValidationError(
            campo.error_messages["invalid_choice"], code="invalid_choice", params={"value": valor}
        ) from None


class ModeloChoiceField(forms.ModelChoiceField):
    """A row chosen by its id, the id read by parse_entero (see _id_elegido)."""

    def to_python(self, value):
        return super().to_python(_id_elegido(self, value))


class ModeloMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by their ids, each read by parse_entero (see _id_elegido)."""

    def _check_values(self, value):
        return super()._check_values([_id_elegido(self, v) for v in value])


def campo_de_formulario(campo: models.Field, **kwargs) -> forms.Field | None:
    """`Meta.formfield_callback` of every ModelForm: integers are EnteroFields within their
    column's range, chosen rows ModeloChoiceFields, dates and moments within the site's
    range (isp_portal.fechas)."""
    if not campo.choices:
        if isinstance(campo, models.ForeignKey):
            kwargs.setdefault("form_class", ModeloChoiceField)
        elif isinstance(campo, models.ManyToManyField):
            kwargs.setdefault("form_class", ModeloMultipleChoiceField)
        elif isinstance(campo, models.IntegerField):
            kwargs.setdefault("form_class", EnteroField)
            kwargs.setdefault("campo", campo)
        elif isinstance(campo, models.DateTimeField):
            kwargs.setdefault("form_class", MomentoField)
        elif isinstance(campo, models.DateField):
            kwargs.setdefault("form_class", FechaField)
    return campo.formfield(**kwargs)


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
        self._select(
            "departamento",
            ubigeo.choices_departamentos(),
            {
                "hx-get": reverse("ubigeo_provincias"),
                "hx-target": f"#{prov_id}",
                "data-distritos": f"#{dist_list}",
            },
        )
        self._select(
            "provincia",
            ubigeo.choices_provincias(departamento),
            {
                "hx-get": reverse("ubigeo_distritos"),
                "hx-target": f"#{dist_list}",
                "hx-include": f"[name='{self.add_prefix('departamento')}']",
            },
        )
        self.fields["distrito"].widget = DatalistInput(
            opciones=ubigeo.distritos(departamento, provincia), list_id=dist_list
        )
        # self["provincia"] above cached a BoundField of the replaced CharField: drop it, or
        # the page renders a text input instead of the linked select.
        for nombre in ("departamento", "provincia", "distrito"):
            self._bound_fields_cache.pop(nombre, None)

    def _select(self, nombre: str, choices, attrs: dict) -> None:
        """Replace the model's text field `nombre` by a select whose change asks htmx for
        the next one."""
        self.fields[nombre] = forms.ChoiceField(
            label=capfirst(nombre),
            required=self.fields[nombre].required,
            choices=choices,
            widget=LargeSelect(attrs={**attrs, "hx-trigger": "change"}),
        )

    def _valor_inicial(self, nombre: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(nombre), "")
        return self.initial.get(nombre) or getattr(self.instance, nombre, "") or ""


def opciones_html(choices, elegidos=frozenset()) -> str:
    """<option>s of (value, label) pairs, escaped, those whose value is in `elegidos` selected."""
    return "".join(
        '<option value="{}"{}>{}</option>'.format(
            html.escape(str(valor)),
            " selected" if str(valor) in elegidos else "",
            html.escape(str(etiqueta)),
        )
        for valor, etiqueta in choices
    )


class SharedOptions(BaseChoiceIterator):
    """The options of several LargeSelects of one page (both node selects of a connection),
    made by `func` when first needed and written as HTML once: each select only marks its
    value."""

    def __init__(self, func):
        self.func = func

    def __iter__(self):
        return iter(self.pares)

    def __copy__(self):
        return self  # widgets are copied as they render: all copies share the options

    def __deepcopy__(self, memo):
        return self

    @cached_property
    def pares(self) -> list:
        return list(self.func())

    @cached_property
    def html(self) -> str:
        return opciones_html(self.pares)

    def html_con(self, elegidos) -> str:
        opciones = self.html
        for valor in elegidos:
            marca = f'<option value="{html.escape(valor)}">'
            opciones = opciones.replace(marca, f'<option value="{html.escape(valor)}" selected>', 1)
        return opciones


class LargeSelect(forms.Select):
    """A <select> for a few thousand options (the nodes of a national network).

    The options are written straight from `choices` in one string: no option dict, template
    or lazy `escape` per option, which made 2 × 2,000 node options a third of a second.
    Flat choices only (no optgroups). With SharedOptions as `choices`, several selects read
    and write the same options once.
    """

    def render(self, name, value, attrs=None, renderer=None):
        elegidos = set(self.format_value(value))
        if isinstance(self.choices, SharedOptions):
            opciones = self.choices.html_con(elegidos)
        else:
            opciones = opciones_html(self.choices, elegidos)
        atributos = atributos_html(self.build_attrs(self.attrs, attrs))
        # Every name, value and label was escaped above.
        return mark_safe(f'<select name="{html.escape(name)}"{atributos}>{opciones}</select>')  # noqa: S308


class PlainHiddenInput(forms.HiddenInput):
    """A hidden input written in Python exactly as Django's templates write it. An edit page
    posts every field's initial value (ObjectUpdateView); at three templates each, those
    inputs were a third of the templates the page rendered."""

    def render(self, name, value, attrs=None, renderer=None):
        valor = self.format_value(value)
        valor = "" if valor is None else f' value="{html.escape(str(valor))}"'
        atributos = atributos_html(self.build_attrs(self.attrs, attrs))
        # Every part escaped above.
        return mark_safe(  # noqa: S308
            f'<input type="{self.input_type}" name="{html.escape(name)}"{valor}{atributos}>'
        )


def atributos_html(attrs: dict) -> str:
    """As Django's attrs.html: in order, True as a bare attribute, False left out."""
    return "".join(
        f" {html.escape(str(clave))}"
        if valor is True
        else f' {html.escape(str(clave))}="{html.escape(str(valor))}"'
        for clave, valor in attrs.items()
        if valor is not False
    )


class TokenAPIForm(CrispyFormMixin, forms.Form):
    """A new API token of the logged-in user ("Token de API" page)."""

    DIAS = [(30, "30 días"), (90, "90 días"), (180, "180 días"), (365, "1 año")]

    nombre = forms.CharField(
        label="Descripción",
        max_length=100,
        required=False,
        help_text="Para qué es, p. ej. «sincronización ERP» o «monitoreo».",
    )
    dias = forms.TypedChoiceField(label="Validez", choices=DIAS, coerce=int, initial=90)
