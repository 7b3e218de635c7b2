"""Spreadsheet imports (CSV/XLSX) of every entity, upserting by natural key.

Entry point: `importar(entidad=..., ruta=...)`, used by `manage.py importar`.
"""

from .motor import Resultado, importar

__all__ = ["Resultado", "importar"]
