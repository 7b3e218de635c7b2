"""The pages' roles in the API: "NOC lectura" reads, "NOC operador" writes and adjusts BW."""

from rest_framework.permissions import BasePermission


class PermisosDelModelo(BasePermission):
    """The model permissions the view asks for the method (VistaAPI.permisos_requeridos).

    Anonymous requests fail here and DRF answers 401 (the first authenticator's
    `WWW-Authenticate: Bearer`); a user without the permissions gets 403.
    """

    message = "Su rol no permite esta operación."

    def has_permission(self, request, view):
        usuario = request.user
        if not usuario or not usuario.is_authenticated:
            return False
        return usuario.has_perms(view.permisos_requeridos(request.method))
