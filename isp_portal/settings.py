"""Settings for ISP Portal, read from environment variables.

DATABASE_URL defaults to a SQLite file in the project so a first run needs nothing else.
"""

import ipaddress
import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
CLAVE_DE_DESARROLLO = "django-insecure-only-for-local-development-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (CLAVE_DE_DESARROLLO if DEBUG else "")
# Without DEBUG the site refuses to start (manage.py and gunicorn both read these settings)
# with a missing, public or weak key: it signs sessions, CSRF tokens and password resets.
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY falta o no es segura: con DEBUG=0 defina la variable de entorno SECRET_KEY "
        "con un valor aleatorio de 50 caracteres o más que no empiece por 'django-insecure', "
        "p. ej. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
]
LOCAL_APPS = [
    "isp_portal",
    "clientes",
    "proveedores",
    "conexiones",
    "mantenimientos",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "isp_portal.views.SaludMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL character in the path or the parameters: 400 before any view or query.
    "isp_portal.nulos.SinNulosMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logged-in answers: no-store; the session ends after SESION_INACTIVIDAD_HORAS idle.
    "isp_portal.sesiones.SesionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A page answers only the methods its view serves (405), before the view runs.
    "isp_portal.metodos.MetodosDePaginaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "isp_portal.urls"
WSGI_APPLICATION = "isp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets may use project templates (templates/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the capacity ranking's short queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username+IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
# Dates dd/mm/aaaa and thin-space thousands everywhere, the admin included.
FORMAT_MODULE_PATH = ["isp_portal.formatos"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without a collectstatic run (first run, tests) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# Bandwidth bounds (Mbps), checked by forms, imports, the services and the API through the
# model fields' validators (isp_portal.validators): a connection's bw_contratado and
# bw_utilizado, a provider service's capacidad_contratada. The database's check constraints
# hold the default, 100 000 (BW_TECHO_MBPS): the variable may lower the bound; raising it
# above the default needs a migration (`manage.py check` says so).
BW_MAXIMO_MBPS = int(os.environ.get("BW_MAXIMO_MBPS", "100000"))
CAPACIDAD_MAXIMA_MBPS = 10 * BW_MAXIMO_MBPS

# Dates and moments typed anywhere (forms, Ajustar BW, API, imports, list filters) fall in
# this range, both ends included, in the site's time zone (isp_portal.fechas).
FECHA_MINIMA = date.fromisoformat(os.environ.get("FECHA_MINIMA", "2000-01-01"))
FECHA_MAXIMA = date.fromisoformat(os.environ.get("FECHA_MAXIMA", "2100-12-31"))

# Exports of list pages: one at a time per user, this many at once on the whole site
# (gunicorn.conf.py: 3 workers × 4 threads; the rest serve pages), and XLSX up to this many
# rows (CSV has no limit: it streams). An export whose rows have not advanced for
# EXPORT_SIN_LECTURA_SEGUNDOS (a download its client stopped reading, a killed worker) no
# longer holds its slot.
EXPORT_SIN_LECTURA_SEGUNDOS = int(os.environ.get("EXPORT_SIN_LECTURA_SEGUNDOS", "60"))
EXPORT_SIMULTANEAS_MAX = int(os.environ.get("EXPORT_SIMULTANEAS_MAX", "4"))
EXPORT_XLSX_MAX_FILAS = int(os.environ.get("EXPORT_XLSX_MAX_FILAS", "250000"))

# Imports (isp_portal.importacion.lectores): at most this many data rows and header columns
# per file (an export of EXPORT_XLSX_MAX_FILAS re-imports); an XLSX is refused before it is
# parsed when its parts expand past IMPORT_XLSX_MAX_MB in all, or one part more than
# IMPORT_XLSX_MAX_RATIO times (a zip bomb; an export expands 10-20 times).
IMPORT_MAX_FILAS = int(os.environ.get("IMPORT_MAX_FILAS", "300000"))
IMPORT_MAX_COLUMNAS = int(os.environ.get("IMPORT_MAX_COLUMNAS", "100"))
IMPORT_XLSX_MAX_MB = int(os.environ.get("IMPORT_XLSX_MAX_MB", "512"))
IMPORT_XLSX_MAX_RATIO = int(os.environ.get("IMPORT_XLSX_MAX_RATIO", "100"))
# E-mail (maintenance notices): SMTP when EMAIL_HOST is set; otherwise each message is
# written as a file under EMAIL_FILE_PATH, so a development machine sends nothing.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "NOC <noc@localhost>")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "correos"))
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
# The NOC contact written in every notice, and how many notices «Notificar» sends while the
# page waits (more are left to `manage.py enviar_avisos_mantenimiento`).
AVISOS_CONTACTO_NOC = os.environ.get("AVISOS_CONTACTO_NOC", DEFAULT_FROM_EMAIL)
AVISOS_ENVIO_INMEDIATO = int(os.environ.get("AVISOS_ENVIO_INMEDIATO", "20"))
# Utilised bandwidth from monitoring (conexiones.services.utilizacion): raw five-minute
# readings kept this many days, hourly roll-ups this many; the saturation page lists the
# connections whose 95th percentile of the last 7 days reaches UMBRAL % of bw_contratado.
UTILIZACION_DIAS_CRUDOS = int(os.environ.get("UTILIZACION_DIAS_CRUDOS", "8"))
UTILIZACION_DIAS_HORARIOS = int(os.environ.get("UTILIZACION_DIAS_HORARIOS", "400"))
UTILIZACION_UMBRAL_PCT = int(os.environ.get("UTILIZACION_UMBRAL_PCT", "80"))
# Pull from Prometheus-compatible storage (empty: no pull). Each template is a PromQL
# expression in Mbps whose series carry the connection's CID in the label PROMETHEUS_ETIQUETA.
PROMETHEUS_URL = os.environ.get("PROMETHEUS_URL", "").strip()
PROMETHEUS_ENTRADA = os.environ.get(
    "PROMETHEUS_ENTRADA", 'rate(ifHCInOctets{cid!=""}[5m]) * 8 / 1e6'
)
PROMETHEUS_SALIDA = os.environ.get(
    "PROMETHEUS_SALIDA", 'rate(ifHCOutOctets{cid!=""}[5m]) * 8 / 1e6'
)
PROMETHEUS_ETIQUETA = os.environ.get("PROMETHEUS_ETIQUETA", "cid")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Production hardening: on unless DEBUG; HTTPS is terminated in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends after a working day without activity (isp_portal.sesiones keeps a used one
# alive); the next page asks for the login again.
SESION_INACTIVIDAD_HORAS = float(os.environ.get("SESION_INACTIVIDAD_HORAS", "10"))
SESSION_COOKIE_AGE = int(SESION_INACTIVIDAD_HORAS * 3600)

# Brute-force protection (django-axes): AXES_FAILURE_LIMIT failed logins of one username
# from one client address lock that pair for AXES_COOLOFF_MINUTES (an hour), counted from the
# failure that locked it: attempts during the lockout neither count nor extend it. A
# successful login resets the count; an admin unlocks from /admin/ (isp_portal/admin.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "60")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address is REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies (1 behind
# nginx) the one they put in X-Forwarded-For (isp_portal.seguridad.ip_del_cliente), read only
# from a request that comes from TRUSTED_PROXIES (addresses or networks): a client that
# reaches gunicorn directly cannot choose its address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
try:
    for _red in TRUSTED_PROXIES:
        ipaddress.ip_network(_red, strict=False)
except ValueError as error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES: {error}. Use direcciones IP o redes CIDR separadas por comas."
    ) from None
AXES_CLIENT_IP_CALLABLE = "isp_portal.seguridad.ip_del_cliente"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/bloqueado.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp 4): no inline scripts, styles or event handlers;
# everything is served from this site (static assets are vendored, no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- API v1 (Django REST framework) ----------------------------------------------------------
# Bearer tokens stored hashed with an expiry (isp_portal.TokenAPI) or the session (the docs
# page); the pages' model permissions; per-user limits counted in the database, so every
# gunicorn worker and app node shares them; Spanish JSON errors; OpenAPI at /v1/schema/.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
# DRF's Spanish catalog rewords a few of Django's messages: locale/ restores Django's words.
LOCALE_PATHS = [BASE_DIR / "locale"]
API_TOKEN_DIAS = int(os.environ.get("API_TOKEN_DIAS", "90"))  # validity of a new token
API_TOKEN_DIAS_MAXIMO = 3650
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "isp_portal.api.autenticacion.TokenBearer",
        "rest_framework.authentication.SessionAuthentication",
        # No credentials: counted per client address (API_LIMITE_ANONIMO).
        "isp_portal.api.limites.SinCredenciales",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["isp_portal.api.permisos.PermisosDelModelo"],
    "DEFAULT_THROTTLE_CLASSES": ["isp_portal.api.limites.LimitePorUsuario"],
    "DEFAULT_THROTTLE_RATES": {
        "usuario": os.environ.get("API_LIMITE", "600/min"),
        # Calls without a valid token, per client address: enough for a script's mistakes.
        "anonimo": os.environ.get("API_LIMITE_ANONIMO", "60/min"),
    },
    "DEFAULT_PARSER_CLASSES": ["isp_portal.api.parsers.JSONEstricto"],
    "DEFAULT_RENDERER_CLASSES": ["isp_portal.api.parsers.JSONSeguro"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "isp_portal.api.errores.manejar_excepcion",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISP Portal · API v1",
    "DESCRIPTION": (
        "Clientes corporativos, sedes, conexiones (enlaces) y Ajustar BW, con los nombres de "
        "campo de los documentos fuente. Autenticación: `Authorization: Bearer <token>` "
        "(menú del usuario → Token de API, o `manage.py crear_token`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/v1",
    # The schemes a client uses; SinCredenciales only counts calls without them.
    "AUTHENTICATION_WHITELIST": [
        "isp_portal.api.autenticacion.TokenBearer",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:pk> (isp_portal.enteros.IdConverter): the ids a URL matches.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
    },
    "ENUM_NAME_OVERRIDES": {
        "EstadoConexionEnum": "conexiones.choices.EstadoConexion",
        "EstadoEntradaEnum": "conexiones.api.serializers.ESTADOS_ENTRADA",
        "EstadoServicioEnum": "proveedores.choices.EstadoServicio",
        "EstadoMantenimientoEnum": "mantenimientos.choices.EstadoMantenimiento",
        "TipoMantenimientoEnum": "mantenimientos.choices.TipoMantenimiento",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "isp_portal.api.esquema.agregar_errores",
        "isp_portal.api.esquema.agregar_enlaces",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayRequestDuration": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
