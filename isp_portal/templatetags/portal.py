from django import template

from isp_portal.formatos import cifra_html, fecha_texto, mbps_html, mbps_texto, miles_texto

register = template.Library()


@register.filter
def ancho_barra(porcentaje) -> int:
    """A percentage clamped to 0–100 for the `uso-N` width classes (no inline styles: CSP)."""
    try:
        return max(0, min(100, round(float(porcentaje))))
    except (TypeError, ValueError):
        return 0


@register.filter
def mbps(valor):
    """Bandwidth as every page shows it: "1 420 Mbps" (see isp_portal.formatos)."""
    return mbps_html(valor)


@register.filter
def miles(valor):
    """A count or the first figure of a pair ("1 000 → 1 420 Mbps"): thin-space thousands."""
    return cifra_html(miles_texto(valor), valor)


# Plain text, for attributes (title="…").
register.filter("mbps_texto", mbps_texto)


@register.filter
def fecha(valor) -> str:
    """dd/mm/aaaa, with hh:mm for a moment (a datetime)."""
    return fecha_texto(valor)


@register.filter
def mostrar(valor) -> str:
    """A value as a person reads it: "—" for empty, Sí/No, dates as `fecha`."""
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    return fecha_texto(valor)
