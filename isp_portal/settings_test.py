"""Settings for the test suite: same as production apart from speed and HTTPS."""

import os

# The suite runs with DEBUG off, as production, so it needs a key of its own (test only).
os.environ.setdefault(
    "SECRET_KEY", "pruebas-clave-solo-para-la-suite-de-tests-no-usar-en-produccion"
)

from .settings import *  # noqa: E402, F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Same lockout rules; the test client's login() (no request) is allowed through.
AUTHENTICATION_BACKENDS = [
    "isp_portal.seguridad.AxesBackendSinRequest",
    "django.contrib.auth.backends.ModelBackend",
]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
