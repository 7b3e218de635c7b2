"""Spreadsheet columns (export and import), with DESIGN.md's field names."""

PROVEEDOR_COLUMNS = {
    "nombre": "nombre",
    "ruc": "ruc",
    "contacto": "contacto",
    "telefono": "telefono",
    "email": "email",
    "is_active": "is_active",
}

SERVICIO_COLUMNS = {
    "proveedor": "proveedor.nombre",
    "codigo": "codigo",
    "modalidad": "modalidad",
    "tipo": "tipo",
    "capacidad_contratada": "capacidad_contratada",
    "estado": "estado",
    "departamento": "departamento",
    "provincia": "provincia",
    "distrito": "distrito",
    "direccion": "direccion",
    "locacion": "locacion",
}
