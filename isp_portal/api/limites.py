"""Rate limits of the API, shared by every gunicorn worker and app node: per user, and per
client address for the calls without valid credentials (no token, a bad or expired one).

The count lives in PostgreSQL (isp_portal.ContadorAPI), like sessions: one row per user or
address, updated by a single atomic statement per request. A fixed window: at most N requests
per window, then 429 with `Retry-After` (the seconds until the window ends).
"""

import time

from django.db import connection
from rest_framework import authentication, exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from isp_portal.models import ContadorAPI
from isp_portal.seguridad import ip_del_cliente

ESCALA_ANONIMO = "anonimo"


def contar_solicitud(clave: str, ventana: int) -> int:
    """Count one request of `clave` in the window starting at `ventana`; return how many the
    window has, this one included. A row of an older window starts again at 1."""
    tabla = connection.ops.quote_name(ContadorAPI._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabla} (clave, ventana, solicitudes) VALUES (%s, %s, 1) "
            f"ON CONFLICT (clave) DO UPDATE SET "
            f"solicitudes = CASE WHEN {tabla}.ventana = excluded.ventana "
            f"THEN {tabla}.solicitudes + 1 ELSE 1 END, "
            f"ventana = excluded.ventana "
            f"RETURNING solicitudes",
            [clave, ventana],
        )
        return cursor.fetchone()[0]


class LimitePorUsuario(SimpleRateThrottle):
    """DRF throttle of each authenticated user (rate `DEFAULT_THROTTLE_RATES["usuario"]`,
    e.g. "600/min"), counted in the database instead of a per-process cache."""

    scope = "usuario"

    def __init__(self):
        # The rate is read on each request (see allow_request), not once at import.
        self.espera = 0.0

    def allow_request(self, request, view):
        tasa = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if tasa is None or not request.user.is_authenticated:
            return True
        maximo, duracion = self.parse_rate(tasa)
        ahora = time.time()
        ventana = int(ahora // duracion) * duracion
        self.espera = ventana + duracion - ahora
        return contar_solicitud(f"{self.scope}:{request.user.pk}", ventana) <= maximo

    def wait(self):
        return self.espera


def limitar_sin_credenciales(request) -> None:
    """Count a call without valid credentials against its client address (the login
    lockout's, isp_portal.seguridad.ip_del_cliente); past the rate
    `DEFAULT_THROTTLE_RATES["anonimo"]`, Throttled (429). Guessing tokens, or flooding the
    API unauthenticated, costs one cheap statement per call and then stops."""
    tasa = api_settings.DEFAULT_THROTTLE_RATES.get(ESCALA_ANONIMO)
    if tasa is None:
        return
    maximo, duracion = SimpleRateThrottle.parse_rate(None, tasa)
    ahora = time.time()
    ventana = int(ahora // duracion) * duracion
    direccion = ip_del_cliente(getattr(request, "_request", request)) or "?"
    if contar_solicitud(f"{ESCALA_ANONIMO}:{direccion}", ventana) > maximo:
        raise exceptions.Throttled(wait=ventana + duracion - ahora)


class SinCredenciales(authentication.BaseAuthentication):
    """The last authentication class: reached only when none found a user, it counts the
    anonymous call (limitar_sin_credenciales) before the permissions answer 401. The
    throttles of a view run after its permissions, so they never see these calls."""

    def authenticate(self, request):
        limitar_sin_credenciales(request)
        return None
