"""The age of a connection's utilised bandwidth figure, for lists and the detail page."""

from django import template

from ..utilizacion_selectors import antiguedad as _antiguedad

register = template.Library()


@register.filter
def antiguedad(momento):
    """{"texto": "hace 4 min", "vencida": older than 15 min} or None (no reading yet)."""
    return _antiguedad(momento)
