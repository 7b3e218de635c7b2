"""Dependencies run one way: clientes, proveedores ← conexiones ← mantenimientos ← isp_portal
(home, demo, urls).

Read from the source with `ast`, so an import inside a function or a migration counts too.
"""

import ast
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
APPS = {"clientes", "proveedores", "conexiones", "mantenimientos"}
# What each app may import of the others.
PERMITIDAS = {
    "clientes": set(),
    "proveedores": set(),
    "conexiones": {"clientes", "proveedores"},
    "mantenimientos": {"clientes", "proveedores", "conexiones"},
}
# isp_portal's shared base: generic pages, columns, forms, filters, history, models,
# validators, ubigeo, formats, admin pieces, demo values and the import engine (the apps
# register their entities with it) import no app.
BASE = [
    "importacion",
    "generic.py",
    "tables.py",
    "listas.py",
    "celdas.py",
    "registro.py",
    "forms.py",
    "filters.py",
    "historial.py",
    "models.py",
    "validators.py",
    "ubigeo.py",
    "formatos",
    "admin.py",
    "datos_demo.py",
    "templatetags",
    # The registry of panels one app adds to another's pages (the app above registers).
    "paneles.py",
]


def modulos_importados(ruta: Path) -> set[str]:
    """Top-level packages a Python file imports (absolute imports only; relative ones stay
    inside their package)."""
    arbol = ast.parse(ruta.read_text(encoding="utf-8"), filename=str(ruta))
    nombres = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres |= {alias.name.split(".")[0] for alias in nodo.names}
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
            nombres.add(nodo.module.split(".")[0])
    return nombres


def archivos(ruta: Path) -> list[Path]:
    return sorted(ruta.rglob("*.py")) if ruta.is_dir() else [ruta]


def apps_importadas(rutas: list[Path]) -> dict[str, set[str]]:
    """{file: apps it imports}, only the files that import one."""
    encontradas = {}
    for ruta in rutas:
        apps = modulos_importados(ruta) & APPS
        if apps:
            encontradas[str(ruta.relative_to(RAIZ))] = apps
    return encontradas


@pytest.mark.parametrize("app", sorted(APPS))
def test_cada_app_importa_solo_las_que_tiene_debajo(app):
    prohibidas = APPS - PERMITIDAS[app] - {app}
    malas = {
        archivo: apps & prohibidas
        for archivo, apps in apps_importadas(archivos(RAIZ / app)).items()
        if apps & prohibidas
    }
    assert malas == {}


def test_la_base_comun_de_isp_portal_no_importa_ninguna_app():
    rutas = [r for nombre in BASE for r in archivos(RAIZ / "isp_portal" / nombre)]
    assert len(rutas) >= len(BASE)
    assert apps_importadas(rutas) == {}


def test_el_analisis_ve_los_imports_de_toda_forma(tmp_path):
    """The check itself: plain, from-, dotted and nested imports all count."""
    fuente = tmp_path / "m.py"
    fuente.write_text(
        "import conexiones.selectors\n"
        "from clientes import models\n"
        "from . import vecino\n"
        "def f():\n"
        "    from proveedores.models import Proveedor\n"
    )
    assert modulos_importados(fuente) == {"conexiones", "clientes", "proveedores"}


@pytest.mark.parametrize("carpeta", ["clientes", "proveedores", "conexiones", "generic"])
def test_las_plantillas_de_abajo_no_nombran_mantenimientos(carpeta):
    """Pages of the apps below show maintenance windows through registered panels
    (isp_portal.paneles), never by naming the app's URLs or template tags."""
    nombran = [
        str(ruta.relative_to(RAIZ))
        for ruta in sorted((RAIZ / "templates" / carpeta).rglob("*.html"))
        if "mantenimiento" in ruta.read_text(encoding="utf-8")
    ]
    assert nombran == []
