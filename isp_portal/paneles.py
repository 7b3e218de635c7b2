"""Panels one app adds to another app's pages, without the page's app importing it.

Dependencies run one way (clientes, proveedores ← conexiones ← mantenimientos), yet a node's
page shows its maintenance windows: the app above registers a panel for a place
(`registrar("conexiones.nodo", …)`, `"inicio"`, `"impacto"`) in its AppConfig.ready(), and
the page's template asks for the panels of its place with `{% paneles lugar objeto %}`
(isp_portal/templatetags/paneles.py). The page's app never names the panel's.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    plantilla: str
    # (request, objeto) → the template's context, or None to show nothing.
    contexto: Callable


_PANELES: dict[str, list[Panel]] = {}


def registrar(lugar: str, plantilla: str, contexto: Callable) -> None:
    paneles = _PANELES.setdefault(lugar, [])
    if not any(p.plantilla == plantilla for p in paneles):
        paneles.append(Panel(plantilla, contexto))


def paneles_de(lugar: str) -> list[Panel]:
    return list(_PANELES.get(lugar, ()))
