"""Columns of list pages and the export of a filtered list to CSV or XLSX."""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
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


@dataclass(frozen=True)
class Column:
    """A column of a list page, or a field of a detail page's section.

    `accessor` is a dotted attribute path ("cliente.razon_social"); the value shown is the
    choice label of a choice field. `label` and `order_by` (the queryset field that sorts
    it; None: not sortable) default to the model field the accessor names, once the column
    is bound to its model (`bound`). `template` renders the cell with `obj` and `value` in
    its context; `link` links the value to `obj`'s page.
    """

    accessor: str
    label: str = ""
    order_by: str | None = ""
    template: str | None = None
    link: bool = False
    css: str = ""

    def value(self, obj):
        """The value a person reads: the choice label of a choice field."""
        *camino, nombre = self.accessor.split(".")
        padre = resolve(obj, ".".join(camino)) if camino else obj
        display = getattr(padre, f"get_{nombre}_display", None)
        return display() if display else resolve(obj, self.accessor)

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
