"""Cell renderers of list and detail pages: `Column(render=...)`, each a function of the row
and the column's value returning HTML (format_html escapes what it inserts).

One small function instead of one template per cell: a list page renders its 10–100 rows
in Python (about 220 `{% include %}` calls a page before).
"""

from django.template.defaultfilters import floatformat
from django.utils.html import format_html

from .formatos import fecha_texto, mbps_html, mbps_texto, miles_texto


def mbps(obj, valor):
    """Bandwidth as every page shows it: «1 420 Mbps», a negative in red."""
    return mbps_html(valor)


def miles(obj, valor):
    """A count with thin spaces between thousands: «12 400»."""
    return miles_texto(valor)


def enlace(obj, valor):
    """The related object, linked to its page; "—" without one."""
    if not valor:
        return "—"
    return format_html('<a href="{}">{}</a>', valor.get_absolute_url(), valor)


def pill(estado: str, etiqueta: str):
    return format_html('<span class="pill pill-{}">{}</span>', estado, etiqueta or estado)


def estado(obj, valor):
    """The row's `estado` as a coloured pill with its label."""
    return pill(obj.estado, valor)


def activo(obj, valor):
    """`is_active` as «Activo» / «Inactivo»."""
    return pill("ACTIVO", "Activo") if obj.is_active else pill("SUSPENDIDO", "Inactivo")


def momento(obj, valor):
    """A date and time on one line; "—" without one."""
    return format_html('<span class="text-nowrap">{}</span>', fecha_texto(valor))


def con_detalle(principal, detalle):
    """A value and a small grey line under it (a client and its locación)."""
    return format_html('{}<div class="small text-muted">{}</div>', principal, detalle)


def ancho_barra(porcentaje) -> int:
    """A percentage clamped to 0–100 for the `uso-N` width classes (no inline styles: CSP)."""
    try:
        return max(0, min(100, round(float(porcentaje))))
    except (TypeError, ValueError):
        return 0


def barra_de_uso(obj, valor=None):
    """A provider service's capacity bar: vendida over contratada, green, amber from 80 %,
    red when oversold (`capacidad_vendida`, `capacidad_contratada`, `capacidad_disponible`,
    `porcentaje_uso` of the row)."""
    uso = obj.porcentaje_uso
    sobre = obj.capacidad_disponible is not None and obj.capacidad_disponible < 0
    color = "bg-danger" if sobre else "bg-warning" if (uso or 0) >= 80 else "bg-success"
    ancho = ancho_barra(uso)
    return format_html(
        '<div class="capacidad-barra d-flex align-items-center gap-2" title="{} vendidos de {}">'
        '<div class="progress flex-grow-1" role="progressbar" aria-label="Capacidad usada" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar uso-{} {}"></div></div>'
        '<span class="porcentaje num small{}">{} %</span></div>',
        mbps_texto(obj.capacidad_vendida),
        mbps_texto(obj.capacidad_contratada),
        ancho,
        ancho,
        color,
        " negativo" if sobre else "",
        floatformat(uso, 1),
    )
