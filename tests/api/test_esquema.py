"""The OpenAPI document, checked against the API by schemathesis: every operation with
generated input (valid and invalid), and chains of calls that reuse what a call returned.
Never a server error, and every answer conforms to the document."""

import json
from datetime import UTC, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clientes.factories import ClienteCorpFactory
from conexiones.factories import NodoFactory
from isp_portal.models import TokenAPI
from isp_portal.services import token_digest
from proveedores.factories import ServicioProveedorFactory
from tests.api.conftest import con_pk
from tests.fuzz.parametros import FECHAS_LEJANAS, MOMENTOS_LEJANOS
from tests.isp_portal.rutas import crear_datos

pytestmark = pytest.mark.django_db

EJEMPLOS = 12  # per operation: enough to reach each branch, cheap enough for `make test`
PASOS = 25  # calls per stateful scenario
ESCENARIOS = 10


def documento() -> dict:
    """The document /v1/schema/ serves, built without a request (at collection time)."""
    generado = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generado))


# Dates and moments: far ones (out of the site's range, at Python's ends) as often as any.
schemathesis.openapi.format(
    "date",
    st.one_of(st.sampled_from(FECHAS_LEJANAS), st.dates().map(lambda d: d.isoformat())),
)
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.sampled_from(MOMENTOS_LEJANOS),
        st.datetimes(timezones=st.sampled_from([None, UTC])).map(lambda m: m.isoformat()),
    ),
)
esquema = schemathesis.openapi.from_dict(documento())
esquema.app = get_wsgi_application()
# Generated input (fuzzing: valid and invalid), not the coverage phase's exhaustive boundary
# values of every parameter: those cost ~100 s per database and test_errores.py already
# sends every kind of odd value to every write.
esquema.config.phases.coverage.enabled = False


# The token every generated call authenticates with: schemathesis knows it as the API's
# auth, so its checks also send calls without it or with a wrong one (→ 401).
TOKEN = "isp_token-de-las-pruebas-del-esquema"


@esquema.auth()
class TokenDePrueba:
    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def conexion_abierta():
    """Keep the test's database connection across the calls: schemathesis calls the WSGI
    application itself, whose start and end of request would close a connection in a transaction
    (Django's test client avoids it the same way)."""
    for senal in (request_started, request_finished):
        senal.disconnect(close_old_connections)
    yield
    for senal in (request_started, request_finished):
        senal.connect(close_old_connections)


@pytest.fixture
def token_admin(admin_user, sin_limite, conexion_abierta):
    """A superuser's token (every operation allowed), data to read, no rate limit."""
    crear_datos()
    # The rows the documents' example payloads name (client 5, service 3, nodes 12 and 17).
    con_pk(ClienteCorpFactory, 5)
    con_pk(ServicioProveedorFactory, 3, capacidad_contratada=100_000)
    con_pk(NodoFactory, 12)
    con_pk(NodoFactory, 17)
    TokenAPI.objects.create(
        usuario=admin_user,
        prefijo=TOKEN[:12],
        digest=token_digest(TOKEN),
        expira=timezone.now() + timedelta(days=1),
    )
    return TOKEN


def test_el_documento_servido_es_el_que_se_prueba(api_lectura):
    servido = api_lectura.get("/v1/schema/?format=json")
    assert servido.status_code == 200
    assert json.loads(servido.content) == documento()


@esquema.parametrize()
@settings(max_examples=EJEMPLOS, deadline=None, suppress_health_check=list(HealthCheck))
def test_cada_operacion_cumple_el_esquema(case, token_admin):
    case.call_and_validate(
        # A schema-valid body may still break a rule the schema cannot say (an id that does
        # not exist, a RUC's check digit, a CID taken): a 400 there is right.
        excluded_checks=[positive_data_acceptance],
    )


def test_los_enlaces_estan_en_el_documento():
    doc = documento()
    respuesta = doc["paths"]["/v1/conexiones"]["post"]["responses"]["201"]
    assert {e["parameters"]["id"] for e in respuesta["links"].values()} == {
        "$response.body#/enlace_id"
    }
    assert len(respuesta["links"]) == 4


def test_secuencias_de_llamadas(token_admin):
    """Scenarios of calls: what a create returns feeds the calls its links name (read, edit,
    Ajustar BW, the ledger); every answer conforms and none is a server error."""

    llamadas = []

    class Secuencias(esquema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            llamadas.append((case.operation.label, response.status_code))
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance],
                transport_kwargs=kwargs,
            )

    Secuencias.run(
        settings=settings(
            max_examples=ESCENARIOS,
            stateful_step_count=PASOS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Scenarios ran calls, writes among them (they are what the links start from).
    assert any(operacion.startswith(("POST", "PUT")) for operacion, _ in llamadas)
