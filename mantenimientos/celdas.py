"""Cells of the maintenance pages (`Column(render=...)`, as isp_portal.celdas)."""

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html

from isp_portal.celdas import con_detalle, momento, pill

from .selectors import IMPACTO_URL


def objeto(obj, valor):
    """The object of the window, linked to the window, with its kind and description."""
    detalle = obj.get_tipo_objeto_display()
    if obj.descripcion:
        detalle = format_html(
            '{} · <span class="texto-largo">{}</span>', detalle, truncatechars(obj.descripcion, 80)
        )
    return con_detalle(
        format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.objeto_nombre), detalle
    )


def objeto_impacto(obj, valor):
    """The object, linked to its «Impacto» page."""
    url = reverse(IMPACTO_URL[obj.tipo_objeto], args=[obj.objeto_id])
    return format_html('<a href="{}">{}</a>', url, obj.objeto_nombre)


def tipo(obj, valor):
    if obj.tipo == "emergencia":
        return format_html(
            '<span class="text-danger fw-semibold"><i class="bi bi-exclamation-octagon" '
            'aria-hidden="true"></i> {}</span>',
            valor,
        )
    return valor


def estado(obj, valor):
    return pill(obj.estado, obj.get_estado_display())


__all__ = ["estado", "momento", "objeto", "objeto_impacto", "tipo"]
