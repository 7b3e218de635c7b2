"""gunicorn with the project's gunicorn.conf.py, on loopback: a client that stops reading a
streamed answer has its connection and the answer's iterator closed after CLIENT_TIMEOUT,
so an export releases its slot (before, the thread and the slot waited for ever)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    puerto = puerto_libre()
    marca = tmp_path / "cierre"
    entorno = {
        **os.environ,
        "BIND": f"127.0.0.1:{puerto}",
        "WORKERS": "1",
        "THREADS": "2",
        "CLIENT_TIMEOUT": "2",
        "MARCA_CIERRE": str(marca),
    }
    proceso = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        + ["tests.despliegue.app_lenta:app"],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        limite = time.monotonic() + 20
        while time.monotonic() < limite:
            try:
                socket.create_connection(("127.0.0.1", puerto), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn no arrancó")
        yield puerto, marca
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


def test_un_cliente_que_deja_de_leer_libera_la_respuesta(gunicorn):
    puerto, marca = gunicorn
    cliente = socket.create_connection(("127.0.0.1", puerto))
    cliente.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    try:
        cliente.sendall(b"GET /exportar HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert cliente.recv(65536).startswith(b"HTTP/1.1 200")
        # It stops reading: the server fills the socket buffers, then waits.
        limite = time.monotonic() + 15
        while not marca.exists() and time.monotonic() < limite:
            time.sleep(0.2)
        assert marca.exists(), "la respuesta siguió abierta con el cliente detenido"
    finally:
        cliente.close()
