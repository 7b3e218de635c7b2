"""Calls without valid credentials (none, a malformed header, a wrong or expired token) are
limited per client address, as the users' calls are per user: 429 with Retry-After past
`API_LIMITE_ANONIMO`. Before, only authenticated users were counted: guessing tokens or
flooding the API anonymously had no limit."""

import pytest
from django.test import override_settings

from isp_portal.models import ContadorAPI
from tests.api.conftest import ClienteAPI

pytestmark = pytest.mark.django_db

URL = "/v1/nodos/listar"


@pytest.fixture
def limites(settings):
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {"usuario": "1000/min", "anonimo": "3/min"}
    settings.REST_FRAMEWORK = rest


@pytest.mark.parametrize(
    "cabecera",
    [None, "Bearer isp_no-existe", "Bearer", "Bearer a b", "Token x"],
    ids=["sin-token", "token-falso", "sin-valor", "partes-de-mas", "otro-esquema"],
)
def test_sin_credenciales_validas_tambien_hay_limite(limites, cabecera):
    cliente = ClienteAPI()
    cabeceras = {"Authorization": cabecera} if cabecera else {}
    for _ in range(3):
        assert cliente.get(URL, headers=cabeceras).status_code == 401
    respuesta = cliente.get(URL, headers=cabeceras)
    assert respuesta.status_code == 429
    assert 1 <= int(respuesta["Retry-After"]) <= 60
    assert respuesta.json()["detail"]
    assert ContadorAPI.objects.get(clave="anonimo:127.0.0.1").solicitudes == 4


def test_la_cuenta_es_por_direccion_y_no_toca_a_los_usuarios(limites, api_operador):
    intruso = ClienteAPI("isp_adivinado", REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        intruso.get(URL)
    assert intruso.get(URL).status_code == 429
    # Another address, and a user with a valid token, are not held back.
    assert ClienteAPI("isp_otro", REMOTE_ADDR="198.51.100.8").get(URL).status_code == 401
    assert api_operador.get(URL).status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.2"])
def test_detras_del_proxy_cuenta_la_direccion_del_cliente(limites):
    """The address is the login lockout's: the proxy's entry, from the proxy only."""
    a = ClienteAPI(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1")
    b = ClienteAPI(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.2")
    for _ in range(3):
        a.get(URL)
    assert a.get(URL).status_code == 429
    assert b.get(URL).status_code == 401
    # Straight to gunicorn, a rotating header does not escape the count.
    directo = [
        ClienteAPI(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").get(URL)
        for n in range(10, 14)
    ]
    assert [r.status_code for r in directo] == [401, 401, 401, 429]
