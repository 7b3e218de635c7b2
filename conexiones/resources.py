"""Spreadsheet columns (export and import), with DESIGN.md's field names."""

from isp_portal.models import CAMPOS_UBICACION

CONEXION_COLUMNS = {
    "cid_enlace": "cid_enlace",
    "cliente_ruc": "cliente.ruc",
    "proveedor": "servicio.proveedor.nombre",
    "servicio_codigo": "servicio.codigo",
    "tipo_enlace": "tipo_enlace",
    "modalidad_enlace": "modalidad_enlace",
    "estado": "estado",
    "fecha_activacion": "fecha_activacion",
    "bw_contratado": "bw_contratado",
    "bw_utilizado": "bw_utilizado",
    "departamento": "departamento",
    "provincia": "provincia",
    "distrito": "distrito",
    "direccion": "direccion",
    "locacion": "locacion",
    "nodo_a": "nodo_a.nombre",
    "configuracion_nodo_a": "configuracion_nodo_a",
    "nodo_b": "nodo_b.nombre",
    "configuracion_nodo_b": "configuracion_nodo_b",
}

NODO_COLUMNS = {campo: campo for campo in ("nombre", "tipo", *CAMPOS_UBICACION)}

EQUIPO_COLUMNS = {
    "serie": "serie",
    "tipo": "tipo",
    "marca": "marca",
    "modelo": "modelo",
    "cid_enlace": "conexion.cid_enlace",
}

# Export only: who to notify when a node or provider service fails.
IMPACTO_COLUMNS = {
    "cid_enlace": "cid_enlace",
    "cliente": "cliente.razon_social",
    "cliente_ruc": "cliente.ruc",
    "responsable": "cliente.responsable",
    "telefono": "cliente.telefono",
    "correo": "cliente.correo",
    "estado": "estado",
    "bw_contratado": "bw_contratado",
    "proveedor": "servicio.proveedor.nombre",
    "servicio_codigo": "servicio.codigo",
    "departamento": "departamento",
    "provincia": "provincia",
    "distrito": "distrito",
    "direccion": "direccion",
    "locacion": "locacion",
}
