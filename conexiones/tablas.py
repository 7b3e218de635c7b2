"""The cells, row actions and related tables of the connections' pages, declared in Python
(isp_portal.tables): one function per kind of cell, no template per cell."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from isp_portal import celdas
from isp_portal.formatos import fecha_texto
from isp_portal.tables import Action, Column, Tabla

from .choices import EstadoAjusteProgramado, EstadoConexion, ModoAjuste
from .models import AjusteProgramado, Conexion
from .services import PERMISO_AJUSTAR_BW
from .utilizacion_selectors import antiguedad

# --- Cells ----------------------------------------------------------------------------------


def cliente_y_locacion(obj, valor):
    enlace = format_html('<a href="{}">{}</a>', obj.cliente.get_absolute_url(), valor)
    return celdas.con_detalle(enlace, obj.locacion or obj.ubicacion_texto or "—")


def cliente_ruc(obj, valor):
    return format_html('<a href="{}">{}</a>', obj.cliente.get_absolute_url(), valor)


def nodo(obj, valor):
    if not valor:
        return "—"
    return format_html(
        '<a href="{}">{}</a> <span class="text-muted">({})</span>',
        valor.get_absolute_url(),
        valor.nombre,
        valor.get_tipo_display(),
    )


def cliente_contacto(obj, valor):
    """The client of an impact row and how to reach its responsible."""
    c = obj.cliente
    partes = []
    if c.responsable:
        partes.append(format_html('<span><i class="bi bi-person"></i> {}</span>', c.responsable))
    if c.telefono:
        partes.append(
            format_html(
                '<span class="text-nowrap"><i class="bi bi-telephone"></i> '
                '<a href="tel:{}">{}</a></span>',
                c.telefono.replace(" ", ""),
                c.telefono,
            )
        )
    if c.correo:
        partes.append(
            format_html(
                '<span class="texto-largo"><i class="bi bi-envelope"></i> '
                '<a href="mailto:{}">{}</a></span>',
                c.correo,
                c.correo,
            )
        )
    nombre = format_html('<span class="texto-largo">{}</span>', c.razon_social)
    if not partes:
        return nombre
    contacto = format_html_join("\n", "{}", ((p,) for p in partes))
    return format_html('{}<div class="small text-muted contacto">{}</div>', nombre, contacto)


def ubicacion(obj, valor):
    lugar = f"{obj.distrito or '—'}, {obj.provincia or '—'}, {obj.departamento or '—'}"
    if obj.locacion:
        lugar = f"{obj.locacion} · {lugar}"
    return celdas.con_detalle(obj.direccion or "—", lugar)


def extremo(obj, valor):
    return format_html('<span class="badge text-bg-light border">Nodo {}</span>', obj.extremo)


def equipo_conexion(obj, valor):
    if not obj.conexion:
        return mark_safe('<span class="text-muted">No asignado</span>')
    return format_html(
        '<a href="{}">{}</a>', obj.conexion.get_absolute_url(), obj.conexion.cid_enlace
    )


def programado_conexion(obj, valor):
    enlace = format_html('<a href="{}">{}</a>', obj.conexion.get_absolute_url(), valor)
    return format_html(
        '{}<div class="small text-muted text-truncate celda-cliente">{}</div>',
        enlace,
        obj.conexion.cliente.razon_social,
    )


def programado_cambio(obj, valor):
    aumenta = obj.modo == ModoAjuste.AUMENTAR
    return format_html(
        '<span class="text-nowrap {}">{}{} Mbps</span><div class="small text-muted">{}</div>',
        "text-success" if aumenta else "text-danger",
        "↑ +" if aumenta else "↓ −",
        obj.mbps,
        "temporal" if obj.fin else "permanente",
    )


def programado_estado(obj, valor):
    pill = celdas.pill(obj.estado, valor)
    if not obj.nota:
        return pill
    color = "text-danger" if obj.estado == EstadoAjusteProgramado.FALLIDO else "text-muted"
    nota = format_html_join(
        format_html("<br>"), "{}", ((linea,) for linea in obj.nota.splitlines())
    )
    return format_html('{}<div class="small {} nota-programado">{}</div>', pill, color, nota)


# A node's detail: how many connections use it (NodoDetailView sets `uso`).
USO_DE_NODO = (
    Column("uso.como_a", "Como nodo A", render=celdas.miles),
    Column("uso.como_b", "Como nodo B", render=celdas.miles),
    Column("uso.activas", "Activas", render=celdas.miles),
)

# --- Row actions ----------------------------------------------------------------------------


def _ajuste(modo: str, simbolo: str, estilo: str, texto: str) -> Action:
    def attrs(obj, url):
        return {"hx-get": url, "hx-target": "#modal-container", "data-ajuste": modo}

    return Action(
        simbolo,
        "conexiones:conexion_ajustar_bw",
        query=f"modo={modo}",
        estilo=estilo,
        title=f"{texto} BW",
        aria=f"{texto} BW de {{obj.cid_enlace}}",
        permiso=PERMISO_AJUSTAR_BW,
        si=lambda obj: obj.estado != EstadoConexion.BAJA,
        attrs=attrs,
    )


VER_CONEXION = Action(
    "Ver",
    lambda obj: obj.get_absolute_url(),
    icon="eye",
    title="Ver",
    aria="Ver {obj.cid_enlace}",
    solo_icono=True,
)
ACCIONES_CONEXION = [
    VER_CONEXION,
    Action("Editar", "conexiones:conexion_edit", estilo="outline-primary", permiso="change"),
    _ajuste(ModoAjuste.AUMENTAR, "↑", "outline-success", "Aumentar"),
    _ajuste(ModoAjuste.DISMINUIR, "↓", "outline-warning", "Disminuir"),
]


def _cancelar(etiqueta: str, aplicado: bool) -> Action:
    return Action(
        etiqueta,
        "conexiones:ajusteprogramado_cancelar",
        estilo="outline-danger",
        permiso=PERMISO_AJUSTAR_BW,
        next=True,
        si=lambda obj: (
            obj.cancelable and (obj.estado == EstadoAjusteProgramado.APLICADO) == aplicado
        ),
        attrs=lambda obj, url: {"data-cancelar-programado": obj.pk},
    )


def _reversion(accion: str, estilo: str) -> Action:
    """«Reintentar» / «Resolver» a failed revert of a temporary change."""
    return Action(
        accion.capitalize(),
        f"conexiones:ajusteprogramado_{accion}",
        estilo=estilo,
        permiso=PERMISO_AJUSTAR_BW,
        next=True,
        si=lambda obj: obj.reversion_fallida,
        attrs=lambda obj, url: {f"data-{accion}-programado": obj.pk},
    )


CANCELAR_PROGRAMADO = [
    _reversion("reintentar", "outline-primary"),
    _reversion("resolver", "outline-secondary"),
    _cancelar("Cancelar", False),
    _cancelar("Cancelar y revertir", True),
]
ACCIONES_PROGRAMADO = [
    Action(
        "Ver la conexión",
        lambda obj: obj.conexion.get_absolute_url(),
        icon="eye",
        title="Ver la conexión",
        aria="Ver la conexión {obj.conexion.cid_enlace}",
        solo_icono=True,
    ),
    *CANCELAR_PROGRAMADO,
]

# --- Columns and related tables -------------------------------------------------------------

COLUMNAS_PROGRAMADO = [
    Column("mbps", "Cambio", css="num", render=programado_cambio),
    Column("inicio", "Inicio", order_by="inicio", render=celdas.momento),
    Column("fin", "Fin", order_by="fin", render=celdas.momento),
    Column("estado", "Estado", order_by="estado", render=programado_estado),
    Column("motivo", "Motivo"),
    Column("usuario", "Programado por"),
]

# A scheduled change on its cancel and revert pages.
CAMPOS_PROGRAMADO = [
    Column("conexion.cid_enlace", "Conexión", render=programado_conexion),
    *COLUMNAS_PROGRAMADO[:4],
    Column("motivo", "Motivo"),
]

# The scheduled changes of a connection (its detail page).
PROGRAMADOS_DE_CONEXION = Tabla(
    AjusteProgramado,
    COLUMNAS_PROGRAMADO,
    CANCELAR_PROGRAMADO,
    vacia="Sin ajustes programados. Programe uno desde Ajustar BW («Programar o hacer temporal»).",
    id_fila="programado",
)


def impacto(url: str, que: str) -> Action:
    """The «Impacto» button of a node or a provider service (`url`: its impact page)."""
    return Action(
        "Impacto",
        url,
        icon="exclamation-triangle",
        title=f"Conexiones afectadas si {que} cae",
    )


def bw_utilizado(obj, valor):
    """The figure from monitoring with its age («hace 4 min»), grey when stale or never
    measured (`obj` a connection, or a row with `.conexion`)."""
    conexion = getattr(obj, "conexion", None) or obj
    valor = conexion.bw_utilizado
    edad = antiguedad(conexion.bw_utilizado_momento)
    gris = not edad or edad["vencida"]
    cifra = format_html(
        '<span class="{}" data-bw-utilizado{}>{}</span>',
        "text-body-secondary" if gris else "",
        mark_safe(" data-vencida") if edad and edad["vencida"] else "",
        celdas.mbps(conexion, valor),
    )
    if not edad:
        return format_html(
            '{}<small class="d-block text-body-secondary">sin lecturas</small>', cifra
        )
    return format_html(
        '{}<small class="d-block {}" title="Lectura del {}">{}{}</small>',
        cifra,
        "text-body-secondary" if gris else "text-body",
        fecha_texto(conexion.bw_utilizado_momento),
        edad["texto"],
        mark_safe(' <span class="visually-hidden">(lectura antigua)</span>') if gris else "",
    )


def ver_utilizacion(obj) -> str:
    """The connection page's chart (a saturation row: its connection's; a service: its page)."""
    if isinstance(obj, Conexion):
        return f"{obj.get_absolute_url()}#utilizacion"
    conexion_id = getattr(obj, "conexion_id", None)
    if conexion_id:
        return f"{reverse('conexiones:conexion_detail', args=[conexion_id])}#utilizacion"
    return obj.get_absolute_url()


VER_UTILIZACION = Action("Ver", ver_utilizacion, icon="graph-up", title="Ver su tráfico")
