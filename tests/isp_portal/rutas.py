"""Every URL pattern of the project, classified and resolvable with real objects.

Used by the permission, security and fuzz tests, so a new page is checked as soon as its
pattern lands. A pattern whose name is not classified here fails those tests on purpose:
decide whether it reads or writes, and add its action to LECTURA or ESCRITURA below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

# Names without a model prefix.
PUBLICAS = {"login", "salud", "favicon"}  # no login needed
SESION = {"logout"}  # POST only, any logged-in user
# Addresses people type, redirected (after login) to the page's own.
ATAJOS = {"clientes_atajo"}
# Pages for every logged-in user; "tokens_api" writes only the user's own API tokens.
LECTURA_SUELTAS = {
    "home",
    "ubigeo_provincias",
    "ubigeo_distritos",
    "tokens_api",
}

# `<model>_<action>` names: the action decides what a role may do.
LECTURA = {
    "list",
    "detail",
    "impacto",
    "historial",
    "capacidad",
    "conexiones",
    "opciones",
    "servicios",
    "buscar",
    "row",
    "progreso",
    "calendario",
    # The saturation page's tabs (conexiones.utilizacion_views).
    "saturadas",
    "sin_lecturas",
}
# Form helpers (htmx) and the Ajustar BW preview: only for who may write.
ESCRITURA = {
    "ajuste_previo",
    "clientes_buscar",
    "cid_sugerido",
    "equipos_buscar",
    "servicios_proveedor",
}
ESCRITURA_PREFIJOS = (
    "add",
    "edit",
    "ajustar",
    "importar",
    "delete",
    "desactivar",
    "activar",
    "asignar",
    "quitar",
    "baja",
    "cancelar",
    "reintentar",
    "resolver",
    "notificar",
)

# `<x>_id` URL arguments and the model whose id fills them.
MODELOS_POR_ARGUMENTO = {
    "cliente": "clientes.ClienteCorp",
    "sede": "clientes.Sede",
    "proveedor": "proveedores.Proveedor",
    "servicio": "proveedores.ServicioProveedor",
    "nodo": "conexiones.Nodo",
    "conexion": "conexiones.Conexion",
    "enlace": "conexiones.Conexion",
    "equipo": "conexiones.Equipo",
    "ajuste": "conexiones.AjusteBW",
    "mantenimiento": "mantenimientos.Mantenimiento",
}

APPS_DEL_SITIO_EXCLUIDAS = {"admin"}
# The JSON API (/v1/) answers 401/403 instead of the login page: its own permission matrix
# walks it (rutas_api(), tests/api/test_permisos.py).
API = "api"


@dataclass(frozen=True)
class Ruta:
    nombre: str  # "conexiones:conexion_detail"
    patron: str  # "conexiones/<id:pk>/"
    argumentos: tuple[str, ...]
    view_class: type | None

    @property
    def nombre_corto(self) -> str:
        return self.nombre.rsplit(":", 1)[-1]

    @property
    def app(self) -> str | None:
        return self.nombre.split(":", 1)[0] if ":" in self.nombre else None

    @property
    def accion(self) -> str | None:
        corto = self.nombre_corto
        return corto.split("_", 1)[1] if "_" in corto else None

    @property
    def clase(self) -> str | None:
        """ "publica", "sesion", "atajo", "lectura", "escritura", or None when unclassified."""
        corto = self.nombre_corto
        if corto in PUBLICAS:
            return "publica"
        if corto in ATAJOS:
            return "atajo"
        if corto in SESION:
            return "sesion"
        if corto in LECTURA_SUELTAS:
            return "lectura"
        accion = self.accion
        if accion is None:
            return None
        if accion in LECTURA:
            return "lectura"
        if accion in ESCRITURA:
            return "escritura"
        if accion.startswith(ESCRITURA_PREFIJOS):
            return "escritura"
        return None

    def modelo(self):
        """The model named by the URL (`<app>:<model>_<action>`) or by its view."""
        if self.app and "_" in self.nombre_corto:
            try:
                return apps.get_model(self.app, self.nombre_corto.split("_", 1)[0])
            except LookupError:
                pass
        vista = self.view_class
        modelo = getattr(vista, "model", None)
        if modelo is None and getattr(vista, "queryset", None) is not None:
            modelo = vista.queryset.model
        return modelo

    def url(self, objetos: dict) -> str:
        """Reverse the pattern filling each argument with the id of a real object."""
        kwargs = {}
        for argumento in self.argumentos:
            if argumento in ("pk", "id"):
                modelo = self.modelo()
                assert modelo is not None, f"{self.nombre}: no sé qué modelo llena <{argumento}>"
            else:
                etiqueta = MODELOS_POR_ARGUMENTO.get(
                    argumento.removesuffix("_id").removesuffix("_pk")
                )
                assert etiqueta, (
                    f"{self.nombre}: argumento <{argumento}> sin modelo; "
                    "agréguelo a MODELOS_POR_ARGUMENTO en tests/isp_portal/rutas.py"
                )
                modelo = apps.get_model(etiqueta)
            obj = objetos.get(modelo._meta.label) or modelo._default_manager.order_by("pk").first()
            assert obj is not None, f"{self.nombre}: no hay ningún {modelo._meta.label}"
            kwargs[argumento] = obj.pk
        return reverse(self.nombre, kwargs=kwargs)


def _recorrer(patrones, prefijo="", espacio=None, argumentos=()):
    for patron in patrones:
        texto = str(patron.pattern)
        convertidores = tuple(getattr(patron.pattern, "converters", {}) or {})
        if isinstance(patron, URLResolver):
            ns = patron.namespace
            if ns in APPS_DEL_SITIO_EXCLUIDAS:
                continue
            nuevo_espacio = ":".join(filter(None, [espacio, ns])) if ns else espacio
            yield from _recorrer(
                patron.url_patterns, prefijo + texto, nuevo_espacio, argumentos + convertidores
            )
        elif isinstance(patron, URLPattern):
            if not patron.name:
                continue
            nombre = f"{espacio}:{patron.name}" if espacio else patron.name
            yield Ruta(
                nombre=nombre,
                patron=prefijo + texto,
                argumentos=argumentos + convertidores,
                view_class=getattr(patron.callback, "view_class", None),
            )


def todas_las_rutas() -> list[Ruta]:
    """Every named URL pattern of the project outside /admin/ and the API (tested apart)."""
    return [r for r in _recorrer(get_resolver().url_patterns) if r.app != API]


def rutas_api() -> list[Ruta]:
    """Every named URL pattern of the API (/v1/)."""
    return [r for r in _recorrer(get_resolver().url_patterns) if r.app == API]


def sin_nombre() -> list[str]:
    """Patterns outside /admin/ without a name: they cannot be classified."""
    faltan = []

    def visitar(patrones, prefijo=""):
        for patron in patrones:
            if isinstance(patron, URLResolver):
                if patron.namespace not in APPS_DEL_SITIO_EXCLUIDAS:
                    visitar(patron.url_patterns, prefijo + str(patron.pattern))
            elif not patron.name:
                faltan.append(prefijo + str(patron.pattern))

    visitar(get_resolver().url_patterns)
    return faltan


def ruta_ajustar_bw() -> Ruta | None:
    for ruta in todas_las_rutas():
        if ruta.app == "conexiones" and (ruta.accion or "").startswith("ajustar"):
            return ruta
    return None


def crear_datos(payload: str = "") -> dict:
    """One of every object, linked, so every URL resolves; `payload` goes in every text field.

    Returns {model label: object}. The connection gets an AjusteBW and an AjusteProgramado
    through the services; its nodo A a maintenance window.
    """
    from clientes.factories import ClienteCorpFactory, SedeFactory
    from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
    from conexiones.services import ajuste_programado_crear, conexion_ajustar_bw
    from mantenimientos.services import mantenimiento_crear
    from proveedores.factories import ProveedorFactory, ServicioProveedorFactory

    texto = payload or ""
    cliente = ClienteCorpFactory(
        razon_social=f"Andina {texto}".strip(), responsable=f"Ana {texto}".strip()
    )
    sede = SedeFactory(cliente=cliente, oficina=f"Central {texto}".strip(), locacion=texto)
    proveedor = ProveedorFactory(nombre=f"Carrier {texto}".strip(), contacto=texto)
    servicio = ServicioProveedorFactory(
        proveedor=proveedor, codigo=f"CIR-{texto}"[:80], tipo=texto[:80], locacion=texto
    )
    nodo_a = NodoFactory(nombre=f"POP-A {texto}".strip())
    nodo_b = NodoFactory(nombre=f"POP-B {texto}".strip())
    conexion = ConexionFactory(
        cliente=cliente,
        servicio=servicio,
        nodo_a=nodo_a,
        nodo_b=nodo_b,
        configuracion_nodo_a=texto or "interface Gi0/0/1",
        configuracion_nodo_b=texto,
        locacion=texto,
        direccion=f"Av. Larco 1150 {texto}".strip(),
    )
    equipo = EquipoFactory(conexion=conexion, marca=f"MikroTik {texto}".strip()[:80])
    ajuste = conexion_ajustar_bw(
        conexion=conexion, modo="AUMENTAR", mbps=10, motivo=texto, usuario=None
    )
    programado = ajuste_programado_crear(
        conexion=conexion,
        modo="AUMENTAR",
        mbps=5,
        motivo=texto,
        inicio=timezone.now() + timedelta(days=1),
    )
    mantenimiento = mantenimiento_crear(
        tipo_objeto="nodo",
        objeto_id=nodo_a.pk,
        inicio=timezone.now() + timedelta(days=2),
        fin=timezone.now() + timedelta(days=2, hours=4),
        tipo="planificado",
        descripcion=texto or "Cambio de tarjeta",
        usuario=None,
    )
    return {
        o._meta.label: o
        for o in (
            cliente,
            sede,
            proveedor,
            servicio,
            nodo_a,
            conexion,
            equipo,
            ajuste,
            programado,
            mantenimiento,
        )
    }


def get(client, url, **kwargs):
    """client.get that names the URL when the view raises."""
    try:
        return client.get(url, **kwargs)
    except Exception as exc:
        raise AssertionError(f"GET {url} lanzó {exc!r}") from exc


def post(client, url, data=None, **kwargs):
    """client.post that names the URL when the view raises."""
    try:
        return client.post(url, data or {}, **kwargs)
    except Exception as exc:
        raise AssertionError(f"POST {url} lanzó {exc!r}") from exc


# Every method a client can send, an invented one included: the method walk sends each to
# every route (tests/fuzz/test_metodos.py).
METODOS_HTTP = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")
# The function views and the methods they serve (class-based views say it by their handlers).
METODOS_DE_FUNCIONES = {
    "ubigeo_provincias": {"GET", "HEAD"},
    "ubigeo_distritos": {"GET", "HEAD"},
    "salud": {"GET", "HEAD"},
    "favicon": {"GET", "HEAD"},
    "mantenimiento_calendario": {"GET", "HEAD"},
}


def metodos_de_pagina(ruta: Ruta) -> set[str]:
    """What a page serves: GET (with HEAD and OPTIONS) and POST where its view has them.
    Nothing else: no page takes PUT, PATCH or DELETE (UpdateView's PUT, DeleteView's DELETE)."""
    if ruta.view_class is None:
        return METODOS_DE_FUNCIONES[ruta.nombre_corto]
    metodos = {"OPTIONS"}
    if hasattr(ruta.view_class, "get"):
        metodos |= {"GET", "HEAD"}
    if hasattr(ruta.view_class, "post"):
        metodos.add("POST")
    return metodos


def pedir(client, metodo: str, url: str, **kwargs):
    """Any method through the test client, naming the URL when the view raises."""
    try:
        return client.generic(metodo, url, **kwargs)
    except Exception as exc:
        raise AssertionError(f"{metodo} {url} lanzó {exc!r}") from exc
