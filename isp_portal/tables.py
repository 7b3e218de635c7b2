"""Columns of list pages and the export of a filtered list to CSV or XLSX."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst, slugify

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
    # The date as every page writes it (dd-mm-aaaa: a file name cannot hold "/").
    archivo = f"{slugify(nombre)}-{fecha_texto(timezone.localdate()).replace('/', '-')}"
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
