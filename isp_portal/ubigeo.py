"""Peru's ubigeo (departamento / provincia / distrito) from INEI, shipped as JSON.

Data: isp_portal/data/ubigeo_peru.json (see isp_portal/data/README.md). Lists are returned
in INEI code order. Lookups accept any case and accents ("LIMA", "Ancash", "áncash").
"""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

RUTA_DATOS = Path(__file__).resolve().parent / "data" / "ubigeo_peru.json"
OPCION_VACIA = ("", "---------")

_ESPACIOS = re.compile(r"\s+")


def normalizar(texto: str) -> str:
    """Casefold, strip accents and collapse whitespace: " Áncash " -> "ancash"."""
    descompuesto = unicodedata.normalize("NFKD", str(texto or "").casefold())
    sin_tildes = "".join(c for c in descompuesto if not unicodedata.combining(c))
    return _ESPACIOS.sub(" ", sin_tildes).strip()


@cache
def _datos() -> dict:
    """The raw JSON document, read once."""
    with RUTA_DATOS.open(encoding="utf-8") as archivo:
        return json.load(archivo)


@cache
def _indice() -> dict[str, dict]:
    """normalized departamento -> {"nombre", "provincias": {normalized provincia -> ...}}."""
    indice: dict[str, dict] = {}
    for dep in _datos()["departamentos"]:
        provincias = {}
        for prov in dep["provincias"]:
            nombres = [d["nombre"] for d in prov["distritos"]]
            provincias[normalizar(prov["nombre"])] = {
                "nombre": prov["nombre"],
                "distritos": nombres,
                "por_clave": {normalizar(n): n for n in nombres},
            }
        indice[normalizar(dep["nombre"])] = {"nombre": dep["nombre"], "provincias": provincias}
    return indice


def _departamento(nombre: str) -> dict | None:
    return _indice().get(normalizar(nombre))


def _provincia(departamento: str, provincia: str) -> dict | None:
    dep = _departamento(departamento)
    return dep["provincias"].get(normalizar(provincia)) if dep else None


def departamentos() -> list[str]:
    """All 25 departamentos (canonical spelling)."""
    return [dep["nombre"] for dep in _indice().values()]


def provincias(departamento: str) -> list[str]:
    """Provincias of a departamento; empty list if the departamento is unknown."""
    dep = _departamento(departamento)
    return [prov["nombre"] for prov in dep["provincias"].values()] if dep else []


def distritos(departamento: str, provincia: str) -> list[str]:
    """Distritos of a provincia; empty list if the pair is unknown."""
    prov = _provincia(departamento, provincia)
    return list(prov["distritos"]) if prov else []


def es_par_valido(departamento: str, provincia: str) -> bool:
    """True if the provincia belongs to the departamento."""
    return _provincia(departamento, provincia) is not None


def es_distrito_valido(departamento: str, provincia: str, distrito: str) -> bool:
    """True if the distrito belongs to that departamento/provincia."""
    prov = _provincia(departamento, provincia)
    return prov is not None and normalizar(distrito) in prov["por_clave"]


def canonico_departamento(nombre: str) -> str | None:
    """Stored spelling of a departamento ("ANCASH" -> "Áncash"), or None."""
    dep = _departamento(nombre)
    return dep["nombre"] if dep else None


def canonico_provincia(departamento: str, nombre: str) -> str | None:
    """Stored spelling of a provincia within its departamento, or None."""
    prov = _provincia(departamento, nombre)
    return prov["nombre"] if prov else None


def canonico_distrito(departamento: str, provincia: str, nombre: str) -> str | None:
    """Stored spelling of a distrito within its provincia, or None."""
    prov = _provincia(departamento, provincia)
    return prov["por_clave"].get(normalizar(nombre)) if prov else None


def choices_departamentos() -> list[tuple[str, str]]:
    """Django choices for a departamento select, with an empty first option."""
    return [OPCION_VACIA] + [(n, n) for n in departamentos()]


def choices_provincias(departamento: str) -> list[tuple[str, str]]:
    """Django choices for the provincias of a departamento, with an empty first option."""
    return [OPCION_VACIA] + [(n, n) for n in provincias(departamento)]
