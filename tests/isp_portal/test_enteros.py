"""The one integer parser (isp_portal.enteros) and the form fields and filters built on it;
every form and filterset of the site reads its integers and chosen rows through them."""

import django_filters
import pytest
from django import forms
from django.core.exceptions import ValidationError

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp
from conexiones.factories import ConexionFactory
from conexiones.forms import AjusteBWForm
from conexiones.models import Conexion
from isp_portal.enteros import (
    BIGINT_MAX,
    BIGINT_MIN,
    INT_MAX,
    MENSAJE_INVALIDO,
    id_o_none,
    parse_entero,
)
from isp_portal.filters import BaseFilterSet, EnteroFilter, ModeloChoiceFilter
from isp_portal.forms import EnteroField, ModeloChoiceField, ModeloMultipleChoiceField
from tests.isp_portal.rutas import crear_datos, todas_las_rutas

NO_ENTEROS = ["²", "١٢", "１３１", "1e3", "12.5", "1_000", "0x1A", "--1", "+", "-", "", " ", "\x00"]


@pytest.mark.parametrize(
    ("texto", "numero"),
    [("0", 0), ("42", 42), (" 42 ", 42), ("+7", 7), ("-5", -5), ("007", 7), ("0" * 5000 + "3", 3)],
)
def test_lee_digitos_ascii_con_signo(texto, numero):
    assert parse_entero(texto) == numero


@pytest.mark.parametrize("texto", NO_ENTEROS)
def test_rechaza_lo_que_no_es_un_entero_ascii(texto):
    with pytest.raises(ValidationError) as error:
        parse_entero(texto)
    assert error.value.code == "invalid"
    assert error.value.messages == [MENSAJE_INVALIDO]


@pytest.mark.parametrize("valor", [None, True, 1.0, [1], b"1"])
def test_solo_texto_o_int(valor):
    with pytest.raises(ValidationError):
        parse_entero(valor)


def test_por_defecto_el_rango_de_64_bits():
    assert parse_entero(str(BIGINT_MAX)) == BIGINT_MAX
    assert parse_entero(str(BIGINT_MIN)) == BIGINT_MIN
    for texto, codigo in [(str(BIGINT_MAX + 1), "max_value"), (str(BIGINT_MIN - 1), "min_value")]:
        with pytest.raises(ValidationError) as error:
            parse_entero(texto)
        assert error.value.code == codigo


@pytest.mark.parametrize(
    ("texto", "codigo"), [("9" * 5000, "max_value"), ("-" + "9" * 5000, "min_value")]
)
def test_miles_de_digitos_quedan_fuera_del_rango_sin_convertirse(texto, codigo):
    """Past Python's 4,300-digit limit of int(): a range error, not a ValueError."""
    with pytest.raises(ValidationError) as error:
        parse_entero(texto, minimo=0, maximo=100)
    assert error.value.code == codigo
    assert error.value.messages == [
        "Asegúrese de que este valor es menor o igual a 100."
        if codigo == "max_value"
        else "Asegúrese de que este valor es mayor o igual a 0."
    ]


def test_mensajes_propios_por_codigo():
    mensajes = {"invalid": "Mal: %(value)s.", "max_value": "Hasta %(limit_value)s, nada más."}
    with pytest.raises(ValidationError) as error:
        parse_entero("²", mensajes=mensajes)
    assert error.value.messages == ["Mal: ²."]
    with pytest.raises(ValidationError) as error:
        parse_entero("11", maximo=10, mensajes=mensajes)
    assert error.value.messages == ["Hasta 10, nada más."]


def test_id_o_none():
    assert id_o_none("12") == 12
    for valor in ["²", "0", "-3", "9" * 30, "", None, "abc"]:
        assert id_o_none(valor) is None


# --- form fields ------------------------------------------------------------------------


def test_entero_field_rango_de_columna_y_reglas_del_formulario():
    campo = EnteroField(rango=(0, INT_MAX), min_value=1, error_messages={"min_value": "Uno o más."})
    assert campo.clean("15") == 15
    for valor, mensaje in [
        ("0", "Uno o más."),
        ("-" + "9" * 40, "Uno o más."),  # outside the column, below: the form's message
        ("١٥", MENSAJE_INVALIDO),
        (str(INT_MAX + 1), f"Asegúrese de que este valor es menor o igual a {INT_MAX}."),
    ]:
        with pytest.raises(ValidationError) as error:
            campo.clean(valor)
        assert error.value.messages == [mensaje], valor
    assert EnteroField(required=False).clean("  ") is None


@pytest.mark.django_db
def test_modelo_choice_field_rechaza_ids_que_no_son_enteros_ascii():
    cliente = ClienteCorpFactory()
    campo = ModeloChoiceField(queryset=ClienteCorp.objects.all())
    assert campo.clean(str(cliente.pk)) == cliente
    assert campo.clean(cliente) == cliente
    arabigo = str(cliente.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for valor in ["²", arabigo, "9" * 5000, str(BIGINT_MAX + 1), "-1", "\x00"]:
        with pytest.raises(ValidationError) as error:
            campo.clean(valor)
        assert error.value.code == "invalid_choice"
        assert error.value.messages == [
            "Escoja una opción válida. Esa opción no está entre las disponibles."
        ]


@pytest.mark.django_db
def test_modelo_multiple_choice_field():
    uno, otro = ClienteCorpFactory(), ClienteCorpFactory()
    campo = ModeloMultipleChoiceField(queryset=ClienteCorp.objects.all())
    assert set(campo.clean([str(uno.pk), f"+{otro.pk}"])) == {uno, otro}
    for valor in ["²", "9" * 5000, "9" * 25]:
        with pytest.raises(ValidationError):
            campo.clean([str(uno.pk), valor])


@pytest.mark.django_db
def test_los_filtros_de_enteros_y_filas():
    conexion = ConexionFactory()

    class Filtros(BaseFilterSet):
        numero = EnteroFilter(field_name="cliente_id")
        fila = ModeloChoiceFilter(field_name="cliente", queryset=ClienteCorp.objects.all())

        class Meta:
            model = Conexion
            fields = ["numero", "fila"]

    assert Filtros({"numero": str(conexion.cliente_id)}).qs.get() == conexion
    assert Filtros({"fila": str(conexion.cliente_id)}).qs.get() == conexion
    for valor in ["²", "١٢", "9" * 5000]:
        assert not Filtros({"numero": valor}).is_valid()
        assert not Filtros({"fila": valor}).is_valid()


def test_un_filtro_generado_de_un_campo_entero_o_de_una_fila():
    """A filterset's Meta.fields without a declared filter get the filters above too."""

    class Filtros(BaseFilterSet):
        class Meta:
            model = ClienteCorp
            fields = ["id"]

    class DeConexiones(BaseFilterSet):
        class Meta:
            model = Conexion
            fields = ["bw_contratado", "cliente"]

    assert isinstance(Filtros.base_filters["id"], EnteroFilter)
    assert isinstance(DeConexiones.base_filters["bw_contratado"], EnteroFilter)
    assert isinstance(DeConexiones.base_filters["cliente"], ModeloChoiceFilter)


# --- every form and filterset of the site -----------------------------------------------


def _formularios():
    from django.urls import resolve

    from isp_portal.forms import TokenAPIForm
    from tests.fuzz.parametros import FORMULARIOS_A_MANO

    vistos = {AjusteBWForm, TokenAPIForm, *FORMULARIOS_A_MANO.values()}
    objetos = crear_datos()
    for ruta in todas_las_rutas():
        funcion = resolve(ruta.url(objetos)).func
        clase = getattr(funcion, "view_class", None)
        form = getattr(funcion, "view_initkwargs", {}).get("form_class") or getattr(
            clase, "form_class", None
        )
        if form is not None and form.__module__.split(".")[0] != "django":
            vistos.add(form)
    return vistos


@pytest.mark.django_db
def test_cada_formulario_lee_enteros_y_filas_con_el_parser():
    formularios = _formularios()
    assert len(formularios) >= 8
    for form in formularios:
        for nombre, campo in form.base_fields.items():
            if isinstance(campo, forms.IntegerField):
                assert isinstance(campo, EnteroField), (form, nombre)
            if isinstance(campo, forms.ModelMultipleChoiceField):
                assert isinstance(campo, ModeloMultipleChoiceField), (form, nombre)
            elif isinstance(campo, forms.ModelChoiceField):
                assert isinstance(campo, ModeloChoiceField), (form, nombre)


def test_cada_filterset_lee_enteros_y_filas_con_el_parser():
    from clientes import filters as clientes
    from conexiones import filters as conexiones
    from proveedores import filters as proveedores

    filtersets = [
        clase
        for modulo in (clientes, conexiones, proveedores)
        for clase in vars(modulo).values()
        if isinstance(clase, type) and issubclass(clase, django_filters.FilterSet)
    ]
    assert len(filtersets) >= 8
    for filterset in filtersets:
        assert issubclass(filterset, BaseFilterSet), filterset
        for nombre, filtro in filterset.base_filters.items():
            assert not isinstance(filtro, django_filters.NumberFilter), (filterset, nombre)
            if isinstance(filtro, django_filters.ModelChoiceFilter):
                assert isinstance(filtro, ModeloChoiceFilter), (filterset, nombre)
