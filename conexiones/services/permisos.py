"""The one permission check of the services."""

from django.core.exceptions import PermissionDenied

PERMISO_AJUSTAR_BW = "conexiones.ajustar_bw"
NO_PUEDE_AJUSTAR = "No tiene permiso para ajustar el ancho de banda."


def exigir_permiso(usuario, permiso: str, mensaje: str = NO_PUEDE_AJUSTAR) -> None:
    """PermissionDenied(mensaje) unless `usuario` has `permiso`.

    `usuario=None` is a trusted caller (imports, demo data, the scheduler's own checks).
    """
    if usuario is not None and not usuario.has_perm(permiso):
        raise PermissionDenied(mensaje)
