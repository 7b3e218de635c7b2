"""Security helpers: the login lockout backend used outside HTTP requests."""

from axes.backends import AxesStandaloneBackend


class AxesBackendSinRequest(AxesStandaloneBackend):
    """Axes' lockout check, skipped when there is no request (test client `login()`, shells).

    Lockouts are per username+IP, which only exist for HTTP requests; every login form
    (site and admin) passes the request, so the brute-force protection is unchanged there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
