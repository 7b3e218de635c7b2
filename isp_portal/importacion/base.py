"""What an importable entity declares: its columns, natural key, relations and writes.

An `Entidad` is built from the entity's export column map (<app>/resources.py), so the
columns an import reads are exactly the ones a list page exports.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.base import ModelState

from isp_portal import ubigeo
from isp_portal.models import Ubicacion, validar_ubigeo
from isp_portal.tables import resolve

from .campos import (
    OMITIR,
    Convertidor,
    canonizar_ubicacion,
    convertidor_para,
    convertidor_referencia,
    texto,
)
from .escritura import Escritura, en

REQUERIDO = str(forms.Field.default_error_messages["required"])
MOTIVO_IMPORTACION = "importación {archivo}"
_NO_ALFANUM = re.compile(r"[^0-9a-z]+")
UBICACION = ("departamento", "provincia", "distrito")


def clave_encabezado(nombre) -> str:
    """Header as matched: "Razón Social" → "razon_social"."""
    return _NO_ALFANUM.sub("_", ubigeo.normalizar(texto(nombre))).strip("_")


@dataclass
class Columna:
    """A spreadsheet column: `accessor` reads the stored value (as the export does)."""

    nombre: str
    accessor: str
    convertir: Convertidor
    campo: str | None = None  # model attribute written; None for relation columns


@dataclass
class Relacion:
    """A foreign key given by the related row's natural key in one or more columns.

    `buscar` receives every key of a batch and answers {key: pk} with one query.
    """

    campo: str
    columnas: tuple[str, ...]
    buscar: Callable[[set[tuple]], dict[tuple, int]]
    no_existe: Callable[[tuple], str]
    obligatoria: bool = False


@dataclass(eq=False, slots=True)
class Fila:
    linea: int
    valores: dict[str, object]
    errores: list[tuple[str | None, str]] = field(default_factory=list)
    clave: tuple | None = None
    objeto: models.Model | None = None
    nuevo: bool = False
    cambios: list[tuple[str, object, object]] = field(default_factory=list)
    campos: set[str] = field(default_factory=set)
    ids: dict[str, int | None] = field(default_factory=dict)
    ajuste: tuple[int, int] | None = None  # (bw anterior, bw nuevo) of a connection

    def error(self, columna: str | None, mensaje) -> None:
        if isinstance(mensaje, ValidationError):
            for texto_error in mensaje.messages:
                self.errores.append((columna, texto_error))
        else:
            self.errores.append((columna, str(mensaje)))


class Entidad:
    """Declarative description of one importable entity; subclasses fill the class attributes.

    `columnas_export` is the resources map; `clave` the columns of the natural key;
    `obligatorias` the columns a file must have; `alias` extra header names (the source
    documents' names) → column; `relaciones` the foreign keys resolved per batch;
    `unicos` non-key unique fields → message.
    """

    nombre: str
    modelo: type[models.Model]
    columnas_export: dict[str, str]
    clave: tuple[str, ...]
    obligatorias: tuple[str, ...] = ()
    alias: dict[str, str] = {}
    relaciones: tuple[Relacion, ...] = ()
    select_related: tuple[str, ...] = ()
    unicos: dict[str, str] = {}
    convertidores: dict[str, Convertidor] = {}
    # Lock the stored rows of each batch (SELECT … FOR UPDATE) until the import commits.
    bloquear: bool = True

    def __init__(self):
        self.columnas = self._crear_columnas()
        # Column → model attribute, for the columns stored on the row itself.
        self._campos = {c.nombre: c.campo for c in self.columnas.values() if c.campo}
        self.es_ubicacion = issubclass(self.modelo, Ubicacion)
        # Fields a new row must get from the file (no default, not nullable).
        self._sin_valor_por_defecto = [
            f
            for f in self.modelo._meta.concrete_fields
            if not (f.null or f.has_default() or f.primary_key or f.generated)
            and not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        ]
        # What a stored row is read as; timestamps are not compared and are set on write.
        self._atributos = [
            f.attname
            for f in self.modelo._meta.concrete_fields
            if not (
                f.generated or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            )
        ]
        plantilla = self.modelo()
        self._por_defecto = {k: v for k, v in plantilla.__dict__.items() if k != "_state"}

    # --- columns and headers -------------------------------------------------------------
    def _crear_columnas(self) -> dict[str, Columna]:
        columnas = {}
        for nombre, accessor in self.columnas_export.items():
            if nombre in self.convertidores:
                convertir = self.convertidores[nombre]
                campo = None if "." in accessor else accessor
            elif "." in accessor:
                convertir, campo = convertidor_referencia(), None
            else:
                convertir = convertidor_para(self.modelo._meta.get_field(accessor))
                campo = accessor
            columnas[nombre] = Columna(nombre, accessor, convertir, campo)
        return columnas

    def nombres_encabezado(self) -> dict[str, str]:
        """Normalized header → column: column names, field verbose names, aliases."""
        nombres: dict[str, str] = {}
        for columna in self.columnas.values():
            if columna.campo:
                campo = self.modelo._meta.get_field(columna.campo)
                nombres[clave_encabezado(campo.verbose_name)] = columna.nombre
        for alias, columna in self.alias.items():
            nombres[clave_encabezado(alias)] = columna
        for nombre in self.columnas:
            nombres[clave_encabezado(nombre)] = nombre
        return nombres

    def columna_de(self, campo: str) -> str:
        """The column that carries a model field."""
        return next(nombre for nombre, atributo in self._campos.items() if atributo == campo)

    # --- natural key ---------------------------------------------------------------------
    def clave_de(self, fila: Fila) -> tuple | None:
        valores = fila.valores
        clave = tuple([valores.get(c, "") for c in self.clave])
        for valor in clave:
            if valor is None or valor is OMITIR or valor == "":
                return None
        return clave

    def describir(self, clave: tuple) -> str:
        return ", ".join(f"{c} {v}" for c, v in zip(self.clave, clave, strict=True))

    def existentes(self, filas: list[Fila], *, bloquear: bool) -> dict | Callable[[], dict]:
        """Stored rows of a batch by natural key: one query (rows locked for the update).

        A dict, or a function that builds it without the database: the import calls it in
        its helper thread, so only the reading happens on the import's connection.
        """
        claves = {f.clave for f in filas}
        if not claves:
            return {}
        consulta = self._consulta(bloquear)
        for i, nombre in enumerate(self.clave):
            accessor = self.columnas[nombre].accessor
            consulta = consulta.filter(en(self.modelo, accessor, {c[i] for c in claves}))
        if self.select_related or bloquear:
            return self._por_clave(consulta, claves)
        guardadas = list(consulta.values_list(*self._atributos))
        return lambda: self._por_clave(self._instancias(guardadas, consulta.db), claves)

    def _por_clave(self, objetos, claves: set[tuple]) -> dict:
        accessors = [self.columnas[c].accessor for c in self.clave]
        if len(accessors) == 1 and "." not in accessors[0]:
            # One local field (ruc, nombre, serie, cid_enlace): the hot path.
            resultado = {(obj.__dict__[accessors[0]],): obj for obj in objetos}
            return {clave: resultado[clave] for clave in claves & resultado.keys()}
        resultado = {}
        for obj in objetos:
            clave = tuple([resolve(obj, accessor) for accessor in accessors])
            if clave in claves:
                resultado[clave] = obj
        return resultado

    def _instancias(self, filas: list[tuple], db: str):
        """Model instances from plain rows of `_atributos`, without Model.__init__ (the hot
        path's cost)."""
        base = self.modelo
        nombres = [*self._atributos, "_state"]
        for fila in filas:
            obj = base.__new__(base)
            estado = ModelState()
            estado.adding, estado.db = False, db
            obj.__dict__ = dict(zip(nombres, (*fila, estado), strict=True))
            yield obj

    def nuevo_objeto(self) -> models.Model:
        """A new instance: a copy of a default-initialized one (cheaper than __init__)."""
        obj = self.modelo.__new__(self.modelo)
        obj.__dict__.update(self._por_defecto)
        obj._state = ModelState()
        return obj

    def _consulta(self, bloquear: bool):
        consulta = self.modelo.objects.select_related(*self.select_related)
        if bloquear:
            consulta = consulta.select_for_update(of=("self",)).order_by("pk")
        return consulta

    def buscar_existente(self, fila: Fila, existentes: dict) -> models.Model | None:
        return existentes.get(fila.clave)

    # --- values --------------------------------------------------------------------------
    def valor_actual(self, obj, columna: Columna):
        """The stored value as the file would carry it (cells are read stripped)."""
        valor = resolve(obj, columna.accessor)
        if isinstance(valor, str):
            return valor.strip()
        return "" if valor is None and columna.campo is None else valor

    def preparar(self, fila: Fila) -> None:
        """Row-level normalization after conversion (ubigeo spelling)."""
        if self.es_ubicacion:
            canonizar_ubicacion(fila.valores)

    def aplicar(self, fila: Fila) -> None:
        """Compare the row with the stored object and set the changed attributes.

        Relations compare the resolved primary keys, so a client given by CID or a
        name typed in another case is no change when it is the same row.
        """
        obj = fila.objeto
        campos = self._campos
        if fila.nuevo:
            # Plain fields of a fresh instance: no descriptor to go through.
            atributos = obj.__dict__
            for nombre, nuevo in fila.valores.items():
                campo = campos.get(nombre)
                if campo is not None and nuevo is not OMITIR:
                    atributos[campo] = nuevo
        else:
            for nombre, nuevo in fila.valores.items():
                campo = campos.get(nombre)
                if campo is None or nuevo is OMITIR:
                    continue
                anterior = getattr(obj, campo)
                if anterior != nuevo and (
                    anterior.__class__ is not str or anterior.strip() != nuevo
                ):
                    fila.cambios.append((nombre, anterior, nuevo))
                    self.asignar(fila, campo, nuevo)
        for relacion in self.relaciones:
            if relacion.campo not in fila.ids:
                continue
            nuevo_id = fila.ids[relacion.campo]
            atributo = f"{relacion.campo}_id"
            if fila.nuevo:
                setattr(obj, atributo, nuevo_id)
            elif getattr(obj, atributo) != nuevo_id:
                for nombre in relacion.columnas:
                    if nombre in fila.valores:
                        anterior = self.valor_actual(obj, self.columnas[nombre])
                        fila.cambios.append((nombre, anterior, fila.valores[nombre]))
                self.asignar(fila, atributo, nuevo_id)

    def asignar(self, fila: Fila, atributo: str, valor) -> None:
        setattr(fila.objeto, atributo, valor)
        fila.campos.add(atributo)

    def validar(self, fila: Fila) -> None:
        """Model-level rules on the merged object (ubigeo pair, required fields)."""
        obj = fila.objeto
        if self.es_ubicacion and (fila.nuevo or fila.campos & {"departamento", "provincia"}):
            try:
                validar_ubigeo(obj.departamento, obj.provincia)
            except ValidationError as error:
                for campo, mensajes in error.message_dict.items():
                    for mensaje in mensajes:
                        fila.error(campo, mensaje)
        if fila.nuevo:
            for campo in self._sin_valor_por_defecto:
                if getattr(obj, campo.attname) is None:
                    fila.error(campo.name, REQUERIDO)

    # --- writes --------------------------------------------------------------------------
    def preparar_escritura(self, filas: list[Fila], *, archivo: str) -> Escritura:
        """The batch's inserts and updates with their history rows, built without the
        database."""
        actualizadas = [f for f in filas if not f.nuevo and f.campos]
        return Escritura(
            self.modelo,
            nuevos=[f.objeto for f in filas if f.nuevo],
            actualizados=[f.objeto for f in actualizadas],
            campos=set().union(*(f.campos for f in actualizadas)),
            motivo=MOTIVO_IMPORTACION.format(archivo=archivo),
        )

    def despues_de_escribir(self, filas: list[Fila], *, archivo: str) -> None:
        """Hook for extra writes of a batch (the connections' AjusteBW ledger)."""


def buscar_por(modelo, campo: str, *, filtro: dict | None = None):
    """A Relacion.buscar answering {(valor,): pk} with one `campo__in` query."""

    def buscar(claves: set[tuple]) -> dict[tuple, int]:
        valores = {c[0] for c in claves}
        consulta = modelo.objects.filter(en(modelo, campo, valores), **(filtro or {}))
        return {(v,): pk for pk, v in consulta.values_list("pk", campo)}

    return buscar
