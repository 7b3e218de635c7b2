"""Spreadsheet columns of clients and sedes (the lists' export) and their import definitions.

Headers are DESIGN.md's field names, so an export re-imports unchanged.
"""

from django.db.models import Q

from isp_portal.importacion import Entidad, Relacion, registrar
from isp_portal.validators import normalizar_cid, normalizar_ruc

from .models import ClienteCorp, Sede

CLIENTE_COLUMNS = {
    "cid": "cid",
    "cod_erp": "cod_erp",
    "razon_social": "razon_social",
    "ruc": "ruc",
    "responsable": "responsable",
    "telefono": "telefono",
    "correo": "correo",
    "fecha_activacion": "fecha_activacion",
    "is_active": "is_active",
}

SEDE_COLUMNS = {
    "ruc": "cliente.ruc",
    **{c: c for c in ("oficina", "locacion", "direccion", "departamento", "provincia", "distrito")},
}


def buscar_clientes(claves: set[tuple]) -> dict[tuple, int]:
    """Clients by RUC, or by CID (the old system's `cliente_id`), in one query."""
    valores = {v for (v,) in claves}
    por_ruc, por_cid = {}, {}
    for pk, ruc, cid in ClienteCorp.objects.filter(
        Q(ruc__in=valores) | Q(cid__in=valores)
    ).values_list("pk", "ruc", "cid"):
        por_ruc[ruc], por_cid[cid] = pk, pk
    encontrados = {(v,): por_ruc.get(v, por_cid.get(v)) for v in valores}
    return {clave: pk for clave, pk in encontrados.items() if pk is not None}


def _ruc_o_cid(valor: str) -> str:
    """A RUC loses its spaces, dots and dashes; a CID its full-width digits."""
    valor = normalizar_cid(valor)
    compacto = normalizar_ruc(valor)
    return compacto if compacto.isdigit() else valor


# How sedes and connections name their client: its RUC or its CID.
CLIENTE_POR_RUC_O_CID = Relacion(
    buscar=buscar_clientes, normalizar=_ruc_o_cid, no_existe="No existe un cliente con RUC {}."
)


@registrar
class Clientes(Entidad):
    nombre = "clientes"
    modelo = ClienteCorp
    columnas = CLIENTE_COLUMNS
    clave = ("ruc",)
    normalizar = {"ruc": normalizar_ruc}
    alias = {
        "cliente_ruc": "ruc",
        "cliente_razon_social": "razon_social",
        "codigo_erp": "cod_erp",
        "cliente_cid": "cid",
        "estado": "is_active",
        "activo": "is_active",
        "cliente_fecha_activacion": "fecha_activacion",
    }


@registrar
class Sedes(Entidad):
    nombre = "sedes"
    modelo = Sede
    columnas = SEDE_COLUMNS
    clave = ("ruc", "oficina")
    relaciones = {"cliente": CLIENTE_POR_RUC_O_CID}
    alias = {"cliente_ruc": "ruc", "cliente_id": "ruc", "cliente": "ruc", "sede": "oficina"}
