"""Hostile spreadsheets, made here: the import reads the rows an XLSX holds whatever its
declared <dimension>, reads no cell past the header's width, refuses a zip bomb before
parsing it and a file past the row limit, names UTF-16/32 CSVs, and does not take a formula
without a stored value for an empty cell."""

import codecs
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conexiones.models import Nodo
from isp_portal.importacion import ErrorDeImportacion, importar
from isp_portal.importacion.lectores import abrir

pytestmark = pytest.mark.django_db

HOJA = "xl/worksheets/sheet1.xml"
ESPACIO = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def celda(ref: str, texto: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{texto}</t></is></c>'


def fila(numero: int, *celdas: str) -> str:
    return f'<row r="{numero}">{"".join(celdas)}</row>'


def nodo(numero: int, nombre: str) -> str:
    return fila(numero, celda(f"A{numero}", nombre), celda(f"B{numero}", "POP"))


ENCABEZADO = fila(1, celda("A1", "nombre"), celda("B1", "tipo"))


def xlsx(ruta: Path, filas: list[str], *, dimension: str, miembros: dict | None = None) -> Path:
    """An XLSX made by openpyxl whose sheet is replaced by these rows and <dimension>, and
    whose other members are added or replaced by `miembros`."""
    libro = Workbook()
    libro.active.append(["x"])
    base = ruta.with_suffix(".base.xlsx")
    libro.save(base)
    hoja = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ESPACIO}">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(filas)}</sheetData></worksheet>'
    )
    reemplazos = {HOJA: hoja, **(miembros or {})}
    with zipfile.ZipFile(base) as origen, zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as z:
        for nombre in origen.namelist():
            if nombre not in reemplazos:
                z.writestr(nombre, origen.read(nombre))
        for nombre, contenido in reemplazos.items():
            z.writestr(nombre, contenido)
    base.unlink()
    return ruta


def test_una_dimension_enorme_con_una_fila_lejana_no_cuelga(tmp_path):
    """2 KB declaring A1:XFD1048576 with one row at the end: openpyxl filled a million rows
    of 16,384 cells each (hours, in the import's transaction)."""
    ruta = xlsx(
        tmp_path / "lejana.xlsx",
        [ENCABEZADO, nodo(2, "POP-UNO"), nodo(1048576, "POP-LEJOS")],
        dimension="A1:XFD1048576",
    )
    assert ruta.stat().st_size < 10_000
    inicio = time.monotonic()
    with pytest.raises(ErrorDeImportacion, match="datos en la fila 1048576: el máximo es"):
        importar(entidad="nodos", ruta=ruta)
    assert time.monotonic() - inicio < 10
    assert not Nodo.objects.exists()


def test_la_fila_lejana_dentro_del_limite_se_importa(tmp_path, settings):
    settings.IMPORT_MAX_FILAS = 2_000_000
    ruta = xlsx(
        tmp_path / "lejana.xlsx",
        [ENCABEZADO, nodo(2, "POP-UNO"), nodo(1048576, "POP-LEJOS")],
        dimension="A1:XFD1048576",
    )
    inicio = time.monotonic()
    importar(entidad="nodos", ruta=ruta)
    assert time.monotonic() - inicio < 10
    assert set(Nodo.objects.values_list("nombre", flat=True)) == {"POP-UNO", "POP-LEJOS"}


def test_una_dimension_menor_que_los_datos_no_pierde_filas(tmp_path):
    """A1:B2 declared over five rows: the rows past it were dropped, and the import said
    «Importación completa»."""
    filas = [ENCABEZADO] + [nodo(n, f"POP-{n}") for n in range(2, 7)]
    ruta = xlsx(tmp_path / "corta.xlsx", filas, dimension="A1:B2")
    resultado = importar(entidad="nodos", ruta=ruta)
    assert resultado.escrito
    assert Nodo.objects.count() == 5


def test_las_columnas_van_hasta_el_ancho_del_encabezado(tmp_path):
    """A cell at column XFD of a data row is not read, nor are 16,000 empty ones built."""
    lejos = fila(2, celda("A2", "POP-A"), celda("B2", "POP"), celda("XFD2", "basura"))
    ruta = xlsx(tmp_path / "ancha.xlsx", [ENCABEZADO, lejos], dimension="A1:XFD2")
    lector = abrir(ruta)
    try:
        assert lector.encabezados == ["nombre", "tipo"]
        assert list(lector.filas) == [(2, ["POP-A", "POP"])]
    finally:
        lector.cerrar()


def test_un_encabezado_demasiado_ancho_se_rechaza(tmp_path, settings):
    settings.IMPORT_MAX_COLUMNAS = 5
    ancho = fila(1, celda("A1", "nombre"), celda("G1", "otra"))
    ruta = xlsx(tmp_path / "ancho.xlsx", [ancho], dimension="A1:G1")
    with pytest.raises(ErrorDeImportacion, match="7 columnas de encabezado; el máximo es 5"):
        abrir(ruta)


def cadenas_compartidas(cantidad: int, largo: int) -> str:
    texto = "A" * largo
    items = "".join(f"<si><t>{texto}</t></si>" for _ in range(cantidad))
    return f'<sst xmlns="{ESPACIO}" count="{cantidad}" uniqueCount="{cantidad}">{items}</sst>'


def test_una_bomba_de_cadenas_compartidas_se_rechaza_antes_de_leerla(tmp_path, settings):
    """Shared strings that compress a thousand times (1.3 MB that became 600 MB and 760 MB
    of memory): refused from the zip's own figures, before openpyxl loads them."""
    ruta = xlsx(
        tmp_path / "bomba.xlsx",
        [ENCABEZADO, nodo(2, "POP-A")],
        dimension="A1:B2",
        miembros={"xl/sharedStrings.xml": cadenas_compartidas(400, 20_000)},  # 8 MB
    )
    assert ruta.stat().st_size < 100_000
    with pytest.raises(ErrorDeImportacion, match="se expande .* veces"):
        importar(entidad="nodos", ruta=ruta)
    assert not Nodo.objects.exists()


def test_el_tamano_descomprimido_tiene_un_maximo(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_MB = 1
    filas = [ENCABEZADO] + [nodo(n, f"POP-{n:06d}-{n * 7919 % 10007}") for n in range(2, 30_000)]
    ruta = xlsx(tmp_path / "grande.xlsx", filas, dimension="A1:B30000")
    with pytest.raises(ErrorDeImportacion, match="el máximo es 1 MB"):
        abrir(ruta)


def test_una_exportacion_no_es_una_bomba(tmp_path):
    """The ratio limit leaves room for real files: an openpyxl export of 5,000 rows."""
    from isp_portal.importacion.lectores import revisar_zip

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("nodos")
    hoja.append(["nombre", "tipo"])
    for n in range(5000):
        hoja.append([f"POP-{n}", "POP"])
    libro.save(tmp_path / "export.xlsx")
    revisar_zip(tmp_path / "export.xlsx")


def test_filas_de_mas_tambien_en_csv(tmp_path, settings):
    settings.IMPORT_MAX_FILAS = 3
    ruta = tmp_path / "nodos.csv"
    ruta.write_text("nombre,tipo\n" + "".join(f"POP-{n},POP\n" for n in range(5)))
    with pytest.raises(ErrorDeImportacion, match="más de 3 filas"):
        importar(entidad="nodos", ruta=ruta)
    assert not Nodo.objects.exists()


def test_una_formula_sin_valor_guardado_es_un_error(tmp_path):
    formula = fila(2, '<c r="A2" t="str"><f>CONCATENATE("POP-","X")</f></c>', celda("B2", "POP"))
    ruta = xlsx(tmp_path / "formula.xlsx", [ENCABEZADO, formula], dimension="A1:B2")
    with pytest.raises(ErrorDeImportacion, match="celda A2 .*fórmula sin valor calculado"):
        importar(entidad="nodos", ruta=ruta)
    assert not Nodo.objects.exists()


def test_una_formula_con_su_valor_guardado_vale_su_valor(tmp_path):
    formula = fila(
        2, '<c r="A2" t="str"><f>CONCATENATE("POP-","X")</f><v>POP-X</v></c>', celda("B2", "POP")
    )
    ruta = xlsx(tmp_path / "formula.xlsx", [ENCABEZADO, formula], dimension="A1:B2")
    importar(entidad="nodos", ruta=ruta)
    assert list(Nodo.objects.values_list("nombre", flat=True)) == ["POP-X"]


@pytest.mark.parametrize("codificacion", ["utf-16", "utf-16-le", "utf-32", "utf-32-be"])
def test_csv_utf16_y_utf32_con_bom_se_leen(tmp_path, codificacion):
    bom = {
        "utf-16": b"",
        "utf-32": b"",
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codificacion]
    ruta = tmp_path / "nodos.csv"
    ruta.write_bytes(bom + "nombre;tipo\nPOP-Ñaña;POP\n".encode(codificacion))
    importar(entidad="nodos", ruta=ruta)
    assert list(Nodo.objects.values_list("nombre", flat=True)) == ["POP-Ñaña"]


@pytest.mark.parametrize("codificacion", ["utf-16-le", "utf-32-le"])
def test_csv_utf16_o_utf32_sin_bom_se_nombra(tmp_path, codificacion):
    ruta = tmp_path / "nodos.csv"
    ruta.write_bytes("nombre;tipo\nPOP-A;POP\n".encode(codificacion))
    with pytest.raises(ErrorDeImportacion, match="Codificación no admitida .*UTF-16 o UTF-32"):
        importar(entidad="nodos", ruta=ruta)
