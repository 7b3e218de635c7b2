"""Where one app's page shows what another app knows, without importing it.

Dependencies run one way (clientes, proveedores ← conexiones), yet a provider service's page
(proveedores) shows its capacity and its connections (conexiones). As NetBox's
`register_model_view` and template extensions, the app that knows registers, in its
AppConfig.ready(), what the page of the other app's model shows:

- `registrar_consulta(modelo, f)`: `f(queryset)` adds annotations to every page and API list
  of the model (a service's `capacidad_vendida`);
- `registrar_panel(modelo, Panel)`: a section of the model's detail page, a template and its
  context;
- `registrar_columnas(modelo, ...)` / `registrar_acciones(modelo, ...)`: list columns and row
  actions;
- `registrar_vista(modelo, nombre, ruta, vista)`: a page under the model's URLs
  (`proveedores:servicioproveedor_impacto`).

The page's app reads them with `consulta`, `paneles`, `columnas`, `acciones` and `urls`.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


def _clave(modelo) -> str:
    return modelo._meta.label_lower


_consultas: dict[str, list[Callable]] = defaultdict(list)
_paneles: dict[str, list["Panel"]] = defaultdict(list)
_columnas: dict[str, list] = defaultdict(list)
_acciones: dict[str, list] = defaultdict(list)
_vistas: dict[str, list[tuple[str, str, object]]] = defaultdict(list)


@dataclass(frozen=True)
class Panel:
    """A section of a detail page: `template` rendered with the page's context plus
    `contexto(request, obj)` (None: nothing to show); `orden` sorts the panels of a page;
    `permiso` hides it from who lacks it."""

    template: str
    contexto: Callable | None = None
    orden: int = 0
    permiso: str | None = None

    def html(self, request, obj, context: dict) -> str:
        extra = self.contexto(request, obj) if self.contexto else {}
        if extra is None:
            return ""
        return render_to_string(self.template, {**context, **extra}, request=request)


def registrar_consulta(modelo, funcion: Callable) -> None:
    _consultas[_clave(modelo)].append(funcion)


def consulta(modelo, queryset=None):
    """`queryset` (default: every row of `modelo`) with what the apps registered for it."""
    if queryset is None:
        queryset = modelo.objects.all()
    for funcion in _consultas[_clave(modelo)]:
        queryset = funcion(queryset)
    return queryset


def registrar_panel(modelo, panel: Panel) -> None:
    _paneles[_clave(modelo)].append(panel)
    _paneles[_clave(modelo)].sort(key=lambda p: p.orden)


def paneles(request, obj, context: dict) -> list[str]:
    """The HTML of the panels registered for `obj`'s model that this user may see."""
    return [
        html
        for panel in _paneles[_clave(type(obj))]
        if panel.permiso is None or request.user.has_perm(panel.permiso)
        if (html := panel.html(request, obj, context))
    ]


def registrar_columnas(modelo, *columnas, antes: str | None = None) -> None:
    """List columns of `modelo`, placed before the column of accessor `antes` (else last)."""
    _columnas[_clave(modelo)].extend((antes, columna) for columna in columnas)


def columnas(modelo, propias: list) -> list:
    """`propias` with the registered columns in their places."""
    resultado = list(propias)
    for antes, columna in _columnas[_clave(modelo)]:
        indices = [i for i, c in enumerate(resultado) if c.accessor == antes]
        resultado.insert(indices[0] if indices else len(resultado), columna.bound(modelo))
    return resultado


def registrar_acciones(modelo, *acciones) -> None:
    _acciones[_clave(modelo)].extend(acciones)


def acciones(modelo, propias: list) -> list:
    """`propias` with the registered row actions after those that only show (Ver, Sedes)
    and before those that need a permission (Editar, Eliminar)."""
    vistas = [a for a in propias if a.permiso is None]
    cambios = [a for a in propias if a.permiso is not None]
    return [*vistas, *_acciones[_clave(modelo)], *cambios]


_botones: dict[str, list] = defaultdict(list)


def registrar_botones(modelo, *acciones) -> None:
    """Buttons at the top of `modelo`'s detail page (tables.Action of the object)."""
    _botones[_clave(modelo)].extend(acciones)


def botones(modelo) -> list:
    return list(_botones[_clave(modelo)])


def registrar_vista(modelo, nombre: str, ruta: str, vista) -> None:
    """A page of `modelo` named `<model>_<nombre>` at `<prefijo><ruta>` of its URLs."""
    _vistas[_clave(modelo)].append((nombre, ruta, vista))


def urls(modelo, prefijo: str = "") -> list:
    from django.urls import path

    nombre_modelo = modelo._meta.model_name
    return [
        path(
            f"{prefijo}{ruta}",
            vista.as_view() if isinstance(vista, type) else vista,
            name=f"{nombre_modelo}_{nombre}",
        )
        for nombre, ruta, vista in _vistas[_clave(modelo)]
    ]
