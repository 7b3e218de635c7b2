"""Spreadsheet columns of providers and their services (the lists' export) and their import
definitions."""

from isp_portal.importacion import Entidad, Relacion, registrar
from isp_portal.models import CAMPOS_UBICACION
from isp_portal.validators import normalizar_ruc

from .models import Proveedor, ServicioProveedor

PROVEEDOR_COLUMNS = {c: c for c in ("nombre", "ruc", "contacto", "telefono", "email", "is_active")}

SERVICIO_COLUMNS = {
    "proveedor": "proveedor.nombre",
    **{c: c for c in ("codigo", "modalidad", "tipo", "capacidad_contratada", "estado")},
    **{c: c for c in CAMPOS_UBICACION},
}

# The source documents name the location of a service or a connection with "_enlace".
ALIAS_UBICACION_ENLACE = {f"{c}_enlace": c for c in CAMPOS_UBICACION}


@registrar
class Proveedores(Entidad):
    """Found by RUC, or by nombre when the row has no RUC (or the stored provider has none)."""

    nombre = "proveedores"
    modelo = Proveedor
    columnas = PROVEEDOR_COLUMNS
    clave = ("ruc",)
    clave_alternativa = ("nombre",)
    normalizar = {"ruc": normalizar_ruc}
    alias = {"proveedor": "nombre", "razon_social": "nombre", "correo": "email"}


@registrar
class Servicios(Entidad):
    nombre = "servicios"
    modelo = ServicioProveedor
    columnas = SERVICIO_COLUMNS
    clave = ("proveedor", "codigo")
    relaciones = {"proveedor": Relacion(no_existe="No existe un proveedor con nombre «{}».")}
    alias = {
        "proveedor_nombre": "proveedor",
        "servicio_codigo": "codigo",
        "codigo_circuito": "codigo",
        "capacidad": "capacidad_contratada",
        **ALIAS_UBICACION_ENLACE,
    }
