"""API test clients: each role with its Bearer token, as scripts and the ERP call the API."""

import pytest
from django.test import Client

from isp_portal.services import token_crear


class ClienteAPI(Client):
    """A test client that sends JSON and, if given a token, `Authorization: Bearer`."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _cabeceras(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._cabeceras(headers), **extra)

    def post(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().post(
            path, data, content_type=content_type, headers=self._cabeceras(headers), **extra
        )

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().put(
            path, data, content_type=content_type, headers=self._cabeceras(headers), **extra
        )

    def generic(
        self,
        method,
        path,
        data="",
        content_type="application/octet-stream",
        secure=False,
        *,
        headers=None,
        **extra,
    ):
        return super().generic(
            method, path, data, content_type, secure, headers=self._cabeceras(headers), **extra
        )


def cliente_con_token(usuario) -> ClienteAPI:
    _, token = token_crear(usuario=usuario, nombre="pruebas")
    return ClienteAPI(token)


@pytest.fixture
def api_anonimo():
    return ClienteAPI()


@pytest.fixture
def api_lectura(usuario_lectura):
    return cliente_con_token(usuario_lectura)


@pytest.fixture
def api_operador(usuario_operador):
    return cliente_con_token(usuario_operador)


@pytest.fixture
def api_admin(admin_user):
    return cliente_con_token(admin_user)


@pytest.fixture
def sin_limite(settings):
    """No rate limit, for tests that make thousands of calls (it is still counted)."""
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {"usuario": "1000000/min"}
    settings.REST_FRAMEWORK = rest


def con_pk(factory, pk: int, **campos):
    """The row `pk` of the factory's model (created if missing), as the documents' example
    payloads name their rows (client 5, service 3, nodes 12 and 17). On PostgreSQL the id
    sequence is moved past it, so later rows never collide with it."""
    from django.core.management.color import no_style
    from django.db import connection

    modelo = factory._meta.model
    fila = modelo.objects.filter(pk=pk).first() or factory(pk=pk, **campos)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [modelo]):
            cursor.execute(sql)
    return fila
