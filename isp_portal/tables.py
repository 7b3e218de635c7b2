"""Columns of list pages and the export of a filtered list to CSV or XLSX."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

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
    """A column of a list page.

    `accessor` is a dotted attribute path (a `get_FOO_display` method works too);
    `order_by` is the queryset field that sorts it (None: not sortable);
    `template` renders the cell with `obj` and `value` in its context.
    """

    accessor: str
    label: str
    order_by: str | None = None
    template: str | None = None
    link: bool = False
    css: str = ""

    def value(self, obj):
        return resolve(obj, self.accessor)


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
    if isinstance(value, Model):
        return str(value)
    return value


def export_rows(queryset: QuerySet, columns: dict[str, str]) -> Iterator[list]:
    """Header row, then one row per object; streamed in chunks so memory stays bounded."""
    yield list(columns)
    for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield [export_value(resolve(obj, accessor)) for accessor in columns.values()]


class _Echo:
    def write(self, value):
        return value


def export_response(rows: Iterable[list], *, formato: str, nombre: str) -> HttpResponse:
    """A download of `rows` as CSV (streamed, UTF-8 with BOM for Excel) or XLSX."""
    archivo = f"{slugify(nombre)}-{timezone.localdate():%Y%m%d}"
    if formato == "xlsx":
        from openpyxl import Workbook

        libro = Workbook(write_only=True)
        hoja = libro.create_sheet(title=nombre[:31] or "datos")
        for fila in rows:
            hoja.append(fila)
        contenido = io.BytesIO()
        libro.save(contenido)
        response = HttpResponse(
            contenido.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{archivo}.xlsx"'
        return response

    escritor = csv.writer(_Echo())

    def lineas():
        yield "\ufeff"
        for fila in rows:
            yield escritor.writerow(fila)

    response = StreamingHttpResponse(lineas(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{archivo}.csv"'
    return response
