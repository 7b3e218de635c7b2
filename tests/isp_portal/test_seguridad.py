"""Hardening: login lockout, CSRF on every write (htmx included), CSP, inert user text."""

import html
import os
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from isp_portal.seguridad import ip_del_cliente
from tests.isp_portal import rutas

pytestmark = pytest.mark.django_db

CLAVE = "clave-segura-1"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class CodigoEnLinea(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problemas: list[str] = []

    def handle_starttag(self, tag, attrs):
        valores = dict(attrs)
        datos = valores.get("type") == "application/json"
        if tag == "script" and not valores.get("src") and not datos:
            self.problemas.append(f"<script> en línea ({self.getpos()})")
        if tag == "style":
            self.problemas.append(f"<style> en línea ({self.getpos()})")
        for nombre, valor in attrs:
            if nombre == "style":
                self.problemas.append(f"<{tag} style=...> ({self.getpos()})")
            if nombre.startswith("on") or nombre.startswith("hx-on"):
                self.problemas.append(f"<{tag} {nombre}=...> ({self.getpos()})")
            if nombre in ("href", "src", "action", "formaction") and (
                valor or ""
            ).strip().lower().startswith("javascript:"):
                self.problemas.append(f"<{tag} {nombre}=javascript:...> ({self.getpos()})")


def _login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


# --- login and lockout (django-axes) ---------------------------------------------------------
def test_login_page_works(client, usuario_operador):
    assert client.get("/login/").status_code == 200
    response = _login(client, "operador", CLAVE)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_shows_spanish_error(client, usuario_operador):
    response = _login(client, "operador", "mala")
    assert response.status_code == 200
    assert "Usuario o contraseña incorrectos" in response.content.decode()


def test_lockout_after_failures_for_username_and_ip(client, usuario_operador):
    limite = settings.AXES_FAILURE_LIMIT
    for _ in range(limite - 1):
        assert _login(client, "operador", "mala").status_code == 200
    bloqueo = _login(client, "operador", "mala")
    assert bloqueo.status_code == 429
    # Now even the right password is refused, with the Spanish lockout page.
    response = _login(client, "operador", CLAVE)
    assert response.status_code == 429
    texto = response.content.decode()
    assert "Acceso bloqueado" in texto
    assert "intentos fallidos" in texto
    assert "_auth_user_id" not in client.session
    # Another IP with the same username, and another username from this IP, are not locked.
    otra_ip = Client()
    assert _login(otra_ip, "operador", CLAVE, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_lockout_does_not_block_other_users_from_same_ip(client, usuario_operador, usuario_lectura):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "operador", "mala")
    assert _login(client, "lectura", CLAVE).status_code == 302


def test_success_resets_failure_count(client, usuario_operador):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "operador", "mala")
    assert _login(client, "operador", CLAVE).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "operador", "mala").status_code == 200


def test_admin_login_is_protected_too(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "mala"})
    response = client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 429


def _bloquear(client, username="operador", **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        respuesta = _login(client, username, "mala", **extra)
    assert respuesta.status_code == 429


def test_lockout_lasts_an_hour_as_the_readme_says():
    """One variable sets it (AXES_COOLOFF_MINUTES); its default is the README's."""
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    leeme = (settings.BASE_DIR / "README.md").read_text()
    assert "| `AXES_COOLOFF_MINUTES` | `60` (an hour) |" in leeme


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_lockout_behind_a_proxy_is_per_client_address(usuario_operador):
    """Behind nginx every request comes from the proxy's address: the client's is the one the
    proxy appended to X-Forwarded-For. One client locked, another still logs in."""
    atacante, colega = Client(), Client()
    suya = "203.0.113.5"
    _bloquear(atacante, HTTP_X_FORWARDED_FOR=suya)
    assert _login(atacante, "operador", CLAVE, HTTP_X_FORWARDED_FOR=suya).status_code == 429
    # What the client writes left of the proxy's entry is not trusted.
    falsa = "198.51.100.7, 203.0.113.5"
    assert _login(atacante, "operador", CLAVE, HTTP_X_FORWARDED_FOR=falsa).status_code == 429
    assert _login(colega, "operador", CLAVE, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {suya}


def test_without_proxy_x_forwarded_for_is_ignored(usuario_operador):
    """Direct (TRUSTED_PROXY_COUNT 0): anyone can send X-Forwarded-For, so it is not read."""
    assert settings.TRUSTED_PROXY_COUNT == 0
    _bloquear(Client(), HTTP_X_FORWARDED_FOR="203.0.113.5")
    otro = _login(Client(), "operador", CLAVE, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert otro.status_code == 429  # same REMOTE_ADDR


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_client_address_from_the_proxy():
    fabrica = RequestFactory()

    def ip(**meta):
        return ip_del_cliente(fabrica.get("/", REMOTE_ADDR="10.0.0.1", **meta))

    assert ip() == "10.0.0.1"
    assert ip(HTTP_X_FORWARDED_FOR="203.0.113.5") == "203.0.113.5"
    assert ip(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5") == "203.0.113.5"
    assert ip(HTTP_X_FORWARDED_FOR="2001:db8::1") == "2001:db8::1"
    assert ip(HTTP_X_FORWARDED_FOR="no-es-una-ip") == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert ip(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.9") == "203.0.113.5"
        assert ip(HTTP_X_FORWARDED_FOR="203.0.113.5") == "203.0.113.5"
        # The second hop is no proxy of ours: it is the client, whatever it wrote.
        assert ip(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 198.51.100.9") == "198.51.100.9"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.2", "2001:db8::/32"])
def test_x_forwarded_for_only_from_the_trusted_proxies():
    fabrica = RequestFactory()

    def ip(remoto, xff):
        return ip_del_cliente(fabrica.get("/", REMOTE_ADDR=remoto, HTTP_X_FORWARDED_FOR=xff))

    assert ip("10.0.0.2", "203.0.113.5") == "203.0.113.5"
    assert ip("2001:db8::7", "203.0.113.5") == "203.0.113.5"
    # Straight to gunicorn: the header is the client's own writing.
    assert ip("198.51.100.7", "203.0.113.5") == "198.51.100.7"
    assert ip("10.0.0.3", "203.0.113.5") == "10.0.0.3"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.2"])
def test_a_direct_client_rotating_x_forwarded_for_stays_locked(usuario_operador):
    """With the proxy count set, a client that reaches gunicorn directly neither escapes its
    lockout by writing a new address each time nor locks out someone else's address."""
    atacante = Client(REMOTE_ADDR="198.51.100.66")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(atacante, "operador", "mala", HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
    otra = "203.0.113.200"
    assert _login(atacante, "operador", CLAVE, HTTP_X_FORWARDED_FOR=otra).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    # The addresses it wrote are not locked: their owners log in through the proxy.
    victima = Client(REMOTE_ADDR="10.0.0.2")
    assert _login(victima, "operador", CLAVE, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302


def test_trusted_proxies_is_checked_at_startup():
    entorno = {**os.environ, "DEBUG": "1", "TRUSTED_PROXIES": "10.0.0.0/8,nginx"}
    resultado = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'isp_portal.settings'); "
            "django.setup()",
        ],
        env=entorno,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert resultado.returncode != 0 and "TRUSTED_PROXIES" in resultado.stderr


def test_failures_during_lockout_do_not_extend_it(client, usuario_operador):
    inicio = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(inicio, tick=False) as reloj:
        _bloquear(client)
        reloj.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=5))
        # Still locked; this failure and this right password must not restart the hour.
        assert _login(client, "operador", "mala").status_code == 429
        assert _login(client, "operador", CLAVE).status_code == 429
        reloj.shift(timedelta(minutes=6))  # an hour and a minute after the lockout
        assert _login(client, "operador", CLAVE).status_code == 302


def _accion_admin(admin_client, url, accion, pks):
    return admin_client.post(url, {"action": accion, "_selected_action": [str(p) for p in pks]})


def test_admin_unlocks_from_the_failed_attempts(client, admin_client, usuario_operador):
    _bloquear(client)
    intento = AccessAttempt.objects.get(username="operador")
    respuesta = _accion_admin(
        admin_client, "/admin/axes/accessattempt/", "desbloquear", [intento.pk]
    )
    assert respuesta.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _login(client, "operador", CLAVE).status_code == 302


def test_admin_unlocks_by_deleting_the_attempt(client, admin_client, usuario_operador):
    _bloquear(client)
    intento = AccessAttempt.objects.get(username="operador")
    url = f"/admin/axes/accessattempt/{intento.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert _login(client, "operador", CLAVE).status_code == 302


def test_admin_unlocks_a_user_from_every_address(admin_client, usuario_operador, usuario_lectura):
    desde_a, desde_b = Client(), Client(REMOTE_ADDR="10.9.8.7")
    _bloquear(desde_a)
    _bloquear(desde_b)
    _bloquear(desde_a, "lectura")
    respuesta = _accion_admin(
        admin_client, "/admin/auth/user/", "desbloquear_inicio_de_sesion", [usuario_operador.pk]
    )
    assert respuesta.status_code == 302
    assert _login(desde_a, "operador", CLAVE).status_code == 302
    assert _login(desde_b, "operador", CLAVE).status_code == 302
    assert _login(Client(), "lectura", CLAVE).status_code == 429  # not selected


def test_unlock_action_needs_change_permission(client, usuario_operador, usuario_lectura):
    """Staff who may only view users does not get the action."""
    from django.contrib.auth.models import Permission

    usuario_lectura.is_staff = True
    usuario_lectura.save()
    usuario_lectura.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(usuario_lectura)
    pagina = client.get("/admin/auth/user/")
    assert pagina.status_code == 200
    assert "desbloquear_inicio_de_sesion" not in pagina.content.decode()


# --- CSRF ----------------------------------------------------------------------------------
def _escrituras():
    return [r for r in rutas.todas_las_rutas() if r.clase == "escritura"]


def test_every_write_refuses_post_without_csrf_token(usuario_operador):
    objetos = rutas.crear_datos()
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuario_operador)
    escrituras = _escrituras()
    assert escrituras, "no hay URLs de escritura"
    for ruta in escrituras:
        url = ruta.url(objetos)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, {}, headers=headers)
            assert response.status_code == 403, (url, headers)
            assert b"CSRF" in response.content, url


def test_htmx_post_with_token_header_passes_csrf(usuario_operador):
    """base.html puts the token in hx-headers; htmx sends it as X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuario_operador)
    pagina = client.get("/clientes_corporativo/nuevo")
    assert pagina.status_code == 200
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', pagina.content.decode())
    assert token, "base.html debe enviar el token CSRF en hx-headers del <body>"
    response = client.post(
        "/clientes_corporativo/nuevo",
        {},
        headers={"HX-Request": "true", "X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 200  # the form again, with its errors: CSRF passed


def test_logout_needs_csrf_token(usuario_operador):
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuario_operador)
    assert client.post("/logout/").status_code == 403


# --- Content-Security-Policy and inline code --------------------------------------------------
def test_csp_header_without_inline(admin_client):
    politica = admin_client.get("/")["Content-Security-Policy"]
    directivas = {
        partes[0]: partes[1:] for partes in (d.split() for d in politica.split(";") if d.strip())
    }
    assert directivas["default-src"] == ["'self'"]
    assert directivas["script-src"] == ["'self'"]
    assert directivas["style-src"] == ["'self'"]
    assert directivas["img-src"] == ["'self'", "data:"]
    assert directivas["font-src"] == ["'self'"]
    assert directivas["frame-ancestors"] == ["'none'"]
    assert directivas["form-action"] == ["'self'"]
    assert "unsafe" not in politica


def test_login_page_has_csp(client):
    assert "script-src 'self'" in client.get("/login/")["Content-Security-Policy"]


def test_htmx_indicator_style_is_not_injected(client):
    texto = client.get("/login/").content.decode()
    assert '"includeIndicatorStyles": false' in texto


def _paginas_get(objetos):
    for ruta in rutas.todas_las_rutas():
        if ruta.clase in ("lectura", "escritura"):
            yield ruta.url(objetos)


def _sin_codigo_en_linea(url, texto):
    parser = CodigoEnLinea()
    parser.feed(texto)
    parser.close()
    assert not parser.problemas, f"{url}: {parser.problemas}"


def test_every_page_has_no_inline_code_and_escapes_user_text(admin_client):
    """Every page a superuser can open, with markup in every text field: no inline code.

    The CSP would block inline code anyway; this keeps pages working under it. User text with
    markup must come out escaped, never as live tags.
    """
    objetos = rutas.crear_datos(payload=XSS)
    vistas = 0
    for url in _paginas_get(objetos):
        response = rutas.get(admin_client, url)
        if response.status_code == 405:
            continue
        assert response.status_code == 200, url
        if "html" not in response.get("Content-Type", ""):
            continue
        texto = response.content.decode()
        _sin_codigo_en_linea(url, texto)
        assert "<img src=x" not in texto, url
        vistas += 1
    assert vistas >= 5


def test_login_and_lockout_pages_have_no_inline_code(client, usuario_operador):
    _sin_codigo_en_linea("/login/", client.get("/login/").content.decode())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, "operador", "mala")
    _sin_codigo_en_linea("bloqueo", response.content.decode())


def test_config_block_shows_markup_as_text(admin_client):
    from conexiones.factories import ConexionFactory

    conexion = ConexionFactory(configuracion_nodo_a="<script>alert(1)</script>\nip route 0/0")
    texto = admin_client.get(conexion.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in texto
    if html.escape("<script>alert(1)</script>") not in texto:
        pytest.skip("la página de detalle de conexión aún no muestra la configuración")


# --- production settings -------------------------------------------------------------------
def test_production_settings_are_secure(monkeypatch):
    """Settings read with DEBUG off (as in production) turn on HTTPS-only cookies and HSTS."""
    import importlib

    import isp_portal.settings as base

    for nombre in (
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    ):
        monkeypatch.delenv(nombre, raising=False)
    produccion = importlib.reload(base)
    try:
        assert produccion.DEBUG is False
        assert produccion.SECURE_SSL_REDIRECT is True
        assert produccion.SESSION_COOKIE_SECURE is True
        assert produccion.CSRF_COOKIE_SECURE is True
        assert produccion.SESSION_COOKIE_HTTPONLY is True
        assert produccion.SECURE_HSTS_SECONDS >= 31536000
        assert produccion.X_FRAME_OPTIONS == "DENY"
        assert produccion.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
        assert "csp.middleware.CSPMiddleware" in produccion.MIDDLEWARE
        assert produccion.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
        assert produccion.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")
    finally:
        importlib.reload(base)


# --- start-up refuses a missing or weak SECRET_KEY without DEBUG ------------------------------
def _manage_check(**entorno) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="isp_portal.settings", PYTHONDONTWRITEBYTECODE="1")
    env.update(entorno)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_refuses_to_start_without_secret_key():
    proceso = _manage_check(DEBUG="0")
    assert proceso.returncode != 0
    assert "ImproperlyConfigured" in proceso.stderr
    assert "SECRET_KEY" in proceso.stderr.splitlines()[-1]


def test_manage_py_starts_with_a_good_secret_key_or_in_development():
    clave = secrets.token_urlsafe(50)
    for entorno in ({"DEBUG": "0", "SECRET_KEY": clave}, {"DEBUG": "1"}):
        proceso = _manage_check(**entorno)
        assert proceso.returncode == 0, (entorno.keys(), proceso.stderr)


@pytest.mark.parametrize(
    "clave",
    [
        "",
        "corta-" + "x" * 20,
        "a" * 60,  # long but not random
        "django-insecure-" + secrets.token_urlsafe(50),
        "django-insecure-only-for-local-development-set-SECRET_KEY-in-production",
    ],
    ids=["vacia", "corta", "repetida", "django-insecure", "la-de-desarrollo"],
)
def test_settings_refuse_weak_secret_key_without_debug(monkeypatch, clave):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import isp_portal.settings as base

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", clave)
    try:
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
            importlib.reload(base)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_admin_history_pages_have_no_inline_code(admin_client):
    """Every admin with a change history (django-simple-history): its list and a record's
    page. The list wrote `style="…"` inline, which the CSP refused."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    objetos = rutas.crear_datos(payload=XSS)
    vistas = 0
    for modelo, modelo_admin in admin.site._registry.items():
        if not isinstance(modelo_admin, SimpleHistoryAdmin):
            continue
        obj = objetos.get(modelo._meta.label) or modelo.objects.order_by("pk").first()
        if obj is None:
            continue
        base = f"/admin/{modelo._meta.app_label}/{modelo._meta.model_name}/{obj.pk}/history/"
        registro = obj.history.order_by("-history_id").first()
        # A row written without history (a data migration's default) has only the list.
        for url in (base, f"{base}{registro.pk}/") if registro else (base,):
            respuesta = rutas.get(admin_client, url)
            assert respuesta.status_code == 200, url
            texto = respuesta.content.decode()
            _sin_codigo_en_linea(url, texto)
            assert "<img src=x" not in texto, url
            vistas += 1
    assert vistas >= 8
