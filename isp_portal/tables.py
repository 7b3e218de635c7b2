"""Columns and row actions of list pages, rendered in Python (no template per cell), and
the export of a filtered list to CSV or XLSX."""

import csv
import html
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst, slugify
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from .formatos import fecha_texto

EXPORT_CHUNK = 2000


def resolve(obj, accessor: str):
    """Follow a dotted accessor ("cliente.razon_social"); None if a link is missing."""
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value() if callable(value) else value


def texto(valor) -> str:
    """A value as a person reads it: "—" for empty, Sí/No, dates as dd/mm/aaaa."""
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    return fecha_texto(valor)


@dataclass(frozen=True)
class Column:
    """A column of a list page, or a field of a detail page's section.

    `accessor` is a dotted attribute path ("cliente.razon_social"); the value shown is the
    choice label of a choice field. `label` and `order_by` (the queryset field that sorts
    it; None: not sortable) default to the model field the accessor names, once the column
    is bound to its model (`bound`). `render(obj, value)` returns the cell's HTML (see
    isp_portal.celdas); `link` links the value to `obj`'s page. `movil=False` hides the
    column on a phone, where a row is a card (static/css/app.css).
    """

    accessor: str
    label: str = ""
    order_by: str | None = ""
    render: Callable | None = None
    link: bool = False
    css: str = ""
    movil: bool = True

    def value(self, obj):
        """The value a person reads: the choice label of a choice field."""
        *camino, nombre = self.accessor.split(".")
        padre = resolve(obj, ".".join(camino)) if camino else obj
        display = getattr(padre, f"get_{nombre}_display", None)
        return display() if display else resolve(obj, self.accessor)

    def html(self, obj) -> SafeString:
        """The cell's content, escaped."""
        valor = self.value(obj)
        if self.render is not None:
            return mark_safe(_e(self.render(obj, valor)))  # noqa: S308
        if self.link:
            enlace = f'<a href="{_e(obj.get_absolute_url())}">{_e(texto(valor))}</a>'
            return mark_safe(enlace)  # noqa: S308
        return mark_safe(_e(texto(valor)))  # noqa: S308

    @property
    def clases(self) -> str:
        return self.css if self.movil else f"{self.css} no-movil".strip()

    def bound(self, model) -> "Column":
        """This column with the label and sort key it left out taken from the model field."""
        campo, ruta = model_field(model, self.accessor)
        label = self.label or capfirst(
            str(campo.verbose_name) if campo else self.accessor.replace("_", " ")
        )
        order_by = self.order_by
        if order_by == "":
            ordenable = campo is not None and campo.concrete and not campo.is_relation
            order_by = ruta if ordenable else None
        return replace(self, label=label, order_by=order_by)


@dataclass(frozen=True)
class Action:
    """A button of a list row, declared once per list.

    `url` is a URL name (reversed with the row's pk) or a function of the row; `label`,
    `title` and `aria` are format strings of the row (`"Ver {obj.cid_enlace}"`). `permiso`
    ("change", or "app.codename") and `si(obj)` decide whether the row shows it; `attrs(obj,
    url)` adds attributes (htmx). `next` appends `?next=` the page's own URL.
    """

    label: str
    url: str | Callable
    icon: str = ""
    estilo: str = "outline-secondary"
    title: str = ""
    aria: str = ""
    permiso: str | None = None
    si: Callable | None = None
    attrs: Callable | None = None
    query: str = ""
    next: bool = False
    solo_icono: bool = False
    extra: dict = field(default_factory=dict)

    def permitida(self, user, opts) -> bool:
        if self.permiso is None:
            return True
        permiso = self.permiso
        if "." not in permiso:
            permiso = f"{opts.app_label}.{permiso}_{opts.model_name}"
        return user.has_perm(permiso)

    def html(self, obj, request=None) -> str:
        if self.si is not None and not self.si(obj):
            return ""
        if callable(self.url):
            url = self.url(obj)
        elif self.query and "{obj" in self.query:
            url = f"{reverse(self.url)}?{self.query.format(obj=obj)}"  # a list, filtered
        else:
            url = url_de(self.url, obj.pk)
            if self.query:
                url = f"{url}?{self.query}"
        if self.next and request is not None:
            from urllib.parse import quote

            url = f"{url}{'&' if '?' in url else '?'}next={quote(request.get_full_path())}"
        attrs = {"class": f"btn btn-{self.estilo} btn-sm", "href": url}
        if self.title:
            attrs["title"] = self.title.format(obj=obj)
        if self.aria:
            attrs["aria-label"] = self.aria.format(obj=obj)
        attrs.update(self.extra)
        if self.attrs is not None:
            attrs.update(self.attrs(obj, url))
        etiqueta = self.label.format(obj=obj)
        if self.solo_icono:
            attrs.setdefault("aria-label", etiqueta)
            etiqueta = ""
        icono = f'<i class="bi bi-{_e(self.icon)}"></i>' if self.icon else ""
        separador = " " if icono and etiqueta else ""
        return f"<a{atributos(attrs)}>{icono}{separador}{_e(etiqueta)}</a>"


_MARCA = 918_273_645


@cache
def _url_partida(nombre: str) -> tuple[str, str]:
    antes, _, despues = reverse(nombre, args=[_MARCA]).partition(str(_MARCA))
    return antes, despues


def url_de(nombre: str, pk) -> str:
    """reverse(nombre, args=[pk]) for a URL of one id, reversed once per name: a 100-row
    list reversed 300 URLs (~30 µs each)."""
    antes, despues = _url_partida(nombre)
    return f"{antes}{int(pk)}{despues}"


# Rows are written with f-strings and the standard library's escape: format_html and
# conditional_escape cost ~25 µs a call, a third of a 100-row page's time. Every value
# goes through _e (a SafeString, already HTML, as it is).
def _e(valor) -> str:
    return valor if isinstance(valor, SafeData) else html.escape(str(valor))


def atributos(attrs: dict) -> str:
    """` name="value"` of each attribute, escaped."""
    return "".join(f' {_e(nombre)}="{_e(valor)}"' for nombre, valor in attrs.items())


def acciones_html(acciones: list[Action], obj, request=None) -> SafeString:
    return mark_safe("\n".join(h for a in acciones if (h := a.html(obj, request))))  # noqa: S308


def fila_html(
    obj, columnas, acciones: list[Action] | None, request=None, attrs=None, id_fila="fila"
) -> SafeString:
    """A list row: its cells (each labelled, for the phone's card) and its actions (None: no
    actions cell)."""
    celdas = "".join(
        f'<td class="{_e(c.clases)}" data-label="{_e(c.label)}">{c.html(obj)}</td>'
        for c in columnas
    )
    botones = (
        f'<td class="text-end text-nowrap acciones">{acciones_html(acciones, obj, request)}</td>'
        if acciones is not None
        else ""
    )
    extra = atributos(attrs) if attrs else ""
    # Every part escaped above (or HTML built so).
    return mark_safe(f'<tr id="{_e(id_fila)}-{_e(obj.pk)}"{extra}>{celdas}{botones}</tr>')  # noqa: S308


@dataclass(frozen=True)
class Tabla:
    """A related table of a detail page (a client's sedes, a connection's scheduled changes)
    declared as a list's: columns (bound to `model`) and row actions; `vacia` is the text of
    an empty table. `generic/_tabla.html` shows what `filas` returns."""

    model: type
    columnas: tuple
    acciones: tuple | None = None
    vacia: str = "Sin registros."
    id_fila: str = "fila"

    def __post_init__(self):
        columnas = (Column(c) if isinstance(c, str) else c for c in self.columnas)
        object.__setattr__(self, "columnas", tuple(c.bound(self.model) for c in columnas))

    def filas(self, objetos, request) -> "TablaHtml":
        acciones = None
        if self.acciones is not None:
            opts = self.model._meta
            acciones = [a for a in self.acciones if a.permitida(request.user, opts)]
        filas = [
            fila_html(obj, self.columnas, acciones, request, id_fila=self.id_fila)
            for obj in objetos
        ]
        return TablaHtml(self, filas)


@dataclass(frozen=True)
class TablaHtml:
    tabla: Tabla
    filas: list

    @property
    def columnas(self):
        return self.tabla.columnas

    @property
    def ancho(self) -> int:
        return len(self.tabla.columnas) + (self.tabla.acciones is not None)


def model_field(model, accessor: str):
    """(field, ORM path) named by a dotted accessor, or (None, None) when it names no field
    (an annotation, a property)."""
    campo, partes = None, []
    for parte in accessor.split("."):
        try:
            campo = model._meta.get_field(parte)
        except (FieldDoesNotExist, AttributeError):
            return None, None
        partes.append(parte)
        model = campo.related_model
    return campo, "__".join(partes)


# Text a spreadsheet would evaluate as a formula: "=", "+", "-", "@", tab or CR first, possibly
# behind quotes the text already had ("'=1" is guarded too, so the import's one removed quote
# gives it back).
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
COMILLA_DE_GUARDIA = "'"
# The separators a spreadsheet may split a CSV line on (Excel with ";" in Spanish locales;
# the importer's candidates, importacion.lectores.DELIMITADORES): text after one of them
# starts a cell there, so it is guarded as the start of the text is.
_SEPARADOR = re.compile(r"([;,\t|])")


def parece_formula(texto: str) -> bool:
    """Whether a text cell is guarded: behind a "'" in CSV, a plain string in XLSX. The one
    rule of export and import (sin_comilla_de_guardia)."""
    return _FORMULA.match(texto) is not None


def _tramos(texto: str) -> list[str]:
    """The text split at each separator: [start, separator, part, separator, part, …]."""
    return _SEPARADOR.split(texto)


def con_comilla_de_guardia(texto: str) -> str:
    """A CSV text cell with a "'" before each start of it that parece_formula: the text's own
    start and the part after each separator ("x;=1+1" → "x;'=1+1")."""
    if _SEPARADOR.search(texto):
        tramos = _tramos(texto)
        for i in range(2, len(tramos), 2):
            if parece_formula(tramos[i]):
                tramos[i] = COMILLA_DE_GUARDIA + tramos[i]
        texto = "".join(tramos)
    return COMILLA_DE_GUARDIA + texto if parece_formula(texto) else texto


def _sin_comilla(tramo: str) -> str:
    if tramo.startswith(COMILLA_DE_GUARDIA) and parece_formula(tramo[1:]):
        return tramo[1:]
    return tramo


def sin_comilla_de_guardia(texto: str) -> str:
    """A CSV cell as it was stored: each of the export's guard quotes goes ("''=1" was "'=1",
    "x;'=1" was "x;=1"); a quote before anything else is the text's own ("'hola")."""
    if COMILLA_DE_GUARDIA not in texto:
        return texto
    texto = _sin_comilla(texto)
    if _SEPARADOR.search(texto):
        tramos = _tramos(texto)
        for i in range(2, len(tramos), 2):
            tramos[i] = _sin_comilla(tramos[i])
        texto = "".join(tramos)
    return texto


def export_value(value):
    """A cell as written to CSV/XLSX: plain types that re-import unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_paths(queryset: QuerySet, columns: dict[str, str]) -> list[str]:
    """The ORM path of each column's accessor ("servicio.proveedor.nombre" →
    "servicio__proveedor__nombre"), or the name of an annotation of `queryset`."""
    rutas = []
    for accessor in columns.values():
        campo, ruta = model_field(queryset.model, accessor)
        if campo is None and accessor in queryset.query.annotations:
            ruta = accessor
        elif campo is None or campo.is_relation:
            raise ImproperlyConfigured(
                f"La columna de exportación «{accessor}» no es un campo ni una anotación de "
                f"{queryset.model.__name__}: nombre un campo (cliente.ruc, no cliente)."
            )
        rutas.append(ruta)
    return rutas


def export_rows(queryset: QuerySet, columns: dict[str, str]) -> Iterator[list]:
    """Header row, then one row per object, in one query whatever the size: the columns are
    read as values (a join per related column, no model instances), streamed in chunks so
    memory stays bounded."""
    yield list(columns)
    filas = queryset.values_list(*export_paths(queryset, columns))
    for valores in filas.iterator(chunk_size=EXPORT_CHUNK):
        yield [export_value(valor) for valor in valores]


def celda_csv(valor):
    return con_comilla_de_guardia(valor) if isinstance(valor, str) else valor


def celda_xlsx(hoja, valor):
    """A text XLSX cell is a string, never a formula (openpyxl makes "=…" one) nor an error
    code ("#N/A"); numbers stay numbers. Control characters XML cannot hold are left out;
    an empty text is no cell at all (it reads back as empty, and costs nothing to write)."""
    if not isinstance(valor, str):
        return valor
    if not valor:
        return None
    if ILLEGAL_CHARACTERS_RE.search(valor):
        valor = ILLEGAL_CHARACTERS_RE.sub("", valor)
    if parece_formula(valor) or valor in ERROR_CODES:
        celda = WriteOnlyCell(hoja, valor)
        celda.data_type = "s"
        return celda
    return valor


def titulo_de_hoja(nombre: str) -> str:
    """A sheet title Excel accepts: no \\ / : [ ] ? *, no quote at either end, ≤ 31 chars."""
    titulo = re.sub(r"[\\/:\[\]?*]", "-", nombre)[:31].strip(" '")
    return titulo or "datos"


def nombre_de_archivo(nombre: str, extension: str) -> str:
    # The date as every page writes it (dd-mm-aaaa: a file name cannot hold "/").
    fecha = fecha_texto(timezone.localdate()).replace("/", "-")
    return f"{slugify(nombre) or 'datos'}-{fecha}.{extension}"


class _Echo:
    def write(self, value):
        return value


class _AlCerrar:
    """An iterator that runs `al_cerrar` once it is closed: the server closes a streamed
    response when it ends, also when the client went away or the stream failed."""

    def __init__(self, iterable, al_cerrar):
        self._iterador = iter(iterable)
        self._al_cerrar = al_cerrar

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterador)

    def close(self):
        try:
            if hasattr(self._iterador, "close"):
                self._iterador.close()
        finally:
            al_cerrar, self._al_cerrar = self._al_cerrar, None
            if al_cerrar is not None:
                al_cerrar()


def export_response(
    rows: Iterable[list], *, formato: str, nombre: str, al_terminar=None
) -> HttpResponseBase:
    """A download of `rows` as CSV (streamed, UTF-8 with BOM for Excel) or XLSX (written to
    a temporary file on disk, then served from it). `al_terminar` runs once the export is
    over: the XLSX written, or the CSV stream closed."""
    if formato == "xlsx":
        try:
            archivo = xlsx_en_archivo(rows, titulo=titulo_de_hoja(nombre))
        finally:
            if al_terminar is not None:
                al_terminar()
        return FileResponse(
            archivo,
            as_attachment=True,
            filename=nombre_de_archivo(nombre, "xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    escritor = csv.writer(_Echo())

    def lineas():
        yield "\ufeff"
        for fila in rows:
            yield escritor.writerow([celda_csv(valor) for valor in fila])

    contenido = lineas() if al_terminar is None else _AlCerrar(lineas(), al_terminar)
    response = StreamingHttpResponse(contenido, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nombre_de_archivo(nombre, "csv")}"'
    return response


def xlsx_en_archivo(rows: Iterable[list], *, titulo: str):
    """An XLSX of `rows` in a temporary file (deleted when closed), at its start. openpyxl's
    write-only mode keeps one row in memory; the file, not memory, holds the workbook."""
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(title=titulo)
    for fila in rows:
        hoja.append([celda_xlsx(hoja, valor) for valor in fila])
    # Closed (and deleted) by the FileResponse that serves it.
    archivo = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        libro.save(archivo)
    except BaseException:
        archivo.close()
        raise
    archivo.seek(0)
    return archivo
