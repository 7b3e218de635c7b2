"""Peru ubigeo data shipped in isp_portal/data (no database needed)."""

import json

import pytest

from isp_portal import ubigeo


def _documento():
    with ubigeo.RUTA_DATOS.open(encoding="utf-8") as archivo:
        return json.load(archivo)


def test_conteos_exactos():
    deps = _documento()["departamentos"]
    provs = [p for d in deps for p in d["provincias"]]
    dists = [t for p in provs for t in p["distritos"]]
    assert (len(deps), len(provs), len(dists)) == (25, 196, 1893)
    assert len(ubigeo.departamentos()) == 25
    assert sum(len(ubigeo.provincias(d)) for d in ubigeo.departamentos()) == 196
    total = sum(
        len(ubigeo.distritos(d, p)) for d in ubigeo.departamentos() for p in ubigeo.provincias(d)
    )
    assert total == 1893


def test_codigos_unicos_ordenados_y_anidados():
    deps = _documento()["departamentos"]
    assert [d["codigo"] for d in deps] == sorted(d["codigo"] for d in deps)
    codigos = set()
    for dep in deps:
        assert len(dep["codigo"]) == 2
        for prov in dep["provincias"]:
            assert prov["codigo"][:2] == dep["codigo"] and len(prov["codigo"]) == 4
            cods = [t["codigo"] for t in prov["distritos"]]
            assert cods == sorted(cods)
            assert all(c[:4] == prov["codigo"] and len(c) == 6 for c in cods)
            codigos.update(cods)
    assert len(codigos) == 1893


def test_sin_nombres_repetidos_al_normalizar():
    nombres = [ubigeo.normalizar(d) for d in ubigeo.departamentos()]
    assert len(set(nombres)) == len(nombres)
    for dep in ubigeo.departamentos():
        provs = [ubigeo.normalizar(p) for p in ubigeo.provincias(dep)]
        assert len(set(provs)) == len(provs), dep
        for prov in ubigeo.provincias(dep):
            dists = [ubigeo.normalizar(t) for t in ubigeo.distritos(dep, prov)]
            assert len(set(dists)) == len(dists), (dep, prov)


def test_lima_y_callao():
    deps = ubigeo.departamentos()
    assert "Lima" in deps and "Callao" in deps
    assert "Lima" in ubigeo.provincias("Lima")
    assert ubigeo.provincias("Callao") == ["Callao"]
    assert "Mi Perú" in ubigeo.distritos("Callao", "Callao")


def test_nombres_con_tildes_y_particulas():
    deps = ubigeo.departamentos()
    for nombre in ("Áncash", "Junín", "San Martín", "Madre de Dios", "La Libertad", "Cusco"):
        assert nombre in deps
    lima = ubigeo.distritos("Lima", "Lima")
    assert "San Juan de Lurigancho" in lima
    assert "Magdalena del Mar" in lima
    assert "San Martín de Porres" in lima


@pytest.mark.parametrize(
    ("departamento", "provincia", "esperado"),
    [
        ("Lima", "Lima", True),
        ("Lima", "Cañete", True),
        ("Cusco", "Urubamba", True),
        ("Lima", "Arequipa", False),
        ("Callao", "Lima", False),
        ("Atlantida", "Lima", False),
    ],
)
def test_es_par_valido(departamento, provincia, esperado):
    assert ubigeo.es_par_valido(departamento, provincia) is esperado


def test_distritos_de_lima():
    distritos = ubigeo.distritos("Lima", "Lima")
    assert "Miraflores" in distritos
    assert "San Isidro" in distritos
    assert len(distritos) == 43
    assert ubigeo.es_distrito_valido("LIMA", "lima", "miraflores")
    assert ubigeo.es_distrito_valido("Lima", "Lima", "SAN ISIDRO")
    assert not ubigeo.es_distrito_valido("Lima", "Lima", "Cayma")
    assert not ubigeo.es_distrito_valido("Lima", "Barranca", "Miraflores")
    assert ubigeo.distritos("Lima", "Nada") == []


def test_busqueda_sin_mayusculas_ni_tildes():
    assert ubigeo.provincias("LIMA") == ubigeo.provincias("lima") == ubigeo.provincias("Lima")
    assert ubigeo.provincias("Ancash") == ubigeo.provincias("Áncash") != []
    assert ubigeo.es_par_valido("  junin ", "HUANCAYO")
    assert ubigeo.es_par_valido("san martin", "Moyobamba")
    assert ubigeo.es_par_valido("Lima", "CANETE")
    assert ubigeo.provincias("Atlántida") == []


def test_normalizar():
    assert ubigeo.normalizar("  ÁNCASH ") == "ancash"
    assert ubigeo.normalizar("San   Martín\tde Porres") == "san martin de porres"
    assert ubigeo.normalizar("Cañete") == "canete"
    assert ubigeo.normalizar("") == ""


def test_canonicos():
    assert ubigeo.canonico_departamento("ANCASH") == "Áncash"
    assert ubigeo.canonico_departamento("junin") == "Junín"
    assert ubigeo.canonico_departamento("Lima Metropolitana") is None
    assert ubigeo.canonico_provincia("lima", "CANETE") == "Cañete"
    assert ubigeo.canonico_provincia("Lima", "Cusco") is None
    assert ubigeo.canonico_provincia("Nada", "Lima") is None
    assert (
        ubigeo.canonico_distrito("LIMA", "LIMA", "SAN MARTIN DE PORRES") == "San Martín de Porres"
    )
    assert ubigeo.canonico_distrito("Lima", "Lima", "Cayma") is None


def test_choices():
    deps = ubigeo.choices_departamentos()
    assert deps[0] == ("", "---------")
    assert len(deps) == 26
    assert ("Lima", "Lima") in deps
    provs = ubigeo.choices_provincias("lima")
    assert provs[0] == ("", "---------")
    assert ("Lima", "Lima") in provs and len(provs) == 11
    assert ubigeo.choices_provincias("Nada") == [("", "---------")]


def test_listas_devueltas_son_copias():
    ubigeo.departamentos().append("X")
    ubigeo.provincias("Lima").append("X")
    ubigeo.distritos("Lima", "Lima").append("X")
    assert "X" not in ubigeo.departamentos()
    assert "X" not in ubigeo.provincias("Lima")
    assert "X" not in ubigeo.distritos("Lima", "Lima")
