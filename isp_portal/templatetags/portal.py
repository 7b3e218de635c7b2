from django import template

register = template.Library()


@register.filter
def ancho_barra(porcentaje) -> int:
    """A percentage clamped to 0–100 for the `uso-N` width classes (no inline styles: CSP)."""
    try:
        return max(0, min(100, round(float(porcentaje))))
    except (TypeError, ValueError):
        return 0
