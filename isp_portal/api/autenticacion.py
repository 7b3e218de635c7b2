"""API authentication: `Authorization: Bearer <token>` (isp_portal.TokenAPI)."""

from django.contrib.auth.models import Permission
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from isp_portal.api.limites import limitar_sin_credenciales
from isp_portal.expresiones import ListaJson
from isp_portal.models import TokenAPI
from isp_portal.services import token_digest

TOKEN_INVALIDO = "Token inválido, vencido o revocado."


def _permisos_del_usuario() -> Subquery:
    """The token user's permissions (own and of their groups) as ["app.codename", …]."""
    usuario = OuterRef("usuario_id")
    return Subquery(
        Permission.objects.filter(Q(user=usuario) | Q(group__user=usuario))
        .order_by()
        .values(lista=ListaJson(Concat("content_type__app_label", Value("."), "codename")))
    )


class TokenBearer(authentication.BaseAuthentication):
    """A token created on the "Token de API" page or by `manage.py crear_token`.

    One query finds the unexpired token by its digest, with its user and the user's
    permissions. ModelBackend keeps a user's permissions in `_perm_cache`: filled here, the
    permission checks of the request cost no further query.
    """

    def authenticate(self, request):
        partes = authentication.get_authorization_header(request).split()
        if not partes or partes[0].lower() != b"bearer":
            return None
        if len(partes) != 2:
            limitar_sin_credenciales(request)
            raise exceptions.AuthenticationFailed(
                "Cabecera Authorization inválida: use «Bearer <token>»."
            )
        try:
            token = partes[1].decode("ascii")
        except UnicodeDecodeError:
            limitar_sin_credenciales(request)
            raise exceptions.AuthenticationFailed(TOKEN_INVALIDO) from None
        fila = (
            TokenAPI.objects.vigentes()
            .filter(digest=token_digest(token))
            .select_related("usuario")
            .annotate(permisos=_permisos_del_usuario())
            .first()
        )
        if fila is None or not fila.usuario.is_active:
            limitar_sin_credenciales(request)
            raise exceptions.AuthenticationFailed(TOKEN_INVALIDO)
        usuario = fila.usuario
        usuario._perm_cache = set(fila.permisos or ())
        return usuario, fila

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenBearerEsquema(OpenApiAuthenticationExtension):
    target_class = TokenBearer
    name = "tokenBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token de API: menú del usuario → Token de API, o "
            "`python manage.py crear_token USUARIO`.",
        }
