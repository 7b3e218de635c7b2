"""Security helpers: the login lockout's client address, its unlocking, and the lockout
backend used outside HTTP requests."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.utils import reset as axes_reset
from django.conf import settings


def de_confianza(direccion: str | None) -> bool:
    """Whether an address is one of the reverse proxies of settings.TRUSTED_PROXIES."""
    try:
        ip = ipaddress.ip_address(direccion or "")
    except ValueError:
        return False
    redes = [ipaddress.ip_network(red, strict=False) for red in settings.TRUSTED_PROXIES]
    return any(ip in red for red in redes)


def ip_del_cliente(request) -> str | None:
    """The client's address, for the login lockout (AXES_CLIENT_IP_CALLABLE) and the API's
    limit of anonymous calls.

    Without a proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR and X-Forwarded-For is
    ignored: anyone can send that header. Behind N reverse proxies each one appends the
    address it got the request from (nginx: `$proxy_add_x_forwarded_for`), so the client is
    the N-th entry from the right. Each hop is believed only when it comes from a proxy of
    TRUSTED_PROXIES: a client that reaches gunicorn directly is its REMOTE_ADDR, whatever it
    writes; the entries left of the N-th were written by the client and are not read. Fewer
    entries than proxies: the left-most, the farthest one known.
    """
    actual = request.META.get("REMOTE_ADDR")
    cabecera = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entradas = [e.strip() for e in cabecera.split(",") if e.strip()]
    saltos = list(reversed(entradas))[: max(settings.TRUSTED_PROXY_COUNT, 0)]
    for siguiente in saltos:
        if not de_confianza(actual):
            break
        try:
            actual = str(ipaddress.ip_address(siguiente))
        except ValueError:  # not an address: the lockout stays on the last one known
            break
    return actual


def desbloquear_usuarios(nombres) -> int:
    """Unlocks the login of these usernames from every address: their failed attempts are
    forgotten. Returns how many attempt records were removed."""
    return sum(axes_reset(username=nombre) for nombre in nombres)


def desbloquear_intentos(intentos) -> int:
    """Unlocks the username+address pairs of these AccessAttempt rows (only those)."""
    borrados, _ = intentos.delete()
    return borrados


class AxesBackendSinRequest(AxesStandaloneBackend):
    """Axes' lockout check, skipped when there is no request (test client `login()`, shells).

    Lockouts are per username+IP, which only exist for HTTP requests; every login form
    (site and admin) passes the request, so the brute-force protection is unchanged there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
