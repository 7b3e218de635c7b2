"""The import run: read → convert → resolve relations → compare → write, batch by batch.

One transaction for the whole file. Every row is validated; as soon as one is bad the
following batches are still validated but no longer written, and the transaction is rolled
back at the end, so a bad file changes nothing and every bad row is reported. `--dry-run`
runs the same way and always rolls back, so its counts are exactly those of a real run.
"""

import csv
import itertools
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from .base import REQUERIDO, Entidad, Fila, clave_encabezado
from .campos import OMITIR
from .escritura import Escritura, en
from .lectores import Lector, abrir, contar_filas

TAM_LOTE = 2000
MAX_DIFERENCIAS = 20


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


def importar(
    *,
    entidad: str,
    ruta,
    dry_run: bool = False,
    hoja: str | None = None,
    delimitador: str | None = None,
    tam_lote: int = TAM_LOTE,
    progreso: bool = False,
) -> Resultado:
    """Import a spreadsheet of `entidad`; nothing is written unless every row is good."""
    from .entidades import ENTIDADES

    if entidad not in ENTIDADES:
        raise CommandError(f"Entidad desconocida «{entidad}». Use una de: {', '.join(ENTIDADES)}.")
    definicion = ENTIDADES[entidad]()
    lector = abrir(ruta, hoja=hoja, delimitador=delimitador)
    try:
        return Importacion(definicion, lector, dry_run=dry_run, tam_lote=tam_lote).ejecutar(
            progreso=progreso
        )
    finally:
        lector.cerrar()


class Importacion:
    def __init__(self, entidad: Entidad, lector: Lector, *, dry_run: bool, tam_lote: int):
        self.entidad = entidad
        self.lector = lector
        self.dry_run = dry_run
        self.tam_lote = tam_lote
        self.resultado = Resultado(
            entidad=entidad.nombre, archivo=lector.ruta.name, detalle=lector.detalle
        )
        self.indices = self._mapear_encabezados(lector.encabezados)
        self.titulos = {c: lector.encabezados[i] for c, i in self.indices.items()}
        self.convertidores = [
            (c, i, entidad.columnas[c].convertir) for c, i in self.indices.items()
        ]
        self.vistos: dict[tuple, int] = {}
        self.unicos_vistos: dict[str, dict] = {c: {} for c in entidad.unicos}

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
                raise CommandError(
                    f"La columna «{columna}» aparece dos veces en el encabezado "
                    f"(«{encabezados[indices[columna]]}» y «{encabezado}»)."
                )
            else:
                indices[columna] = i
        faltan = [c for c in self.entidad.obligatorias if c not in indices]
        if faltan:
            raise CommandError(
                f"Faltan columnas obligatorias en «{self.lector.ruta.name}»: "
                f"{', '.join(faltan)}. Columnas esperadas: "
                f"{', '.join(self.entidad.columnas)}."
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
        # Pure Python (reading and converting, comparing with the stored rows, encoding the
        # writes) runs in a helper thread while this one waits on the database: batch N is
        # compared while batch N-1 is written. The batch's stored rows are read before the
        # previous batch is written, which changes nothing: a key appears once in a file.
        try:
            with (
                _hilos_alternan_rapido(),
                transaction.atomic(),
                ThreadPoolExecutor(max_workers=1) as ayudante,
            ):
                siguiente = ayudante.submit(self._leer_lote)
                pendiente = None
                while filas := siguiente.result():
                    existentes, ocupados = self._consultar(filas)
                    comparacion = ayudante.submit(self._comparar, filas, existentes, ocupados)
                    siguiente = ayudante.submit(self._leer_lote)
                    if pendiente:
                        self._escribir(*pendiente)
                    pendiente = self._contar(filas, comparacion.result())
                    if barra:
                        barra.update(len(filas))
                if pendiente:
                    self._escribir(*pendiente)
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
                self._convertir(linea, valores)
                for linea, valores in itertools.islice(self.lector.filas, self.tam_lote)
            ]
        except csv.Error as error:
            raise CommandError(
                f"«{self.lector.ruta.name}» no es un CSV válido cerca de la línea "
                f"{self.lector.linea_actual()}: {error}"
            ) from None

    def _consultar(self, filas: list[Fila]) -> tuple:
        """What the batch needs from the database: related rows, stored rows (locked when
        the entity asks) and, per unique field, the rows holding the file's values."""
        self._resolver_relaciones(filas)
        validas = [f for f in filas if f.clave is not None and not f.errores]
        existentes = self.entidad.existentes(validas, bloquear=self.entidad.bloquear)
        modelo = self.entidad.modelo
        ocupados = {}
        for campo in self.entidad.unicos:
            columna = self.entidad.columna_de(campo)
            valores = {f.valores.get(columna) for f in validas} - {None, "", OMITIR}
            consulta = modelo.objects.filter(en(modelo, campo, valores))
            ocupados[campo] = dict(consulta.values_list(campo, "pk")) if valores else {}
        return existentes, ocupados

    def _comparar(self, filas: list[Fila], existentes, ocupados: dict) -> Escritura:
        """Merge each row into its stored (or a new) object and check it; runs in the helper
        thread, so it may not touch the database."""
        entidad = self.entidad
        with connection.execute_wrapper(_sin_base_de_datos):
            if callable(existentes):
                existentes = existentes()
            for fila in filas:
                if fila.errores or fila.clave is None:
                    continue
                fila.objeto = entidad.buscar_existente(fila, existentes)
                if fila.objeto is None:
                    fila.nuevo = True
                    fila.objeto = entidad.nuevo_objeto()
                entidad.aplicar(fila)
                entidad.validar(fila)
            self._validar_unicos(filas, ocupados)
            cambiadas = [f for f in filas if not f.errores and (f.nuevo or f.cambios)]
            return entidad.preparar_escritura(cambiadas, archivo=self.lector.ruta.name)

    def _contar(self, filas: list[Fila], escritura: Escritura):
        """Count and report the batch; what is left to write, if anything."""
        buenas = []
        for fila in filas:
            if fila.errores:
                self.resultado.filas_con_error += 1
                for columna, mensaje in fila.errores:
                    self.resultado.errores.append(
                        (fila.linea, self.titulos.get(columna, columna), mensaje)
                    )
                continue
            if fila.nuevo:
                self.resultado.creados += 1
            elif fila.cambios:
                self.resultado.actualizados += 1
            else:
                self.resultado.sin_cambios += 1
                continue
            self._anotar_diferencias(fila)
            buenas.append(fila)
        # Once a row is bad nothing is written (all or nothing): the rest is only checked.
        return (buenas, escritura) if buenas and not self.resultado.errores else None

    def _escribir(self, filas: list[Fila], escritura: Escritura) -> None:
        if self.resultado.errores:
            return
        archivo = self.lector.ruta.name
        try:
            with transaction.atomic():
                escritura.ejecutar()
                self.entidad.despues_de_escribir(filas, archivo=archivo)
        except ValidationError as error:
            # Rules checked under the write locks (the AjusteBW ledger).
            self._error_de_escritura(filas, error)
        except IntegrityError as error:
            self.resultado.filas_con_error += 1
            self.resultado.errores.append(
                (filas[0].linea, None, f"La base de datos rechazó el lote: {error}")
            )

    def _error_de_escritura(self, filas: list[Fila], error: ValidationError) -> None:
        linea = getattr(error, "linea", filas[0].linea)
        self.resultado.filas_con_error += 1
        for mensaje in error.messages:
            self.resultado.errores.append((linea, None, mensaje))

    def _convertir(self, linea: int, crudos: list) -> Fila:
        valores = {}
        fila = Fila(linea, valores)
        n = len(crudos)
        for nombre, indice, convertir in self.convertidores:
            try:
                valores[nombre] = convertir(crudos[indice] if indice < n else "")
            except ValidationError as error:
                fila.error(nombre, error)
        self.entidad.preparar(fila)
        for nombre in self.entidad.clave:
            valor = valores.get(nombre, True)
            vacia = valor is None or valor is OMITIR or valor == ""
            if vacia and not any(c == nombre for c, _ in fila.errores):
                fila.error(nombre, REQUERIDO)
        fila.clave = self.entidad.clave_de(fila)
        if fila.clave is not None:
            anterior = self.vistos.get(fila.clave)
            if anterior is not None:
                fila.error(
                    self.entidad.clave[-1],
                    f"Duplicado: la línea {anterior} ya trae {self.entidad.describir(fila.clave)}.",
                )
            else:
                self.vistos[fila.clave] = linea
        return fila

    def _resolver_relaciones(self, filas: list[Fila]) -> None:
        """Each relation of the batch is resolved with one query (`<key>__in`)."""
        for relacion in self.entidad.relaciones:
            if not any(c in self.indices for c in relacion.columnas):
                continue
            pendientes: list[tuple[Fila, tuple]] = []
            for fila in filas:
                clave = tuple(fila.valores.get(c, "") for c in relacion.columnas)
                if any(c in fila.valores and fila.valores[c] is OMITIR for c in relacion.columnas):
                    continue
                vacias = [c for c, v in zip(relacion.columnas, clave, strict=True) if v == ""]
                if len(vacias) == len(clave):
                    if relacion.obligatoria:
                        if not any(c == relacion.columnas[0] for c, _ in fila.errores):
                            fila.error(relacion.columnas[0], REQUERIDO)
                    else:
                        fila.ids[relacion.campo] = None
                    continue
                if vacias:
                    for c in vacias:
                        fila.error(c, REQUERIDO)
                    continue
                pendientes.append((fila, clave))
            encontrados = relacion.buscar({c for _, c in pendientes}) if pendientes else {}
            for fila, clave in pendientes:
                pk = encontrados.get(clave)
                if pk is None:
                    fila.error(relacion.columnas[0], relacion.no_existe(clave))
                else:
                    fila.ids[relacion.campo] = pk

    def _validar_unicos(self, filas: list[Fila], ocupados: dict) -> None:
        """Unique fields other than the key: against the stored rows (`ocupados`, read with
        the batch) and the rest of the file."""
        for campo, mensaje in self.entidad.unicos.items():
            vistos = self.unicos_vistos[campo]
            for fila in filas:
                if fila.errores or not (fila.nuevo or campo in fila.campos):
                    continue
                valor = getattr(fila.objeto, campo)
                if valor == "":
                    continue
                pk = ocupados[campo].get(valor)
                if pk is not None and pk != fila.objeto.pk:
                    fila.error(campo, mensaje)
                elif valor in vistos and vistos[valor][1] != fila.clave:
                    fila.error(campo, f"{mensaje} (línea {vistos[valor][0]} del archivo).")
                else:
                    vistos[valor] = (fila.linea, fila.clave)

    def _anotar_diferencias(self, fila: Fila) -> None:
        diferencias = self.resultado.diferencias
        if len(diferencias) >= MAX_DIFERENCIAS:
            return
        prefijo = f"línea {fila.linea} ({self.entidad.describir(fila.clave)})"
        if fila.nuevo:
            diferencias.append(f"{prefijo}: nuevo")
            return
        for columna, anterior, nuevo in fila.cambios:
            diferencias.append(f"{prefijo}: {columna}: {_mostrar(anterior)} → {_mostrar(nuevo)}")


def _mostrar(valor) -> str:
    if hasattr(valor, "isoformat"):
        return repr(valor.isoformat())
    return repr(valor)


@contextmanager
def _hilos_alternan_rapido():
    """This thread needs the GIL back each time PostgreSQL answers, while the helper thread
    computes: by default it may wait 5 ms for it, a round trip's worth, a few times per
    statement. 0.5 ms slices keep the database busy."""
    anterior = sys.getswitchinterval()
    sys.setswitchinterval(min(anterior, 0.0005))
    try:
        yield
    finally:
        sys.setswitchinterval(anterior)


def _sin_base_de_datos(execute, sql, params, many, context):
    raise RuntimeError("La comparación de un lote no puede consultar la base de datos.")
