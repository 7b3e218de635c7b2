"""The Python-written widgets say exactly what Django's templates would."""

import datetime
import re

import pytest
from django import forms

from isp_portal.forms import LargeSelect, PlainHiddenInput, SharedOptions


def sin_espacios_entre_etiquetas(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    "valor",
    [None, "", "Lima & <Callao>", 'dice "hola"', 0, 1500, True, datetime.date(2025, 6, 1)],
)
def test_input_oculto_como_el_de_django(valor):
    attrs = {"id": "initial-id_x", "data-x": "a&b", "disabled": True, "required": False}
    esperado = forms.HiddenInput().render("initial-x", valor, attrs)
    assert PlainHiddenInput().render("initial-x", valor, attrs) == esperado


@pytest.mark.parametrize("valor", [None, "", "2", 2, "<b>"])
def test_select_grande_como_el_de_django(valor):
    choices = [("", "---------"), (1, "Uno & <uno>"), (2, 'Dos "2"'), ("<b>", "Negrita")]
    attrs = {"id": "id_x", "class": "form-select", "disabled": True, "data-y": False}
    esperado = forms.Select(choices=choices).render("x", valor, attrs)
    assert LargeSelect(choices=choices).render("x", valor, attrs) == sin_espacios_entre_etiquetas(
        esperado
    )


def test_opciones_compartidas_se_leen_una_vez_y_cada_select_marca_la_suya():
    leidas = []

    def cargar():
        leidas.append(1)
        return [("", "---------"), (1, "A"), (2, "B")]

    opciones = SharedOptions(cargar)
    a, b = LargeSelect(), LargeSelect()
    a.choices = b.choices = opciones
    html_a, html_b = a.render("a", 1), b.render("b", 2)
    assert leidas == [1]
    assert '<option value="1" selected>A</option><option value="2">B</option>' in html_a
    assert '<option value="1">A</option><option value="2" selected>B</option>' in html_b
    assert a.use_required_attribute(None)  # the first option is empty
