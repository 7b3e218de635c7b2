"""Spreadsheet columns of each entity: what a list exports and what an import reads.

Headers are DESIGN.md's field names, so an export re-imports unchanged.
"""

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
    "oficina": "oficina",
    "locacion": "locacion",
    "direccion": "direccion",
    "departamento": "departamento",
    "provincia": "provincia",
    "distrito": "distrito",
}
