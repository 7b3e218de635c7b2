"""The NOC roles; admins are superusers or staff with every permission."""

GRUPO_LECTURA = "NOC lectura"
GRUPO_OPERADOR = "NOC operador"
# A monitoring server's token: reads, and pushes utilisation readings; nothing else.
GRUPO_MONITOREO = "NOC monitoreo"
GRUPOS = (GRUPO_LECTURA, GRUPO_OPERADOR, GRUPO_MONITOREO)
PERMISO_MUESTRAS = ("conexiones", "add_muestrautilizacion")
# Written by the utilisation worker only (roll-ups and percentiles).
CALCULADOS = {"muestrahoraria", "utilizacionsemanal"}

APPS_DEL_DOMINIO = ["clientes", "proveedores", "conexiones", "mantenimientos"]
PERMISO_AJUSTAR_BW = ("conexiones", "ajustar_bw")
# What an operator may delete from the pages (when nothing uses it). Clients are
# deactivated, never deleted; connections end in BAJA.
ELIMINABLES = ["sede", "nodo", "equipo", "servicioproveedor"]
# Models only admins add or change.
SOLO_ADMIN = ("_plantillaaviso",)


def permisos_de_grupo(Permission, grupo: str):
    """Permissions of a role: view for lectura; view and add_muestrautilizacion for
    monitoreo; view, add, change, ajustar_bw and the delete of ELIMINABLES for operador."""
    acciones = ["view", "add", "change"] if grupo == GRUPO_OPERADOR else ["view"]
    qs = Permission.objects.filter(content_type__app_label__in=APPS_DEL_DOMINIO)
    # The AjusteBW ledger is written only by the Ajustar BW service (its own permission).
    elegidos = [
        p
        for p in qs
        if p.codename.split("_", 1)[0] in acciones
        and (p.codename == "view_ajustebw" or not p.codename.endswith("_ajustebw"))
        # History is written by django-simple-history, never by hand.
        and (p.codename.startswith("view_") or "_historical" not in p.codename)
        # The notices' texts are written by admins only (in /admin/).
        and (p.codename.startswith("view_") or not p.codename.endswith(SOLO_ADMIN))
        and (p.codename.startswith("view_") or p.codename.split("_", 1)[1] not in CALCULADOS)
    ]
    if grupo == GRUPO_MONITOREO:
        app, codename = PERMISO_MUESTRAS
        elegidos += list(
            Permission.objects.filter(content_type__app_label=app, codename=codename)
        )
    if grupo == GRUPO_OPERADOR:
        app, codename = PERMISO_AJUSTAR_BW
        elegidos += list(
            Permission.objects.filter(content_type__app_label=app, codename=codename)
        )
        elegidos += [p for p in qs if p.codename in {f"delete_{m}" for m in ELIMINABLES}]
    return elegidos


def asegurar_grupos(Group, Permission) -> None:
    """Create or refresh the roles; used by the data migrations and after test DB flushes."""
    for nombre in GRUPOS:
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.set(permisos_de_grupo(Permission, nombre))


def crear_grupos(apps, schema_editor) -> None:
    """Data migrations: create or refresh the roles with the permissions as they are now."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    asegurar_grupos(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
