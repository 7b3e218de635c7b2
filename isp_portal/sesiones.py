"""Logged-in answers: never stored by a browser or proxy cache, and a session that ends after
a working day without activity (settings.SESION_INACTIVIDAD_HORAS).

Django ends a session SESSION_COOKIE_AGE after it was last saved (the cookie's Max-Age and
the stored expiry), and an unchanged session is not saved. So the activity of a logged-in
user is marked in the session now and then (every REFRESCO_SEGUNDOS at most, not on each
request: a write per page view would cost a query on every page), which saves it and moves
its end a full working day ahead.
"""

import time

from django.conf import settings
from django.utils.cache import patch_cache_control

CLAVE_ACTIVIDAD = "_actividad"
REFRESCO_SEGUNDOS = 300


def refresco() -> int:
    """Seconds between two marks: a tenth of the session's life, at most five minutes."""
    return min(REFRESCO_SEGUNDOS, settings.SESSION_COOKIE_AGE // 10)


def marcar_actividad(sesion) -> None:
    sesion[CLAVE_ACTIVIDAD] = int(time.time())


def al_iniciar_sesion(sender, request, user, **kwargs):
    """The login saves the session anyway: marked there, its first pages write nothing."""
    if request is not None and hasattr(request, "session"):
        marcar_actividad(request.session)


class SesionMiddleware:
    """After AuthenticationMiddleware: for a logged-in user (a page or the API) the answer is
    `Cache-Control: no-store, private` (pages show clients, addresses, tokens), and the
    session is kept alive while it is used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        usuario = getattr(request, "user", None)
        if usuario is None or not usuario.is_authenticated:
            return respuesta
        patch_cache_control(respuesta, no_store=True, private=True)
        sesion = getattr(request, "session", None)
        # An API call with a token has no session to keep.
        if sesion is not None and sesion.session_key:
            marca = sesion.get(CLAVE_ACTIVIDAD, 0)
            if time.time() - marca >= refresco():
                marcar_actividad(sesion)
        return respuesta
