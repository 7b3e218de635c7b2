"""What each page reads from its request, for the fuzz tests: query parameters and form fields,
taken from the code where it says them (filtersets, forms, `request.GET.get("…")` in the
view's classes), plus the few a regular expression cannot see (PARAMETROS_A_MANO)."""

from __future__ import annotations

import inspect
import re

from django.urls import resolve

from conexiones.forms import AjusteBWForm
from isp_portal.generic import ORDER_PARAM

# Digits of other scripts (superscript two, Arabic-Indic 12, fullwidth 131), numbers past
# every column and Python's 4,300-digit limit, NUL, markup, SQL, long and empty texts.
HOSTILES = [
    "²",
    "١٢",
    "１３１",
    "9" * 5000,
    "-" + "9" * 30,
    "99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "1e3",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "x" * 5000,
    "",
]

# Dates and moments outside the site's range (2000-01-01 to 2100-12-31) and at Python's ends:
# 9999-12-31 23:59 in Lima is past 9999 in UTC, 0001-01-01 in Lima before year 1 (issue 21).
FECHAS_LEJANAS = [
    "9999-12-31",
    "0001-01-01",
    "2101-01-01",
    "1999-12-31",
    "10000-01-01",
]
MOMENTOS_LEJANOS = [
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00",
    "0001-01-01T00:00:00+05:00",
    "2101-01-01T00:00",
    "1999-12-31T23:59",
]
HOSTILES += ["9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00"]

# Read by hand where the class source does not show it: function views and constants.
PARAMETROS_A_MANO = {
    "ubigeo_provincias": ["departamento", "x-departamento"],
    "ubigeo_distritos": ["departamento", "provincia", "x-provincia"],
    "tokens_api": ["revocar", "nombre", "dias"],
}
# Forms a view builds itself rather than through `form_class`.
FORMULARIOS_A_MANO = {
    "conexiones:conexion_ajustar_bw": AjusteBWForm,
    "conexiones:conexion_ajuste_previo": AjusteBWForm,
}
# request.GET.get("x"), request.POST.getlist("x"), _parametro(request, "x").
_LEIDOS = re.compile(
    r"""(?:GET|POST|_parametro\(request)[.,]\s*(?:get|getlist)?\(?\s*["'](\w[\w-]*)["']"""
)
_MODULOS_PROPIOS = ("clientes.", "conexiones.", "proveedores.", "isp_portal.")


def vista(url: str):
    """(view class or function, its as_view() arguments) of `url`."""
    funcion = resolve(url.split("?")[0]).func
    return getattr(funcion, "view_class", funcion), getattr(funcion, "view_initkwargs", {})


def formulario(ruta, url: str):
    clase, kwargs = vista(url)
    return (
        FORMULARIOS_A_MANO.get(ruta.nombre)
        or kwargs.get("form_class")
        or getattr(clase, "form_class", None)
    )


def leidos_en_el_codigo(clase) -> set[str]:
    """Request keys named in the source of the view (and of its own base classes)."""
    nombres: set[str] = set()
    clases = inspect.getmro(clase) if inspect.isclass(clase) else [clase]
    for parte in clases:
        if not parte.__module__.startswith(_MODULOS_PROPIOS):
            continue
        nombres.update(_LEIDOS.findall(inspect.getsource(parte)))
    return nombres


def parametros(ruta, url: str) -> list[str]:
    """Every query or form key the page at `url` reads."""
    clase, kwargs = vista(url)
    nombres = set(leidos_en_el_codigo(clase)) | set(PARAMETROS_A_MANO.get(ruta.nombre, ()))
    filterset = kwargs.get("filterset_class") or getattr(clase, "filterset_class", None)
    if filterset is not None:
        nombres |= set(filterset.base_filters) | {ORDER_PARAM, "page", "exportar"}
    form = formulario(ruta, url)
    if form is not None:
        nombres |= set(form.base_fields)
    return sorted(nombres)
