"""One way to show figures and dates, on every page, modal, admin list and file name.

Bandwidth: integer Mbps with a thin space between thousands ("1 420 Mbps"); dates as
dd/mm/aaaa, with hh:mm when it is a moment (a datetime). Django's own formats for Spanish
are set alike in `es/formats.py` (FORMAT_MODULE_PATH), so the admin and `{{ fecha }}` agree.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from isp_portal.fechas import momento_local

# NARROW NO-BREAK SPACE: the thin space of SI thousands, which never breaks a figure.
ESPACIO_FINO = "\u202f"
MENOS = "\u2212"


def miles_texto(valor) -> str:
    """An integer with thin spaces between thousands and a true minus sign: −1 420;
    None → "—"."""
    if valor is None or valor == "":
        return "—"
    try:
        numero = int(valor)
    except (TypeError, ValueError):
        return str(valor)  # not a figure: shown as it is (and escaped by the template)
    texto = f"{abs(numero):,}".replace(",", ESPACIO_FINO)
    return f"{MENOS}{texto}" if numero < 0 else texto


def mbps_texto(valor) -> str:
    """1420 → "1 420 Mbps"; None → "—"."""
    texto = miles_texto(valor)
    return texto if texto == "—" else f"{texto} Mbps"


def fecha_texto(valor) -> str:
    """A date as dd/mm/aaaa; a datetime (a moment) in local time as dd/mm/aaaa hh:mm, or in
    UTC, said so, when local time cannot hold it (a stored moment near year 1)."""
    if isinstance(valor, datetime):
        if timezone.is_aware(valor):
            valor, local = momento_local(valor)
            if not local:
                return f"{date_format(valor, 'd/m/Y H:i')} UTC"
        return date_format(valor, "d/m/Y H:i")
    if isinstance(valor, date):
        return date_format(valor, "d/m/Y")
    return "—" if valor in (None, "") else str(valor)


def cifra_html(texto: str, valor):
    """A figure; a negative one is red and says so in words too (never colour alone)."""
    if isinstance(valor, int) and valor < 0:
        return format_html(
            '<span class="negativo">{}<span class="visually-hidden"> (negativo)</span>'
            "</span>",
            texto,
        )
    return texto


def mbps_html(valor):
    return cifra_html(mbps_texto(valor), valor)


def columna_mbps(campo: str, descripcion: str):
    """An admin list_display column of a figure in Mbps, as the pages show it, sorted by
    `campo` (a field or an annotation)."""

    def columna(obj):
        return mbps_html(getattr(obj, campo))

    columna.__name__ = campo
    columna.short_description = descripcion
    columna.admin_order_field = campo
    return columna


def columna_fecha(campo: str, descripcion: str):
    """An admin column (list_display, or a field of the view page) of a date or moment as
    fecha_texto shows it: Django's own display of a stored moment near year 1 overflowed."""

    def columna(obj):
        return fecha_texto(getattr(obj, campo))

    columna.__name__ = f"{campo}_texto"
    columna.short_description = descripcion
    columna.admin_order_field = campo
    return columna
