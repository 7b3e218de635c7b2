"""Readers of the spreadsheets an import takes: CSV (any usual encoding/delimiter) and XLSX.

Both stream: rows are yielded one at a time with the line number they start on in the file
(the header is line 1), so an import of 100k rows never holds the whole file in memory.
"""

import codecs
import csv
import zipfile
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


# UTF-32 first: its little-endian BOM starts with UTF-16's.
BOMS_UNICODE = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodifica(archivo, codificacion: str) -> bool:
    archivo.seek(0)
    decodificador = codecs.getincrementaldecoder(codificacion)()
    try:
        while bloque := archivo.read(BLOQUE_LECTURA):
            decodificador.decode(bloque)
        decodificador.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detectar_codificacion(ruta: Path) -> str:
    """utf-8-sig for UTF-8 (with or without BOM); UTF-16 or UTF-32 with their BOM (Excel's
    "Unicode text"); otherwise Windows-1252, or Latin-1. UTF-16/32 without a BOM (many NUL
    bytes) is refused by name: read as Latin-1 it became text full of NULs."""
    with ruta.open("rb") as archivo:
        inicio = archivo.read(BLOQUE_LECTURA)
        for bom, codificacion in BOMS_UNICODE:
            if inicio.startswith(bom):
                if _decodifica(archivo, codificacion):
                    return codificacion
                raise ErrorDeImportacion(
                    f"«{ruta.name}» empieza como {codificacion.upper()} pero no es texto "
                    f"{codificacion.upper()} válido: guárdelo como CSV UTF-8."
                )
        if inicio.count(b"\x00") * 10 > len(inicio):
            raise ErrorDeImportacion(
                f"Codificación no admitida en «{ruta.name}»: parece UTF-16 o UTF-32 sin marca "
                "de orden de bytes (BOM). Guárdelo como CSV UTF-8."
            )
        if _decodifica(archivo, "utf-8"):
            return "utf-8-sig"
        if _decodifica(archivo, "cp1252"):
            return "cp1252"
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

    max_filas = _limites()[0]

    def filas():
        inicio = lector.line_num + 1
        leidas = 0
        for valores in lector:
            if "".join(valores).strip():  # not a blank line
                leidas += 1
                if leidas > max_filas:
                    raise ErrorDeImportacion(
                        f"«{ruta.name}» tiene más de {max_filas} filas (línea {inicio}): es el "
                        "máximo por archivo. Divídalo en varios archivos."
                    )
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


MIB = 1024 * 1024
# A member this small may compress as much as it likes: the ratio is a zip bomb's mark only
# past it.
MIEMBRO_SIN_RATIO = MIB


def _limites():
    from django.conf import settings

    return (
        settings.IMPORT_MAX_FILAS,
        settings.IMPORT_MAX_COLUMNAS,
        settings.IMPORT_XLSX_MAX_MB,
        settings.IMPORT_XLSX_MAX_RATIO,
    )


def revisar_zip(ruta: Path) -> None:
    """Refuse an XLSX whose members would expand past settings.IMPORT_XLSX_MAX_MB in all, or
    a member that expands more than IMPORT_XLSX_MAX_RATIO times its compressed size (a zip
    bomb: 1 MB of shared strings that become 600 MB in memory), before anything is parsed.

    The sizes are those the zip declares; zipfile never inflates a member past its declared
    size (a member that lies fails its CRC check), so they bound what parsing reads.
    """
    _, _, maximo_mb, ratio_maximo = _limites()
    try:
        with zipfile.ZipFile(ruta) as archivo:
            miembros = archivo.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ErrorDeImportacion(f"No se pudo leer «{ruta.name}» como XLSX: {exc}") from None
    total = 0
    for miembro in miembros:
        total += miembro.file_size
        ratio = miembro.file_size / max(miembro.compress_size, 1)
        if miembro.file_size > MIEMBRO_SIN_RATIO and ratio > ratio_maximo:
            raise ErrorDeImportacion(
                f"«{ruta.name}» no se importa: su parte «{miembro.filename}» se expande "
                f"{ratio:.0f} veces al descomprimirla (el máximo es {ratio_maximo}), como una "
                "bomba de compresión. Guarde el archivo de nuevo desde Excel o expórtelo a CSV."
            )
    if total > maximo_mb * MIB:
        raise ErrorDeImportacion(
            f"«{ruta.name}» no se importa: descomprimido ocupa {total / MIB:.0f} MB y el máximo "
            f"es {maximo_mb} MB. Divídalo en varios archivos o expórtelo a CSV."
        )


class FormulaSinValor:
    """A formula cell whose file keeps no computed value (written by a program, never opened
    in Excel): reading it as empty would silently blank the field."""

    def __init__(self, coordenada: str):
        self.coordenada = coordenada


def _parser_xlsx(hoja, libro, fuente):
    """openpyxl's own sheet parser (openpyxl is pinned: these are its read-only worksheet's
    internals), telling a formula without a stored value from an empty cell."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            celda = super().parse_cell(element)
            if celda["value"] is None and element.find(FORMULA_TAG) is not None:
                celda["value"] = FormulaSinValor(element.get("r") or "?")
            return celda

    return Parser(
        fuente,
        hoja._shared_strings,
        data_only=True,
        epoch=libro.epoch,
        date_formats=libro._date_formats,
        timedelta_formats=libro._timedelta_formats,
    )


def _filas_xlsx(hoja, libro):
    """(line, {column: value}) of each row the sheet's XML holds, as it holds them: the
    declared <dimension> is not read (a huge one made openpyxl fill millions of empty rows, a
    small one cut the rows past it)."""
    with hoja._get_source() as fuente:
        for linea, celdas in _parser_xlsx(hoja, libro, fuente).parse():
            yield linea, {c["column"]: c["value"] for c in celdas if c["value"] is not None}


def _sin_formulas(valores, linea: int, nombre: str) -> None:
    for valor in valores:
        if isinstance(valor, FormulaSinValor):
            raise ErrorDeImportacion(
                f"«{nombre}», celda {valor.coordenada} (línea {linea}): es una fórmula sin valor "
                "calculado guardado. Abra el archivo en Excel y guárdelo, o pegue solo los "
                "valores."
            )


def _abrir_xlsx(ruta: Path, hoja: str | None) -> Lector:
    from openpyxl import load_workbook

    max_filas, max_columnas, _, _ = _limites()
    revisar_zip(ruta)
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
    filas_hoja = _filas_xlsx(hoja_obj, libro)
    try:
        linea, primera = next(filas_hoja, (None, None))
        if linea != 1 or not primera:
            raise ErrorDeImportacion(
                f"La hoja «{hoja_obj.title}» está vacía o su primera fila no tiene encabezados."
            )
        # The header's width is its last named column; cells past it are not read.
        ancho = max(primera)
        if ancho > max_columnas:
            raise ErrorDeImportacion(
                f"La hoja «{hoja_obj.title}» tiene {ancho} columnas de encabezado; el máximo "
                f"es {max_columnas}."
            )
        encabezados = [primera.get(c) for c in range(1, ancho + 1)]
        _sin_formulas(encabezados, 1, ruta.name)
    except ErrorDeImportacion:
        libro.close()
        raise
    except Exception as exc:  # a broken sheet XML, a shared string that does not exist
        libro.close()
        raise ErrorDeImportacion(f"No se pudo leer «{ruta.name}» como XLSX: {exc}") from None
    encabezados = ["" if v is None else str(v) for v in encabezados]

    def filas():
        try:
            for linea, celdas in filas_hoja:
                valores = ["" if celdas.get(c) is None else celdas[c] for c in range(1, ancho + 1)]
                if not any(v.strip() if isinstance(v, str) else v != "" for v in valores):
                    continue
                if linea - 1 > max_filas:
                    raise ErrorDeImportacion(
                        f"La hoja «{hoja_obj.title}» tiene datos en la fila {linea}: el máximo "
                        f"es {max_filas} filas por archivo. Divídalo en varios archivos."
                    )
                _sin_formulas(valores, linea, ruta.name)
                yield linea, valores
        except ErrorDeImportacion:
            raise
        except Exception as exc:
            raise ErrorDeImportacion(f"No se pudo leer «{ruta.name}» como XLSX: {exc}") from None

    return Lector(
        ruta=ruta,
        encabezados=encabezados,
        filas=filas(),
        total=None,
        detalle=f"XLSX, hoja «{hoja_obj.title}»",
        _cerrar=[libro.close],
    )


def contar_filas(lector: Lector) -> int | None:
    """Rows after the header, for the progress bar (an estimate for CSV; unknown for XLSX,
    whose declared dimension is not trusted)."""
    if lector.total is None and lector.ruta.suffix.lower() != ".xlsx":
        lector.total = max(_contar_lineas(lector.ruta) - 1, 0)
    return lector.total
