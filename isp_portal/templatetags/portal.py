from django import template

from isp_portal import celdas
from isp_portal.formatos import cifra_html, fecha_texto, mbps_html, mbps_texto, miles_texto

register = template.Library()


register.filter("ancho_barra", celdas.ancho_barra)


@register.filter
def barra_de_uso(servicio):
    """A provider service's capacity bar (isp_portal.celdas.barra_de_uso)."""
    return celdas.barra_de_uso(servicio)


@register.filter
def pill_estado(obj):
    """An object's `estado` as its coloured pill."""
    return celdas.pill(obj.estado, obj.get_estado_display())


@register.filter
def celda(obj, columna):
    """A cell of a Column declared in Python: `{{ obj|celda:columna }}`."""
    return columna.html(obj)


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
