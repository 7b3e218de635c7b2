"""Data steps shared by the apps' migrations (they receive the migration's models).

Kept out of the migration files so tests can run them on rows written around validation.
"""

import re
import unicodedata
from collections.abc import Callable

from django.db import migrations


def corregir_cids(
    modelo, campo: str, patron: str, *, escribir: Callable[[str], None] = print
) -> tuple[int, int]:
    """Stored CIDs that break `patron`: each is fixed when its NFKC form without surrounding
    spaces matches and no other row has it ("１３１" → "131"), otherwise left as it is; both
    are reported through `escribir`. Returns (fixed, left)."""
    regla = re.compile(patron)
    filas = modelo._base_manager.order_by("pk").values_list("pk", campo)
    usados = set()
    malos = []
    for pk, valor in filas.iterator(chunk_size=5000):
        usados.add(valor)
        if not regla.fullmatch(valor):
            malos.append((pk, valor))
    if not malos:
        return 0, 0
    nombre = f"{modelo._meta.label}.{campo}"
    corregidos, dejados = [], []
    for pk, valor in malos:
        nuevo = unicodedata.normalize("NFKC", valor).strip()
        if not regla.fullmatch(nuevo):
            dejados.append(f"  id {pk}: «{valor}» sin corregir: tiene caracteres no admitidos.")
        elif nuevo in usados:
            dejados.append(f"  id {pk}: «{valor}» sin corregir: «{nuevo}» ya existe.")
        else:
            modelo._base_manager.filter(pk=pk).update(**{campo: nuevo})
            usados.add(nuevo)
            corregidos.append(f"  id {pk}: «{valor}» → «{nuevo}»")
    # On its own line: migrate prints "Applying …" without a newline before running it.
    escribir(f"\n{nombre}: {len(corregidos)} corregidos, {len(dejados)} por revisar a mano.")
    for linea in corregidos + dejados:
        escribir(linea)
    return len(corregidos), len(dejados)


def exigir_maximo(modelo, campo: str, maximo: int) -> None:
    """Before a check constraint bounds `campo`: refuse to go on while rows exceed it,
    naming them (which figure is right is the operator's call, not the migration's)."""
    excedidos = list(
        modelo._base_manager.filter(**{f"{campo}__gt": maximo})
        .order_by("pk")
        .values_list("pk", campo)[:20]
    )
    if excedidos:
        filas = ", ".join(f"id {pk} ({valor})" for pk, valor in excedidos)
        raise RuntimeError(
            f"{modelo._meta.label}.{campo} supera {maximo} Mbps en: {filas}. Corrija esas "
            "filas (Ajustar BW) antes de migrar."
        )


def sin_disparadores_sqlite(tabla: str, operaciones: list) -> list:
    """`operaciones` that make SQLite rebuild `tabla` (a new check constraint…), between
    dropping and re-creating the triggers that name it: those on it would be lost with the
    old table, and those on other tables that read it (conexiones.busqueda) make the final
    rename fail. Other databases alter the table in place: nothing is done there."""
    guardados: dict[str, list[str]] = {}

    def quitar(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            disparadores = [(n, sql) for n, sql in cursor.fetchall() if tabla in sql]
            for nombre, _ in disparadores:
                cursor.execute(f'DROP TRIGGER "{nombre}"')
        guardados[schema_editor.connection.alias] = [sql for _, sql in disparadores]

    def reponer(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for sql in guardados.pop(schema_editor.connection.alias, []):
                cursor.execute(sql)

    return [
        migrations.RunPython(quitar, reponer),
        *operaciones,
        migrations.RunPython(reponer, quitar),
    ]
