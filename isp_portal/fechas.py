"""The dates and moments the site takes, and how it reads and shows those it holds.

Input: every date or moment typed in a form, the Ajustar BW modal, the API, an imported cell
or a list filter falls between settings.FECHA_MINIMA and FECHA_MAXIMA (2000-01-01 and
2100-12-31 unless set), both included; a moment by its date in the site's time zone. Far dates
broke pages: Python's datetime ends at year 9999 and PostgreSQL's goes on, so a moment near
9999 in Lima time was stored past 9999 in UTC and then no query could load it (psycopg's
DataError), and a moment near year 1 overflowed when shown in Lima time (OverflowError).

Stored values may still be anything (rows written before the range, or by hand): a data
migration reports them (filas_fuera_de_rango), fecha_texto shows a moment Lima time cannot
hold in UTC, and on PostgreSQL a value Python cannot hold loads as the nearest one it can
(registrar_cargadores), so every page, the admin and the API still open.
"""

import logging
from datetime import UTC, date, datetime, time

from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

logger = logging.getLogger(__name__)

CODIGO = "fecha_fuera_de_rango"


def fecha_minima() -> date:
    return settings.FECHA_MINIMA


def fecha_maxima() -> date:
    return settings.FECHA_MAXIMA


def _dia(valor: date) -> str:
    return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"


def rango_texto() -> str:
    """«del 01/01/2000 al 31/12/2100»."""
    return f"del {_dia(fecha_minima())} al {_dia(fecha_maxima())}"


def fecha_local(valor: date | datetime) -> date:
    """The date of `valor` as the site reads it: a moment's date in the site's time zone (or
    in its own zone when the site's cannot hold it: then it is out of range anyway)."""
    if isinstance(valor, datetime):
        if timezone.is_aware(valor):
            try:
                return timezone.localtime(valor).date()
            except OverflowError:
                return valor.date()
        return valor.date()
    return valor


def en_rango(valor: date | datetime) -> bool:
    return fecha_minima() <= fecha_local(valor) <= fecha_maxima()


def validate_fecha_en_rango(valor) -> None:
    """Validator of every date and moment field (models, forms, API, imports, filters)."""
    if valor is None or not isinstance(valor, date):
        return
    if not en_rango(valor):
        raise ValidationError(
            "La fecha %(fecha)s está fuera del rango admitido (%(rango)s).",
            code=CODIGO,
            params={"fecha": _dia(fecha_local(valor)), "rango": rango_texto()},
        )


def momento_minimo() -> datetime:
    """The first moment in range: midnight of FECHA_MINIMA in the site's time zone."""
    return timezone.make_aware(datetime.combine(fecha_minima(), time.min))


def momento_maximo() -> datetime:
    """The last moment in range: the end of FECHA_MAXIMA in the site's time zone."""
    return timezone.make_aware(datetime.combine(fecha_maxima(), time.max))


# --- Showing a stored moment ------------------------------------------------------------------


def momento_local(valor: datetime) -> tuple[datetime, bool]:
    """(`valor` in the site's time zone, True) or, when that zone cannot hold it (near year
    1), (`valor` in UTC, False)."""
    try:
        return timezone.localtime(valor), True
    except OverflowError:
        return valor.astimezone(UTC), False


# --- Form fields ------------------------------------------------------------------------------


class _RangoMixin:
    """The range as the field's validator and as the input's min/max (the browser's picker
    offers no other date)."""

    default_validators = [validate_fecha_en_rango]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        minimo, maximo = self.limites_html()
        attrs.setdefault("min", minimo)
        attrs.setdefault("max", maximo)
        return attrs


class FechaField(_RangoMixin, forms.DateField):
    """A date within the site's range."""

    def limites_html(self) -> tuple[str, str]:
        return fecha_minima().isoformat(), fecha_maxima().isoformat()


class MomentoField(_RangoMixin, forms.DateTimeField):
    """A date and time (site time zone) within the site's range."""

    def limites_html(self) -> tuple[str, str]:
        return f"{fecha_minima().isoformat()}T00:00", f"{fecha_maxima().isoformat()}T23:59"

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- The data migration's report --------------------------------------------------------------


def campos_con_rango(apps) -> list[tuple[type[models.Model], models.Field]]:
    """(model, field) of every date or moment field that takes the range (its validator), in
    `apps` (the project's or a migration's historical apps); not the change history's copies
    of the rows (django-simple-history), which would repeat each report."""
    return [
        (modelo, campo)
        for modelo in apps.get_models()
        if not any(c.name == "history_type" for c in modelo._meta.concrete_fields)
        for campo in modelo._meta.concrete_fields
        if isinstance(campo, models.DateField) and validate_fecha_en_rango in campo.validators
    ]


def filas_fuera_de_rango(modelo, campo) -> list[tuple[object, str]]:
    """(pk, the stored value as the database writes it) of the rows whose `campo` is out of
    range, compared in the database and read as text, so a value Python cannot hold is
    reported too."""
    if isinstance(campo, models.DateTimeField):
        minimo, maximo = momento_minimo(), momento_maximo()
    else:
        minimo, maximo = fecha_minima(), fecha_maxima()
    fuera = models.Q(**{f"{campo.name}__lt": minimo}) | models.Q(**{f"{campo.name}__gt": maximo})
    return list(
        modelo._default_manager.filter(fuera)
        .annotate(_texto=Cast(campo.name, models.TextField()))
        .order_by("pk")
        .values_list("pk", "_texto")
    )


def reportar_fuera_de_rango(apps, escribir=print) -> int:
    """Report (never change) the stored rows out of range: one line per value, through
    `escribir` and the log. The number of values reported."""
    total = 0
    for modelo, campo in campos_con_rango(apps):
        for pk, texto in filas_fuera_de_rango(modelo, campo):
            linea = (
                f"{modelo._meta.label} id={pk}: {campo.name} = {texto}, fuera del rango "
                f"admitido ({rango_texto()}). Revíselo a mano."
            )
            logger.warning(linea)
            escribir(linea)
            total += 1
    return total


# --- PostgreSQL: load what Python cannot hold ---------------------------------------------------


def registrar_cargadores(sender, connection, **kwargs) -> None:
    """connection_created: on PostgreSQL, a date or timestamptz past year 9999, before year 1
    or ±infinity loads as date/datetime's max or min instead of raising DataError, which
    made every query that read the row fail. Text format only: Django reads no binary
    results."""
    if connection.vendor != "postgresql":
        return
    from psycopg import DataError
    from psycopg.pq import Format
    from psycopg.types.datetime import DateLoader

    adaptadores = connection.connection.adapters
    oid_tz = adaptadores.types["timestamptz"].oid
    base_tz = adaptadores.get_loader(oid_tz, Format.TEXT)  # Django's, in its time zone

    def acotar(load, minimo, maximo):
        def cargar(self, data):
            try:
                return load(self, data)
            except DataError:
                texto = bytes(data).decode(errors="replace")
                return minimo(self) if "BC" in texto or texto.startswith("-") else maximo(self)

        return cargar

    cargador_tz = type(
        "MomentoAcotadoLoader",
        (base_tz,),
        {
            "load": acotar(
                base_tz.load,
                lambda self: datetime.min.replace(tzinfo=self.timezone or UTC),
                lambda self: datetime.max.replace(tzinfo=self.timezone or UTC),
            )
        },
    )
    cargador_fecha = type(
        "FechaAcotadaLoader",
        (DateLoader,),
        {"load": acotar(DateLoader.load, lambda self: date.min, lambda self: date.max)},
    )
    adaptadores.register_loader("timestamptz", cargador_tz)
    adaptadores.register_loader("date", cargador_fecha)


# --- System check -------------------------------------------------------------------------------


def verificar_rango(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """FECHA_MINIMA before FECHA_MAXIMA, both a year away from Python's ends (a moment is
    moved by time zones up to a day)."""
    minimo, maximo = settings.FECHA_MINIMA, settings.FECHA_MAXIMA
    if (
        isinstance(minimo, date)
        and isinstance(maximo, date)
        and date(2, 1, 1) <= minimo < maximo <= date(9998, 12, 31)
    ):
        return []
    return [
        checks.Error(
            f"FECHA_MINIMA={minimo!r}, FECHA_MAXIMA={maximo!r}: deben ser fechas AAAA-MM-DD "
            "con la mínima antes de la máxima, entre los años 2 y 9998.",
            id="isp_portal.E002",
        )
    ]
