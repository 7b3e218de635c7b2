"""Readers of the spreadsheets an import takes: CSV (any usual encoding/delimiter) and XLSX.

Both stream: rows are yielded one at a time with the line number they start on in the file
(the header is line 1), so an import of 100k rows never holds the whole file in memory.
"""

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from isp_portal.tables import sin_comilla_de_guardia

from .errores import ErrorDeImportacion

BLOQUE_LECTURA = 1 << 20
DELIMITADORES = (";", ",", "\t", "|")
NOMBRES_DELIMITADOR = {
    "tab": "\t",
    "\\t": "\t",
    "tabulador": "\t",
    "coma": ",",
    "punto y coma": ";",
}

# Big enough for pasted router configurations (configuracion_nodo_a/b).
csv.field_size_limit(10 * 1024 * 1024)


@dataclass
class Lector:
    """An opened spreadsheet: `encabezados` and an iterator of (línea, valores)."""

    ruta: Path
    encabezados: list[str]
    filas: Iterator[tuple[int, list]]
    total: int | None = None
    detalle: str = ""
    _cerrar: list = field(default_factory=list)
    linea_actual: Callable[[], object] = lambda: "?"  # the reader's current line, for errors

    def cerrar(self) -> None:
        for cerrar in self._cerrar:
            cerrar()


def abrir(ruta, *, hoja: str | None = None, delimitador: str | None = None) -> Lector:
    """Open a .csv or .xlsx file for import; ErrorDeImportacion with a Spanish message otherwise."""
    ruta = Path(ruta)
    if not ruta.is_file():
        raise ErrorDeImportacion(f"No se encuentra el archivo «{ruta}».")
    sufijo = ruta.suffix.lower()
    if sufijo == ".xlsx":
        return _abrir_xlsx(ruta, hoja)
    if sufijo in (".csv", ".txt"):
        return _abrir_csv(ruta, delimitador)
    raise ErrorDeImportacion(f"Formato no admitido «{ruta.suffix}»: use un archivo .csv o .xlsx.")


def detectar_codificacion(ruta: Path) -> str:
    """utf-8-sig for UTF-8 (with or without BOM); otherwise Windows-1252, or Latin-1."""
    with ruta.open("rb") as archivo:
        decodificador = codecs.getincrementaldecoder("utf-8")()
        try:
            while bloque := archivo.read(BLOQUE_LECTURA):
                decodificador.decode(bloque)
            decodificador.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        archivo.seek(0)
        try:
            while bloque := archivo.read(BLOQUE_LECTURA):
                bloque.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def _delimitador(nombre: str | None, primera_linea: str) -> str:
    if nombre:
        nombre = NOMBRES_DELIMITADOR.get(nombre.lower(), nombre)
        if len(nombre) != 1:
            raise ErrorDeImportacion(f"Delimitador no válido «{nombre}»: use un solo carácter.")
        return nombre
    # The header holds no quoted delimiters in practice: the most frequent candidate wins.
    return max(DELIMITADORES, key=lambda d: (primera_linea.count(d), d == ","))


def _contar_lineas(ruta: Path) -> int:
    with ruta.open("rb") as archivo:
        bloques = iter(lambda: archivo.read(BLOQUE_LECTURA), b"")
        return sum(bloque.count(b"\n") for bloque in bloques)


def _abrir_csv(ruta: Path, delimitador: str | None) -> Lector:
    codificacion = detectar_codificacion(ruta)
    archivo = ruta.open(encoding=codificacion, newline="")
    primera = archivo.readline()
    archivo.seek(0)
    delim = _delimitador(delimitador, primera)
    lector = csv.reader(archivo, delimiter=delim)
    try:
        encabezados = next(lector)
    except StopIteration:
        archivo.close()
        raise ErrorDeImportacion(f"El archivo «{ruta.name}» está vacío.") from None

    def filas():
        inicio = lector.line_num + 1
        for valores in lector:
            if "".join(valores).strip():  # not a blank line
                # The export guards text a spreadsheet would evaluate (isp_portal.tables);
                # XLSX cells need no guard: the export writes them as plain strings.
                yield inicio, [sin_comilla_de_guardia(v) for v in valores]
            inicio = lector.line_num + 1

    nombre_delim = {"\t": "tabulador"}.get(delim, f"«{delim}»")
    return Lector(
        ruta=ruta,
        encabezados=encabezados,
        filas=filas(),
        detalle=f"CSV {codificacion}, delimitador {nombre_delim}",
        _cerrar=[archivo.close],
        linea_actual=lambda: lector.line_num,
    )


def _abrir_xlsx(ruta: Path, hoja: str | None) -> Lector:
    from openpyxl import load_workbook

    try:
        libro = load_workbook(ruta, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ErrorDeImportacion(f"No se pudo leer «{ruta.name}» como XLSX: {exc}") from None
    if hoja is None:
        hoja_obj = libro.worksheets[0]
    elif hoja in libro.sheetnames:
        hoja_obj = libro[hoja]
    else:
        libro.close()
        raise ErrorDeImportacion(
            f"El libro no tiene la hoja «{hoja}». Hojas: {', '.join(libro.sheetnames)}."
        )
    filas_hoja = hoja_obj.iter_rows(values_only=True)
    encabezados = next(filas_hoja, None)
    if encabezados is None:
        libro.close()
        raise ErrorDeImportacion(f"La hoja «{hoja_obj.title}» está vacía.")
    encabezados = ["" if v is None else str(v) for v in encabezados]

    def filas():
        for linea, valores in enumerate(filas_hoja, start=2):
            valores = ["" if v is None else v for v in valores]
            if any(v.strip() if isinstance(v, str) else v != "" for v in valores):
                yield linea, valores

    total = hoja_obj.max_row - 1 if hoja_obj.max_row else None
    return Lector(
        ruta=ruta,
        encabezados=encabezados,
        filas=filas(),
        total=total,
        detalle=f"XLSX, hoja «{hoja_obj.title}»",
        _cerrar=[libro.close],
    )


def contar_filas(lector: Lector) -> int | None:
    """Rows after the header, for the progress bar (an estimate for CSV)."""
    if lector.total is None and lector.ruta.suffix.lower() != ".xlsx":
        lector.total = max(_contar_lineas(lector.ruta) - 1, 0)
    return lector.total
