"""The import run: read → convert → find related and stored rows → compare → check → write.

The file is read in batches; each batch costs a fixed number of queries whatever its size
(one per relation, one for the stored rows, one per unique field, then the entity's bulk
writes). The whole file is one transaction and each batch a savepoint. Every batch is
checked and written even after a bad row, so every bad row of the file is reported and later
batches are checked against the earlier ones; at the end, if any row was bad (or on
--dry-run), everything is rolled back. A dry run's counts are therefore those of a real run.
"""

import csv
import itertools
import sys
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from isp_portal.tables import resolve

from . import definicion
from .celdas import OMITIR
from .definicion import Entidad, clave_encabezado, mensajes_por_campo
from .errores import ErrorDeImportacion, LoteConErrores
from .lectores import Lector, abrir, contar_filas

TAM_LOTE = 2000
MAX_DIFERENCIAS = 20
REQUERIDO = str(forms.Field.default_error_messages["required"])


@dataclass
class Resultado:
    entidad: str
    archivo: str
    detalle: str = ""
    creados: int = 0
    actualizados: int = 0
    sin_cambios: int = 0
    filas_con_error: int = 0
    errores: list[tuple[int, str | None, str]] = field(default_factory=list)
    diferencias: list[str] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)
    escrito: bool = False

    @property
    def ok(self) -> bool:
        return not self.errores

    def resumen(self) -> str:
        return (
            f"creados: {self.creados} · actualizados: {self.actualizados} · "
            f"sin cambios: {self.sin_cambios} · con error: {self.filas_con_error}"
        )


@dataclass(eq=False, slots=True)
class Fila:
    """A row of the file on its way: converted values, related ids, its stored object."""

    linea: int
    valores: dict[str, object] = field(default_factory=dict)  # column → converted value
    errores: list[tuple[str | None, str]] = field(default_factory=list)
    ids: dict[str, int | None] = field(default_factory=dict)  # relation → pk
    claves: list[tuple[int, tuple]] = field(default_factory=list)  # (alternative, values)
    objeto: models.Model | None = None
    nueva: bool = False
    antes: dict[str, object] = field(default_factory=dict)  # attname → stored value, if changed
    cambios: list[tuple[str, object, object]] = field(default_factory=list)  # as shown

    def error(self, columna: str | None, mensaje) -> None:
        """Mark the row bad: `mensaje` is a text or a ValidationError."""
        if isinstance(mensaje, ValidationError):
            self.errores.extend((columna, m) for m in mensaje.messages)
        else:
            self.errores.append((columna, str(mensaje)))


@dataclass
class Lote:
    """One batch, as the entity's hooks see it."""

    filas: list[Fila]
    motivo: str
    usuario: object
    permitir_sobresuscripcion: bool
    relaciones_del_archivo: set[str]

    @property
    def validas(self) -> list[Fila]:
        return [f for f in self.filas if not f.errores]

    @property
    def nuevas(self) -> list[Fila]:
        return [f for f in self.validas if f.nueva]

    @property
    def cambiadas(self) -> list[Fila]:
        """Stored rows with attributes to write (`antes` holds them)."""
        return [f for f in self.validas if not f.nueva and f.antes]


def importar(
    *,
    entidad: str,
    ruta,
    dry_run: bool = False,
    hoja: str | None = None,
    delimitador: str | None = None,
    permitir_sobresuscripcion: bool = False,
    usuario=None,
    tam_lote: int = TAM_LOTE,
    progreso: bool = False,
) -> Resultado:
    """Import a CSV or XLSX file of a registered entity; nothing is written unless every row
    is good. Raises ErrorDeImportacion when the file cannot be imported at all."""
    declarada = definicion.entidad(entidad)
    lector = abrir(ruta, hoja=hoja, delimitador=delimitador)
    try:
        importacion = Importacion(
            declarada,
            lector,
            dry_run=dry_run,
            permitir_sobresuscripcion=permitir_sobresuscripcion,
            usuario=usuario,
            tam_lote=tam_lote,
        )
        return importacion.ejecutar(progreso=progreso)
    finally:
        lector.cerrar()


class Importacion:
    def __init__(
        self,
        entidad: Entidad,
        lector: Lector,
        *,
        dry_run: bool,
        permitir_sobresuscripcion: bool,
        usuario,
        tam_lote: int,
    ):
        self.entidad = entidad
        self.lector = lector
        self.dry_run = dry_run
        self.permitir_sobresuscripcion = permitir_sobresuscripcion
        self.usuario = usuario
        self.tam_lote = tam_lote
        self.resultado = Resultado(
            entidad=entidad.nombre, archivo=lector.ruta.name, detalle=lector.detalle
        )
        self.motivo = entidad.motivo.format(archivo=lector.ruta.name)
        self.indices = self._mapear_encabezados(lector.encabezados)
        self.titulos = {c: lector.encabezados[i] for c, i in self.indices.items()}
        self.convertidores = [
            (c, i, entidad.por_columna[c].convertir) for c, i in self.indices.items()
        ]
        self.relaciones = [
            r for r in entidad.por_relacion.values() if any(c in self.indices for c in r.columnas)
        ]
        self.unicos = entidad.unicos()
        self.vistas: dict[tuple, int] = {}  # natural key → line
        self.unicos_vistos: dict[str, dict] = {c: {} for c in self.unicos}
        self.unicas = entidad.unicas_compuestas()
        self.unicas_vistas: list[dict[tuple, int]] = [{} for _ in self.unicas]
        self.sin_validar = self._campos_sin_validar()
        meta = entidad.modelo._meta
        self.validar_por_defecto = any(f.name not in self.sin_validar for f in meta.fields)

    def _campos_sin_validar(self) -> set[str]:
        """The fields a new row's model validation skips: those the converters already
        checked (the file's columns), relations (found by their keys), what the entity fills
        on write and what no one types. The others keep their defaults, which must pass their
        validators too (a connection imported without its bandwidth is not one of 0 Mbps)."""
        meta, entidad = self.entidad.modelo._meta, self.entidad
        omitidos = {
            f.name for f in meta.concrete_fields if f.is_relation or f.primary_key or not f.editable
        }
        omitidos |= {
            meta.get_field(entidad.por_columna[c].accessor).name
            for c in self.indices
            if entidad.por_columna[c].atributo is not None
        }
        if entidad.clave_opcional:
            omitidos |= {entidad.por_columna[c].accessor for c in entidad.clave}
        return omitidos

    # --- headers -------------------------------------------------------------------------
    def _mapear_encabezados(self, encabezados: list[str]) -> dict[str, int]:
        nombres = self.entidad.nombres_encabezado()
        indices: dict[str, int] = {}
        for i, encabezado in enumerate(encabezados):
            clave = clave_encabezado(encabezado)
            if not clave:
                continue
            columna = nombres.get(clave)
            if columna is None:
                self.resultado.avisos.append(f"Columna desconocida «{encabezado}»: se ignora.")
            elif columna in indices:
                raise ErrorDeImportacion(
                    f"La columna «{columna}» aparece dos veces en el encabezado "
                    f"(«{encabezados[indices[columna]]}» y «{encabezado}»)."
                )
            else:
                indices[columna] = i
        faltan = [c for c in self.entidad.columnas_obligatorias() if c not in indices]
        if faltan:
            raise ErrorDeImportacion(
                f"Faltan columnas obligatorias en «{self.lector.ruta.name}»: "
                f"{', '.join(faltan)}. Columnas esperadas: {', '.join(self.entidad.columnas)}."
            )
        return indices

    # --- run -----------------------------------------------------------------------------
    def ejecutar(self, *, progreso: bool = False) -> Resultado:
        barra = None
        if progreso:
            from tqdm import tqdm

            barra = tqdm(
                total=contar_filas(self.lector),
                unit=" filas",
                file=sys.stderr,
                desc=f"Importando {self.entidad.nombre}",
            )
        try:
            with transaction.atomic():
                while filas := self._leer_lote():
                    self._procesar(
                        Lote(
                            filas,
                            motivo=self.motivo,
                            usuario=self.usuario,
                            permitir_sobresuscripcion=self.permitir_sobresuscripcion,
                            relaciones_del_archivo={r.campo.name for r in self.relaciones},
                        )
                    )
                    if barra:
                        barra.update(len(filas))
                if self.dry_run or self.resultado.errores:
                    transaction.set_rollback(True)
                else:
                    self.resultado.escrito = True
        finally:
            if barra:
                barra.close()
        return self.resultado

    def _leer_lote(self) -> list[Fila]:
        """The next batch of rows, converted; empty at the end of the file."""
        try:
            return [
                self._convertir(linea, crudos)
                for linea, crudos in itertools.islice(self.lector.filas, self.tam_lote)
            ]
        except csv.Error as error:
            raise ErrorDeImportacion(
                f"«{self.lector.ruta.name}» no es un CSV válido cerca de la línea "
                f"{self.lector.linea_actual()}: {error}"
            ) from None

    def _convertir(self, linea: int, crudos: list) -> Fila:
        fila = Fila(linea)
        n = len(crudos)
        for nombre, indice, convertir in self.convertidores:
            try:
                fila.valores[nombre] = convertir(crudos[indice] if indice < n else "")
            except ValidationError as error:
                fila.error(nombre, error)
        self.entidad.preparar(fila.valores)
        return fila

    def _procesar(self, lote: Lote) -> None:
        self._resolver_relaciones(lote.filas)
        self._claves(lote.filas)
        guardadas = self._indexar(self.entidad.guardadas(lote))
        for fila in lote.validas:
            self._comparar(fila, guardadas)
        self._validar_unicos(lote.validas)
        if lote.nuevas or any(f.cambios for f in lote.validas):
            try:
                with transaction.atomic():
                    self.entidad.escribir(lote)
            except LoteConErrores:
                pass  # the entity marked the rows; the batch's writes are undone
            except IntegrityError as error:
                lote.filas[0].error(None, f"La base de datos rechazó el lote: {error}")
            self._claves_asignadas(lote.nuevas)
        self._contar(lote)

    # --- relations and keys --------------------------------------------------------------
    def _resolver_relaciones(self, filas: list[Fila]) -> None:
        """Each relation of the batch with one query: fila.ids[relation] = pk (or None)."""
        for relacion in self.relaciones:
            pendientes: list[tuple[Fila, tuple]] = []
            for fila in filas:
                if any(c == columna for c in relacion.columnas for columna, _ in fila.errores):
                    continue
                clave = tuple(fila.valores.get(c, "") for c in relacion.columnas)
                vacias = [c for c, v in zip(relacion.columnas, clave, strict=True) if not v]
                if len(vacias) == len(clave):
                    if relacion.obligatoria:
                        fila.error(relacion.columnas[0], REQUERIDO)
                    else:
                        fila.ids[relacion.campo.name] = None
                elif vacias:
                    for columna in vacias:
                        fila.error(columna, REQUERIDO)
                else:
                    pendientes.append((fila, clave))
            encontradas = relacion.buscar({c for _, c in pendientes}) if pendientes else {}
            for fila, clave in pendientes:
                pk = encontradas.get(clave)
                if pk is None:
                    fila.error(relacion.columnas[0], relacion.no_existe(clave))
                else:
                    fila.ids[relacion.campo.name] = pk

    def _valor_de_clave(self, fila: Fila, columna: str):
        relacion = self.entidad.por_columna[columna].relacion
        valor = fila.ids.get(relacion) if relacion else fila.valores.get(columna)
        return None if valor in (None, "", OMITIR) else valor

    def _claves(self, filas: list[Fila]) -> None:
        """Each good row's natural keys (one per alternative it fills); a key already seen
        in the file is an error."""
        for fila in filas:
            if fila.errores:
                continue
            for i, columnas in enumerate(self.entidad.alternativas):
                valores = tuple(self._valor_de_clave(fila, c) for c in columnas)
                if None not in valores:
                    fila.claves.append((i, valores))
            if not fila.claves:
                if not self.entidad.clave_opcional:
                    for columna in self.entidad.alternativas[-1]:
                        if self._valor_de_clave(fila, columna) is None:
                            fila.error(columna, REQUERIDO)
                continue
            anterior = self.vistas.setdefault(fila.claves[0], fila.linea)
            if anterior != fila.linea:
                columnas = self.entidad.alternativas[fila.claves[0][0]]
                fila.error(
                    columnas[-1], f"Duplicado: la línea {anterior} ya trae {self._describir(fila)}."
                )

    def _describir(self, fila: Fila) -> str:
        if not fila.claves:
            return "una fila nueva"
        columnas = self.entidad.alternativas[fila.claves[0][0]]
        return ", ".join(f"{c} {fila.valores.get(c)}" for c in columnas)

    def _indexar(self, guardadas: list[models.Model]) -> dict[tuple, models.Model]:
        """Stored rows by each natural key they fill."""
        indice = {}
        for objeto in guardadas:
            for i, columnas in enumerate(self.entidad.alternativas):
                valores = self.entidad.clave_guardada(objeto, columnas)
                if all(v not in (None, "") for v in valores):
                    indice[(i, valores)] = objeto
        return indice

    def _buscar_guardada(self, fila: Fila, guardadas: dict) -> models.Model | None:
        """The stored row of the first key the row fills; by an alternative key only a row
        whose earlier keys are blank (a provider registered without RUC gets it)."""
        for i, valores in fila.claves:
            objeto = guardadas.get((i, valores))
            anteriores = [self.entidad.alternativas[j] for j, _ in fila.claves if j < i]
            if objeto is not None and all(
                v in (None, "") for c in anteriores for v in self.entidad.clave_guardada(objeto, c)
            ):
                return objeto
        return None

    # --- compare and check -------------------------------------------------------------------
    def _comparar(self, fila: Fila, guardadas: dict) -> None:
        """Merge the row into its stored object (or a new one) and check the result."""
        entidad = self.entidad
        objeto = self._buscar_guardada(fila, guardadas) if fila.claves else None
        atributos = {}
        for nombre, valor in fila.valores.items():
            atributo = entidad.por_columna[nombre].atributo
            if atributo is not None and valor is not OMITIR:
                atributos[atributo] = valor
        for relacion, pk in fila.ids.items():
            atributos[entidad.por_relacion[relacion].campo.attname] = pk
        if objeto is None:
            fila.nueva = True
            fila.objeto = entidad.modelo(**atributos)
        else:
            fila.objeto = objeto
            self._cambiar(fila, atributos)
            if not fila.cambios:
                return
        try:
            entidad.validar(fila.objeto)
            if fila.nueva and self.validar_por_defecto:
                fila.objeto.clean_fields(exclude=self.sin_validar)
        except ValidationError as error:
            for campo, mensaje in mensajes_por_campo(error, entidad.modelo):
                fila.error(campo and (entidad.columna_de(campo) or campo), mensaje)
        if fila.nueva:
            for campo in entidad.campos_requeridos:
                if getattr(fila.objeto, campo.attname) is None:
                    fila.error(entidad.columna_de(campo.name) or campo.name, REQUERIDO)

    def _cambiar(self, fila: Fila, atributos: dict) -> None:
        """Set the attributes that differ on the stored object; note them for the report.
        Text is compared stripped (cells are read stripped); relations by primary key, so a
        client given by CID is no change when it is the same client."""
        objeto = fila.objeto
        for atributo, nuevo in atributos.items():
            anterior = getattr(objeto, atributo)
            if anterior == nuevo or (isinstance(anterior, str) and anterior.strip() == nuevo):
                continue
            fila.antes[atributo] = anterior
            self._anotar_cambio(fila, atributo, nuevo)
            setattr(objeto, atributo, nuevo)

    def _anotar_cambio(self, fila: Fila, atributo: str, nuevo) -> None:
        entidad = self.entidad
        for relacion in entidad.por_relacion.values():
            if relacion.campo.attname == atributo:
                for columna in relacion.columnas:
                    if columna in fila.valores:
                        anterior = entidad.por_columna[columna].accessor
                        fila.cambios.append(
                            (columna, _texto_guardado(fila.objeto, anterior), fila.valores[columna])
                        )
                return
        fila.cambios.append((entidad.columna_de(atributo), fila.antes[atributo], nuevo))

    def _validar_unicos(self, filas: list[Fila]) -> None:
        """Unique fields other than the key, against the stored rows (one query each) and
        the rest of the file."""
        modelo = self.entidad.modelo
        for atributo, mensaje in self.unicos.items():
            escritas = [f for f in filas if f.nueva or atributo in f.antes]
            valores = {getattr(f.objeto, atributo) for f in escritas} - {None, ""}
            if not valores:
                continue
            ocupados = dict(
                modelo._base_manager.filter(**{f"{atributo}__in": valores}).values_list(
                    atributo, "pk"
                )
            )
            vistos = self.unicos_vistos[atributo]
            columna = self.entidad.columna_de(atributo)
            for fila in escritas:
                valor = getattr(fila.objeto, atributo)
                if valor in (None, ""):
                    continue
                pk = ocupados.get(valor)
                if pk is not None and pk != fila.objeto.pk:
                    fila.error(columna, mensaje)
                elif valor in vistos:
                    fila.error(columna, f"{mensaje} (línea {vistos[valor]} del archivo).")
                else:
                    vistos[valor] = fila.linea
        for unica, vistas in zip(self.unicas, self.unicas_vistas, strict=True):
            self._validar_unica(unica, vistas, filas)

    def _validar_unica(self, unica, vistas: dict[tuple, int], filas: list[Fila]) -> None:
        """A unique constraint of several fields or expressions, against the stored rows (one
        query) and the rest of the file. A row that breaks it gets the model's own error."""
        escritas = [
            (f, clave)
            for f in filas
            if (f.nueva or unica.atributos & f.antes.keys())
            and (clave := unica.clave(f.objeto)) is not None
        ]
        if not escritas:
            return
        ocupadas = unica.ocupadas(self.entidad.modelo, {clave for _, clave in escritas})
        for fila, clave in escritas:
            pk = ocupadas.get(clave)
            if pk is not None and pk != fila.objeto.pk:
                try:  # its message, from the model (one query, only for a bad row)
                    fila.objeto.validate_constraints()
                except ValidationError as error:
                    for campo, mensaje in mensajes_por_campo(error, self.entidad.modelo):
                        fila.error(campo and (self.entidad.columna_de(campo) or campo), mensaje)
                else:
                    fila.error(None, unica.restriccion.get_violation_error_message())
            elif clave in vistas:
                mensaje = unica.restriccion.get_violation_error_message().rstrip(".")
                columna = self.entidad.columna_de(unica.partes[-1][1])
                fila.error(columna, f"{mensaje} (línea {vistas[clave]} del archivo).")
            else:
                vistas[clave] = fila.linea

    def _claves_asignadas(self, nuevas: list[Fila]) -> None:
        """Keys the entity gave on write (the next CID) count as seen: a later row of the
        file that brings the same key is a duplicate, not an update of this one."""
        columnas = self.entidad.clave
        for fila in nuevas:
            if fila.claves:
                continue
            valores = self.entidad.clave_guardada(fila.objeto, columnas)
            fila.claves.append((0, valores))
            fila.valores.update(zip(columnas, valores, strict=True))
            self.vistas.setdefault((0, valores), fila.linea)

    # --- report --------------------------------------------------------------------------------
    def _contar(self, lote: Lote) -> None:
        resultado = self.resultado
        for fila in lote.filas:
            if fila.errores:
                resultado.filas_con_error += 1
                for columna, mensaje in fila.errores:
                    resultado.errores.append(
                        (fila.linea, self.titulos.get(columna, columna), mensaje)
                    )
                continue
            if fila.nueva:
                resultado.creados += 1
            elif fila.cambios:
                resultado.actualizados += 1
            else:
                resultado.sin_cambios += 1
                continue
            self._anotar_diferencias(fila)

    def _anotar_diferencias(self, fila: Fila) -> None:
        diferencias = self.resultado.diferencias
        if len(diferencias) >= MAX_DIFERENCIAS:
            return
        prefijo = f"línea {fila.linea} ({self._describir(fila)})"
        if fila.nueva:
            diferencias.append(f"{prefijo}: nuevo")
            return
        for columna, anterior, nuevo in fila.cambios:
            diferencias.append(f"{prefijo}: {columna}: {_mostrar(anterior)} → {_mostrar(nuevo)}")


def _texto_guardado(objeto, accessor: str):
    """A relation column's stored value, as an export writes it ("" for none)."""
    valor = resolve(objeto, accessor)
    return "" if valor is None else valor


def _mostrar(valor) -> str:
    if hasattr(valor, "isoformat"):
        return repr(valor.isoformat())
    return repr(valor)
