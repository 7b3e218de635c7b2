"""`{% paneles lugar objeto %}`: the panels other apps registered for a place of a page
(isp_portal.paneles)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from isp_portal.paneles import paneles_de

register = template.Library()


@register.simple_tag(takes_context=True)
def paneles(context, lugar, objeto=None):
    """The panels of `lugar` ("inicio"), or of `lugar` for the model of `objeto`
    ("detalle:conexiones.nodo")."""
    request = context.get("request")
    opts = getattr(objeto, "_meta", None)
    clave = f"{lugar}:{opts.label_lower}" if opts is not None else str(lugar)
    partes = []
    for panel in paneles_de(clave):
        datos = panel.contexto(request, objeto)
        if datos is not None:
            partes.append(render_to_string(panel.plantilla, datos, request=request))
    return mark_safe("".join(partes))
