"""A WSGI app for the nginx test: /salud answers at once; /exportar streams 32 MB (as an
export does) and writes a file when its iterator is closed."""

import os
from pathlib import Path

MARCA = Path(os.environ.get("MARCA_CIERRE", "/tmp/cierre"))
BLOQUE = b"x" * 65536


class Descarga:
    def __iter__(self):
        for _ in range(512):
            yield BLOQUE

    def close(self):
        MARCA.write_text("cerrada")


def app(environ, start_response):
    if environ["PATH_INFO"] == "/salud":
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"estado": "ok"}']
    start_response("200 OK", [("Content-Type", "text/csv")])
    return Descarga()
