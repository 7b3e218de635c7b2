"""A WSGI app for the gunicorn test: it streams without end (as a big CSV export does) and
writes a file when gunicorn closes its iterator."""

import os
from pathlib import Path

MARCA = Path(os.environ.get("MARCA_CIERRE", "/tmp/cierre"))
BLOQUE = b"x" * 65536


class Descarga:
    def __iter__(self):
        for _ in range(100_000):  # 6 GB at most: far more than the socket buffers hold
            yield BLOQUE

    def close(self):
        MARCA.write_text("cerrada")


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/csv")])
    return Descarga()
