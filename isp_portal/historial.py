"""Readable change history of a record (django-simple-history)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

TIPOS = {"+": "Creación", "~": "Cambio", "-": "Eliminación"}


class Historial(HistoricalRecords):
    """Who changed what and when, kept forever ("Historial").

    History rows are only read by record (its id) and date: the copies of the record's
    other indexes (foreign keys, db_index fields) would cost every save and import.
    """

    def get_meta_options(self, model):
        """Deletions, newest first ("Eliminados recientemente" on the list pages), are read
        from a partial index of them: it stays as small as the deletions are few."""
        meta = super().get_meta_options(model)
        meta["indexes"] = [
            *meta.get("indexes", ()),
            models.Index(
                fields=["history_date", "history_id"],
                condition=models.Q(history_type="-"),
                name=f"hist_{model._meta.model_name}_elim",
            ),
        ]
        return meta

    def copy_fields(self, model):
        campos = super().copy_fields(model)
        for nombre, campo in campos.items():
            if nombre != model._meta.pk.name:
                campo.db_index = False
        return campos


@dataclass(frozen=True)
class Cambio:
    campo: str
    antes: object
    despues: object


@dataclass(frozen=True)
class EntradaHistorial:
    fecha: datetime
    usuario: object
    tipo: str
    cambios: list[Cambio]
    motivo: str = ""


def historial(obj, *, limite: int = 20) -> list[EntradaHistorial]:
    """The latest `limite` versions, newest first, each with its field changes.

    One query: one more version than shown is read so the oldest shown can be diffed too.
    """
    versiones = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limite + 1
        ]
    )
    modelo = type(obj)
    entradas = []
    for version, anterior in zip(versiones[:limite], versiones[1:] + [None], strict=False):
        cambios = []
        if anterior is not None and version.history_type == "~":
            cambios = [
                Cambio(_etiqueta(modelo, c.field), c.old, c.new)
                for c in version.diff_against(anterior, excluded_fields=["updated_at"]).changes
            ]
        entradas.append(
            EntradaHistorial(
                fecha=version.history_date,
                usuario=version.history_user,
                tipo=TIPOS.get(version.history_type, version.history_type),
                cambios=cambios,
                motivo=version.history_change_reason or "",
            )
        )
    return entradas


def _etiqueta(modelo, campo: str) -> str:
    return capfirst(str(modelo._meta.get_field(campo).verbose_name))
