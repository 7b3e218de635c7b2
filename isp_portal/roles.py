"""The two NOC roles; admins are superusers or staff with every permission."""

GRUPO_LECTURA = "NOC lectura"
GRUPO_OPERADOR = "NOC operador"

APPS_DEL_DOMINIO = ["clientes", "proveedores", "conexiones"]
PERMISO_AJUSTAR_BW = ("conexiones", "ajustar_bw")


def permisos_de_grupo(Permission, grupo: str):
    """Permissions of a role: view for lectura; view, add, change and ajustar_bw for operador."""
    acciones = ["view"] if grupo == GRUPO_LECTURA else ["view", "add", "change"]
    qs = Permission.objects.filter(content_type__app_label__in=APPS_DEL_DOMINIO)
    # The AjusteBW ledger is written only by the Ajustar BW service (its own permission).
    elegidos = [
        p
        for p in qs
        if p.codename.split("_", 1)[0] in acciones
        and (p.codename == "view_ajustebw" or not p.codename.endswith("_ajustebw"))
        # History is written by django-simple-history, never by hand.
        and (p.codename.startswith("view_") or "_historical" not in p.codename)
    ]
    if grupo == GRUPO_OPERADOR:
        app, codename = PERMISO_AJUSTAR_BW
        elegidos += list(
            Permission.objects.filter(content_type__app_label=app, codename=codename)
        )
    return elegidos


def asegurar_grupos(Group, Permission) -> None:
    """Create or refresh both roles; used by the data migration and after test DB flushes."""
    for nombre in (GRUPO_LECTURA, GRUPO_OPERADOR):
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.set(permisos_de_grupo(Permission, nombre))
