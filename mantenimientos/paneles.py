"""The windows shown on other apps' pages (isp_portal.paneles): the home page, the pages of
nodes, provider services, providers, equipment and connections, and the «Programar
mantenimiento» button of their «Impacto» pages."""

from django.urls import reverse

from isp_portal.paneles import registrar

from . import selectors

PERMISO_PROGRAMAR = "mantenimientos.add_mantenimiento"

# The panels read no permission: whoever may open the page hosting them (every role reads
# every page) sees its windows, and the page pays one query, not the permissions' two.


def _de_objeto(request, objeto):
    tipo = selectors.TIPO_POR_MODELO[objeto._meta.label_lower]
    mantenimientos = selectors.vigentes_de_objeto(tipo, objeto.pk)
    if not mantenimientos:
        return None
    return {"mantenimientos": mantenimientos, "titulo": "Mantenimientos próximos y en curso"}


def _de_conexion(request, conexion):
    mantenimientos = selectors.de_conexion(conexion)
    if not mantenimientos:
        return None
    return {"mantenimientos": mantenimientos, "titulo": "Mantenimientos que la afectan"}


def _inicio(request, _):
    return {"mantenimientos": list(selectors.vigentes()[:8]), "inicio": True}


def _impacto(request, objeto):
    """«Programar mantenimiento» on an «Impacto» page, for who may (no query: the list
    already read the user's permissions)."""
    if request is None or not request.user.has_perm(PERMISO_PROGRAMAR):
        return None
    tipo = selectors.TIPO_POR_MODELO[objeto._meta.label_lower]
    url = reverse("mantenimientos:mantenimiento_add")
    return {"url": f"{url}?tipo_objeto={tipo}&objeto_id={objeto.pk}"}


def registrar_todos() -> None:
    for etiqueta in selectors.TIPO_POR_MODELO:
        registrar(f"detalle:{etiqueta}", "mantenimientos/_panel.html", _de_objeto)
        registrar(f"impacto:{etiqueta}", "mantenimientos/_impacto.html", _impacto)
    registrar("detalle:conexiones.conexion", "mantenimientos/_panel.html", _de_conexion)
    registrar("inicio", "mantenimientos/_panel.html", _inicio)
