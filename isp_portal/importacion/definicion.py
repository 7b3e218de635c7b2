"""What an app declares about an importable entity, and the registry the engine reads.

Each app's `importacion.py` declares its entities as `Entidad` subclasses decorated with
`@registrar`: the columns (the list page's export), the natural key and, when the defaults do
not fit, how a relation is found. Everything else is read from the model: the converter of
each column from its field, the relations from the dotted accessors ("cliente.ruc"), the
columns a file must have from the required fields, the unique fields from the constraints.
`IspPortalConfig.ready()` imports every app's `importacion` module, as the admin does with
`admin.py`, so the engine itself imports no app.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

from isp_portal import ubigeo
from isp_portal.models import Ubicacion

from . import celdas, escritura
from .errores import ErrorDeImportacion

REGISTRO: dict[str, type["Entidad"]] = {}
_NO_ALFANUMERICO = re.compile(r"[^0-9a-z]+")


def registrar(clase: type["Entidad"]) -> type["Entidad"]:
    """Class decorator: `manage.py importar <clase.nombre>` imports this entity."""
    anterior = REGISTRO.get(clase.nombre)
    if anterior is not None and anterior.__qualname__ != clase.__qualname__:
        raise ImproperlyConfigured(f"Dos entidades de importación se llaman «{clase.nombre}».")
    REGISTRO[clase.nombre] = clase
    return clase


def descubrir() -> None:
    """Import each installed app's `importacion` module, so its entities register."""
    autodiscover_modules("importacion")


def entidad(nombre: str) -> "Entidad":
    if nombre not in REGISTRO:
        raise ErrorDeImportacion(
            f"Entidad desconocida «{nombre}». Use una de: {', '.join(sorted(REGISTRO))}."
        )
    return REGISTRO[nombre]()


def clave_encabezado(nombre) -> str:
    """A header as matched: "Razón Social" → "razon_social"."""
    return _NO_ALFANUMERICO.sub("_", ubigeo.normalizar(celdas.texto(nombre))).strip("_")


@dataclass(frozen=True)
class Relacion:
    """How the rows a foreign key points to are found from the file's cells.

    By default with one `<lookup>__in` query per batch on the columns whose accessor goes
    through the foreign key ("servicio.proveedor.nombre", "servicio.codigo"). `buscar`
    replaces that lookup (it receives the batch's cell tuples and answers {tuple: pk});
    `normalizar` cleans each cell first; `no_existe` words the error, "{}" standing for the
    cells.
    """

    buscar: Callable[[set[tuple]], dict[tuple, int]] | None = None
    normalizar: Callable[[str], str] | None = None
    no_existe: str | None = None


@dataclass(frozen=True)
class UnicaCompuesta:
    """A unique constraint over several fields or expressions (a sede's client and its oficina
    without accents), checked for a whole batch with one query: `partes` are its
    expressions, each with the attribute it reads and its value in Python (the function the
    database runs, as isp_portal.busqueda.Documento.en_python)."""

    restriccion: models.UniqueConstraint
    partes: tuple[tuple[models.Expression, str, Callable[[object], object]], ...]

    @property
    def atributos(self) -> set[str]:
        return {atributo for _, atributo, _ in self.partes}

    def clave(self, objeto: models.Model) -> tuple | None:
        """The constraint's values for `objeto` (None: a NULL part, never a conflict)."""
        valores = []
        for _, atributo, en_python in self.partes:
            valor = getattr(objeto, atributo)
            if valor is None:
                return None
            valores.append(en_python(valor))
        return tuple(valores)

    def ocupadas(self, modelo, claves: set[tuple]) -> dict[tuple, int]:
        """{values: pk} of the stored rows that hold any of `claves`: one query."""
        alias = {f"_unica{i}": expresion for i, (expresion, _, _) in enumerate(self.partes)}
        filtro = {f"{a}__in": {c[i] for c in claves} for i, a in enumerate(alias)}
        filas = modelo._base_manager.annotate(**alias).filter(**filtro).values_list("pk", *alias)
        return {tuple(fila[1:]): fila[0] for fila in filas}


def _parte(meta, expresion) -> tuple[models.Expression, str, Callable[[object], object]]:
    if isinstance(expresion, models.F):
        return expresion, meta.get_field(expresion.name).attname, _igual
    fuentes = expresion.get_source_expressions()
    en_python = getattr(expresion, "en_python", None)
    if en_python is None or len(fuentes) != 1 or not isinstance(fuentes[0], models.F):
        raise ImproperlyConfigured(
            f"La importación no sabe calcular {expresion!r} en Python: dé a la función un "
            "método en_python."
        )
    return expresion, meta.get_field(fuentes[0].name).attname, en_python


def _igual(valor):
    return valor


@dataclass(frozen=True)
class Columna:
    """A column of the file: a model attribute (`atributo`) or part of a relation's key."""

    nombre: str
    accessor: str
    convertir: celdas.Convertidor
    atributo: str | None = None
    relacion: str | None = None


@dataclass(frozen=True)
class RelacionDeColumnas:
    """A foreign key with its columns and the lookup each column stands for."""

    campo: models.ForeignKey
    columnas: tuple[str, ...]
    lookups: tuple[str, ...]
    definicion: Relacion

    @property
    def obligatoria(self) -> bool:
        return not self.campo.null

    def buscar(self, claves: set[tuple]) -> dict[tuple, int]:
        if self.definicion.buscar is not None:
            return self.definicion.buscar(claves)
        modelo = self.campo.related_model
        filtro = {f"{lookup}__in": {c[i] for c in claves} for i, lookup in enumerate(self.lookups)}
        filas = modelo._base_manager.filter(**filtro).values_list("pk", *self.lookups)
        return {tuple(fila[1:]): fila[0] for fila in filas}

    def no_existe(self, clave: tuple) -> str:
        if self.definicion.no_existe:
            return self.definicion.no_existe.format(*clave)
        nombre = self.campo.related_model._meta.verbose_name
        return f"No existe {nombre} «{', '.join(map(str, clave))}»."


class Entidad:
    """An importable entity. Subclasses declare the class attributes; the methods are the
    engine's defaults, overridden where an entity writes through its services.

    - `nombre`: the command's argument ("nodos"); `modelo`; `columnas`: column → accessor,
      exactly the list page's export, so an export re-imports unchanged.
    - `clave`: the columns of the natural key; `clave_alternativa`: the key of a row that
      leaves `clave` blank (a provider without RUC is found by nombre); `clave_opcional`:
      a row without key is a new one whose key `crear` fills (the next CID).
    - `alias`: other header names (the old system's) → column; `obligatorias`: the columns a
      file must have (default: those of the model's required fields).
    - `relaciones`: foreign key → Relacion, when the default lookup does not fit.
    - `normalizar`: column → function cleaning its text. Bounds and other rules of a value
      are its model field's validators.
    """

    nombre: str
    modelo: type[models.Model]
    columnas: dict[str, str]
    clave: tuple[str, ...]
    clave_alternativa: tuple[str, ...] = ()
    clave_opcional: bool = False
    alias: dict[str, str] = {}
    obligatorias: tuple[str, ...] | None = None
    relaciones: dict[str, Relacion] = {}
    normalizar: dict[str, Callable[[str], str]] = {}
    motivo: str = "importación {archivo}"

    def __init__(self):
        meta = self.modelo._meta
        self.por_relacion: dict[str, RelacionDeColumnas] = {}
        self.por_columna: dict[str, Columna] = {}
        # A key the entity fills on write may come blank (the CID of a new connection).
        opcionales = set(self.clave) if self.clave_opcional else set()
        agrupadas: dict[str, list[tuple[str, str]]] = {}
        for nombre, accessor in self.columnas.items():
            if "." in accessor:
                campo, lookup = accessor.split(".", 1)
                agrupadas.setdefault(campo, []).append((nombre, lookup.replace(".", "__")))
                definicion = self.relaciones.get(campo, Relacion())
                convertir = celdas.referencia(definicion.normalizar)
                self.por_columna[nombre] = Columna(nombre, accessor, convertir, relacion=campo)
                continue
            campo = meta.get_field(accessor)
            convertir = celdas.convertidor(
                campo, vacia=nombre in opcionales, normalizar=self.normalizar.get(nombre)
            )
            self.por_columna[nombre] = Columna(nombre, accessor, convertir, campo.attname)
        for campo, pares in agrupadas.items():
            columnas, lookups = zip(*pares, strict=True)
            self.por_relacion[campo] = RelacionDeColumnas(
                meta.get_field(campo), columnas, lookups, self.relaciones.get(campo, Relacion())
            )
        self._columna_de_campo = {}
        for columna in self.por_columna.values():  # a relation's first column stands for it
            campo = meta.get_field(columna.relacion or columna.accessor)
            self._columna_de_campo.setdefault(campo.name, columna.nombre)
            self._columna_de_campo.setdefault(campo.attname, columna.nombre)
        self.alternativas = [c for c in (self.clave, self.clave_alternativa) if c]
        self.es_ubicacion = issubclass(self.modelo, Ubicacion)
        self.marcas_de_tiempo = [
            f.name
            for f in meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        # Fields a new row must get from the file: no default, no NULL, not set on save.
        self.campos_requeridos = [
            f
            for f in meta.concrete_fields
            if not (f.null or f.has_default() or f.primary_key or f.generated)
            and not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        ]

    # --- what the engine derives from the model ----------------------------------------
    def columna_de(self, campo: str) -> str | None:
        """The column that carries a model field (by name or attname), if the file has one."""
        return self._columna_de_campo.get(campo)

    def atributo_de_clave(self, columna: str) -> str:
        """The model attribute a key column stands for: its field, or its relation's id."""
        relacion = self.por_columna[columna].relacion
        if relacion is not None:
            return self.por_relacion[relacion].campo.attname
        return self.por_columna[columna].atributo

    def clave_guardada(self, objeto: models.Model, columnas: tuple[str, ...]) -> tuple:
        """The values of a key (its columns) on a stored or just written object."""
        return tuple(getattr(objeto, self.atributo_de_clave(c)) for c in columnas)

    def columnas_obligatorias(self) -> tuple[str, ...]:
        if self.obligatorias is not None:
            return self.obligatorias
        meta, obligatorias = self.modelo._meta, []
        for nombre, accessor in self.columnas.items():
            campo = meta.get_field(accessor.split(".")[0])
            if not (campo.blank or campo.null or campo.has_default()):
                obligatorias.append(nombre)
        return tuple(obligatorias)

    def nombres_encabezado(self) -> dict[str, str]:
        """Normalized header → column: field verbose names, aliases, column names."""
        nombres: dict[str, str] = {}
        for columna in self.por_columna.values():
            if columna.atributo is not None:
                campo = self.modelo._meta.get_field(columna.accessor)
                nombres[clave_encabezado(campo.verbose_name)] = columna.nombre
        for alias, columna in self.alias.items():
            nombres[clave_encabezado(alias)] = columna
        for nombre in self.columnas:
            nombres[clave_encabezado(nombre)] = nombre
        return nombres

    def unicos(self) -> dict[str, str]:
        """Unique fields other than the key (attname → message), checked before writing."""
        meta = self.modelo._meta
        unicos = {}
        for restriccion in meta.constraints:
            if isinstance(restriccion, models.UniqueConstraint) and len(restriccion.fields) == 1:
                campo = meta.get_field(restriccion.fields[0])
                unicos[campo.attname] = restriccion.get_violation_error_message()
        for campo in meta.concrete_fields:
            if campo.unique and not campo.primary_key:
                unicos[campo.attname] = campo.error_messages["unique"] % {
                    "model_name": meta.verbose_name,
                    "field_label": campo.verbose_name,
                }
        if len(self.clave) == 1:
            unicos.pop(self.atributo_de_clave(self.clave[0]), None)  # found by it already
        return {c: m for c, m in unicos.items() if self.columna_de(c) is not None}

    def unicas_compuestas(self) -> list[UnicaCompuesta]:
        """Unique constraints over several fields or over expressions, other than the natural
        key (the rows are found by it), checked before writing with one query a batch."""
        meta, clave = self.modelo._meta, {self.atributo_de_clave(c) for c in self.clave}
        unicas = []
        for restriccion in meta.constraints:
            if not isinstance(restriccion, models.UniqueConstraint):
                continue
            if restriccion.fields and len(restriccion.fields) == 1:
                continue  # unicos()
            if restriccion.condition is not None:
                raise ImproperlyConfigured(
                    f"{restriccion.name}: la importación no comprueba restricciones únicas "
                    "condicionales de varios campos."
                )
            expresiones = restriccion.expressions or [models.F(f) for f in restriccion.fields]
            unica = UnicaCompuesta(restriccion, tuple(_parte(meta, e) for e in expresiones))
            if restriccion.fields and unica.atributos == clave:
                continue
            unicas.append(unica)
        return unicas

    # --- hooks ---------------------------------------------------------------------------
    def preparar(self, valores: dict) -> None:
        """A row's converted values, before anything else (location names spelled as stored)."""
        if self.es_ubicacion:
            celdas.canonizar_ubicacion(valores)

    def validar(self, objeto: models.Model) -> None:
        """Rules of a row to write: the model's clean() (ubigeo pair…); subclasses add checks
        of database constraints the model cannot run in Python. Raises ValidationError."""
        objeto.clean()

    def guardadas(self, lote) -> list[models.Model]:
        """The stored rows the batch's keys name: one query, each row locked until the import
        ends (pk order, the project's lock order)."""
        filas = [f for f in lote.validas if f.claves]
        if not filas:
            return []
        filtro = Q()
        for i, columnas in enumerate(self.alternativas):
            atributos = [self.atributo_de_clave(c) for c in columnas]
            valores = [
                {v[j] for f in filas for k, v in f.claves if k == i} for j in range(len(columnas))
            ]
            if valores[0]:
                filtro |= Q(**{f"{a}__in": v for a, v in zip(atributos, valores, strict=True)})
        relacionadas = [r for r in self.por_relacion if r in lote.relaciones_del_archivo]
        return list(
            self.modelo._base_manager.filter(filtro)
            .select_related(*relacionadas)
            .defer(*self.marcas_de_tiempo)  # never compared, set on write
            .select_for_update(of=("self",))
            .order_by("pk")
        )

    def escribir(self, lote) -> None:
        """Write the batch's new and changed rows with their change history."""
        nuevas = [f.objeto for f in lote.nuevas]
        cambiadas = lote.cambiadas
        self.crear(nuevas)
        escritura.actualizar(
            self.modelo, [f.objeto for f in cambiadas], set().union(*(f.antes for f in cambiadas))
        )
        escritura.historial(
            self.modelo,
            nuevos=nuevas,
            cambiados=[f.objeto for f in cambiadas],
            motivo=lote.motivo,
            usuario=lote.usuario,
        )

    def crear(self, objetos: list[models.Model]) -> None:
        escritura.crear(self.modelo, objetos)


def mensajes_por_campo(
    error: ValidationError, modelo: type[models.Model] | None = None
) -> list[tuple[str | None, str]]:
    """(field name or None, message) of a ValidationError, whatever its shape; an error of the
    whole object goes to the field its model names for it (isp_portal.models.ErroresEnCampos)."""
    campo_de = getattr(modelo, "campo_de_error", lambda error: None)
    por_campo = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: [error]}
    return [
        (campo_de(parte) if campo == NON_FIELD_ERRORS else campo, mensaje)
        for campo, errores in por_campo.items()
        for e in errores
        for parte in e.error_list
        for mensaje in parte.messages
    ]
