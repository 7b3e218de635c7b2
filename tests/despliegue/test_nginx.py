"""The production front in the repository (deploy/nginx/isp_portal.conf): it buffers
requests and answers and bounds slow clients, and it goes with the portal's settings. Where
nginx is installed, it is run on loopback in front of gunicorn (gunicorn.conf.py): slow-header
clients do not keep /salud from answering, and a client that stops reading an export does
not hold the server's answer open."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

RAIZ = Path(__file__).resolve().parents[2]
SITIO = RAIZ / "deploy" / "nginx" / "isp_portal.conf"


def directivas() -> dict[str, list[str]]:
    valores: dict[str, list[str]] = {}
    for linea in SITIO.read_text().splitlines():
        linea = linea.split("#", 1)[0].strip().rstrip(";")
        if linea and not linea.endswith(("{", "}")):
            nombre, _, valor = linea.partition(" ")
            valores.setdefault(nombre, []).append(valor.strip())
    return valores


def segundos(valor: str) -> int:
    return int(valor.removesuffix("s"))


def test_el_sitio_almacena_peticiones_y_respuestas():
    d = directivas()
    assert d["proxy_request_buffering"] == ["on"]
    assert d["proxy_buffering"] == ["on"]
    assert d["proxy_max_temp_file_size"][0] != "0"


def test_el_sitio_acota_a_los_clientes_lentos():
    d = directivas()
    assert segundos(d["client_header_timeout"][0]) <= 15
    assert segundos(d["client_body_timeout"][0]) <= 30
    assert segundos(d["send_timeout"][0]) <= 60


def test_el_sitio_va_con_la_configuracion_del_portal():
    d = directivas()
    # The entry the portal reads (TRUSTED_PROXY_COUNT=1) is the one nginx appends.
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in d["proxy_set_header"]
    assert "X-Forwarded-Proto $scheme" in d["proxy_set_header"]
    # gunicorn's default bind, and nginx's loopback address among the default TRUSTED_PROXIES.
    assert "127.0.0.1:8000" in d["server"]
    assert "bind = os.environ.get(\"BIND\", \"127.0.0.1:8000\")" in (
        RAIZ / "gunicorn.conf.py"
    ).read_text()
    assert "127.0.0.1" in settings.TRUSTED_PROXIES
    # A body the portal answers 413 itself (with its reason) is not cut by nginx first.
    maximo = int(d["client_max_body_size"][0].removesuffix("m")) * 1024 * 1024
    assert maximo >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# --- nginx running in front of gunicorn ----------------------------------------------------


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def esperar_puerto(puerto: int) -> None:
    limite = time.monotonic() + 20
    while time.monotonic() < limite:
        try:
            socket.create_connection(("127.0.0.1", puerto), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nada escucha en {puerto}")


def sitio_de_prueba(puerto_nginx: int, puerto_gunicorn: int) -> str:
    """The site file on loopback and plain HTTP: its HTTPS server listens on a free port
    without TLS, the redirecting one is left out; every other directive as shipped."""
    texto = SITIO.read_text()
    servidores = [m.start() for m in re.finditer(r"^server \{", texto, re.M)]
    texto = texto[: servidores[0]] + texto[servidores[1] :]  # without the port-80 redirect
    texto = re.sub(r"^\s*listen .*$", "", texto, flags=re.M)
    texto = re.sub(r"^\s*ssl_.*$", "", texto, flags=re.M)
    texto = texto.replace(
        "    server_name noc", f"    listen 127.0.0.1:{puerto_nginx};\n    server_name noc", 1
    )
    return texto.replace("127.0.0.1:8000", f"127.0.0.1:{puerto_gunicorn}")


@pytest.fixture
def frente(tmp_path):
    if shutil.which("nginx") is None:
        pytest.skip("nginx no está instalado (apt-get install nginx-light)")
    puerto_g, puerto_n = puerto_libre(), puerto_libre()
    marca = tmp_path / "cierre"
    (tmp_path / "sitio.conf").write_text(sitio_de_prueba(puerto_n, puerto_g))
    usuario = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{usuario}daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n"
        f"access_log off;\nclient_body_temp_path {tmp_path}/cuerpos;\n"
        f"proxy_temp_path {tmp_path}/proxy;\n"
        f"include {tmp_path}/sitio.conf;\n}}\n"
    )
    entorno = {
        **os.environ,
        "BIND": f"127.0.0.1:{puerto_g}",
        "WORKERS": "1",
        "THREADS": "2",
        "MARCA_CIERRE": str(marca),
    }
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        + ["tests.despliegue.app_salud:app"],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        esperar_puerto(puerto_g)
        esperar_puerto(puerto_n)
        yield puerto_n, marca
    finally:
        for proceso in (nginx, gunicorn):
            proceso.terminate()
            proceso.wait(timeout=30)


def pedir(puerto: int, ruta: str, timeout: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", puerto), timeout=timeout) as s:
        s.sendall(f"GET {ruta} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        return s.recv(4096)


def test_clientes_lentos_no_bloquean_salud(frente):
    """A dozen clients sending their headers a byte at a time, more than gunicorn's threads:
    nginx holds them, /salud answers at once."""
    puerto, _ = frente
    lentos = []
    try:
        for _ in range(12):
            s = socket.create_connection(("127.0.0.1", puerto))
            s.sendall(b"GET /salud HTTP/1.1\r\nHost: loc")
            lentos.append(s)
        time.sleep(0.5)
        inicio = time.monotonic()
        respuesta = pedir(puerto, "/salud")
        assert respuesta.startswith(b"HTTP/1.1 200"), respuesta[:100]
        assert time.monotonic() - inicio < 2
    finally:
        for s in lentos:
            s.close()


def test_una_descarga_detenida_no_retiene_la_respuesta(frente):
    """The client reads the first bytes and stops: nginx takes the rest of the answer from
    gunicorn into its buffers, so the answer is over (an export's slot released) at once."""
    puerto, marca = frente
    cliente = socket.create_connection(("127.0.0.1", puerto))
    cliente.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    try:
        cliente.sendall(b"GET /exportar HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert cliente.recv(4096).startswith(b"HTTP/1.1 200")
        limite = time.monotonic() + 10
        while not marca.exists() and time.monotonic() < limite:
            time.sleep(0.1)
        assert marca.exists()
    finally:
        cliente.close()
