"""The import engine: spreadsheets (CSV/XLSX) of any registered entity, upserted by natural key.

- `importar(entidad=…, ruta=…, dry_run=…, permitir_sobresuscripcion=…, usuario=…)` runs an
  import and returns a `Resultado` (counts, row errors, changes); `ErrorDeImportacion` when
  the file cannot be imported at all. `manage.py importar` is one caller; a page or the API
  can be another.
- Apps declare their entities in `<app>/importacion.py` (`Entidad`, `Relacion`,
  `@registrar`); `descubrir()` imports those modules at start-up. The engine imports no app.
"""

from .definicion import REGISTRO, Entidad, Relacion, descubrir, registrar
from .errores import ErrorDeImportacion, LoteConErrores
from .motor import Fila, Lote, Resultado, importar

__all__ = [
    "REGISTRO",
    "Entidad",
    "ErrorDeImportacion",
    "Fila",
    "Lote",
    "LoteConErrores",
    "Relacion",
    "Resultado",
    "descubrir",
    "importar",
    "registrar",
]
