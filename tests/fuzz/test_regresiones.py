"""The server errors found on production (PostgreSQL), each with the input that caused it:
digits of other scripts that str.isdigit() accepts and int() refuses ("²"), numbers past
int()'s 4,300-digit limit, and NUL characters PostgreSQL cannot take."""

import pytest

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory
from tests.isp_portal.rutas import crear_datos

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MIL_DIGITOS = "9" * 5000


def assert_pagina_400(respuesta):
    """The site's Spanish 400 page (templates/400.html, through handler400)."""
    assert "400.html" in [t.name for t in respuesta.templates]
    assert "Solicitud incorrecta" in respuesta.content.decode()


@pytest.fixture
def objetos():
    return crear_datos()


@pytest.fixture
def conexion(objetos):
    return objetos["conexiones.Conexion"]


@pytest.mark.parametrize("valor", ["²", "١٢", "１３１", MIL_DIGITOS, "-1", "0"])
def test_lista_de_conexiones_con_cliente_que_no_es_un_id(operador_client, objetos, valor):
    respuesta = operador_client.get("/conexiones/", {"cliente": valor})
    assert respuesta.status_code == 200
    assert respuesta.context["cliente_filtrado"] is None
    assert respuesta.context["add_url"] == "/conexiones/nueva"


def test_lista_de_conexiones_con_cliente_valido(operador_client, objetos):
    cliente = objetos["clientes.ClienteCorp"]
    respuesta = operador_client.get("/conexiones/", {"cliente": str(cliente.pk)})
    assert respuesta.context["cliente_filtrado"] == cliente
    assert respuesta.context["add_url"] == f"/conexiones/nueva?cliente_id={cliente.pk}"


@pytest.mark.parametrize("valor", ["²", "١٢", MIL_DIGITOS])
def test_nueva_conexion_con_cliente_id_que_no_es_un_id(operador_client, objetos, valor):
    respuesta = operador_client.get("/conexiones/nueva", {"cliente_id": valor})
    assert respuesta.status_code == 200
    assert "cliente" not in respuesta.context["form"].initial


@pytest.mark.parametrize("mbps", ["²", "١٢", MIL_DIGITOS, "9" * 30])
def test_vista_previa_de_ajustar_bw_con_mbps_que_no_es_un_entero(operador_client, conexion, mbps):
    respuesta = operador_client.get(
        f"/conexiones/{conexion.pk}/ajustar-bw/vista-previa",
        {"modo": "AUMENTAR", "mbps": mbps},
        **HTMX,
    )
    assert respuesta.status_code == 200
    assert respuesta.context["form"].mbps_valido() is None


@pytest.mark.parametrize("mbps", ["²", "١٢", MIL_DIGITOS])
def test_ajustar_bw_con_mbps_que_no_es_un_entero(operador_client, conexion, mbps):
    antes = conexion.bw_contratado
    respuesta = operador_client.post(
        f"/conexiones/{conexion.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": mbps}, **HTMX
    )
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors["mbps"]
    conexion.refresh_from_db()
    assert conexion.bw_contratado == antes


@pytest.mark.parametrize("valor", ["²", "١٢", MIL_DIGITOS, "9" * 25])
def test_formulario_de_conexion_con_equipo_que_no_es_un_id(operador_client, conexion, valor):
    respuesta = operador_client.post(f"/conexiones/{conexion.pk}/editar", {"equipos": valor})
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors["equipos"] == [f"El equipo {valor} no existe."]


@pytest.mark.parametrize(
    ("campo", "valor"),
    [("cliente", "²"), ("nodo_a", "١٢"), ("servicio", MIL_DIGITOS), ("proveedor", "9" * 25)],
)
def test_formulario_de_conexion_con_fila_que_no_es_un_id(operador_client, objetos, campo, valor):
    respuesta = operador_client.post("/conexiones/nueva", {campo: valor})
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors[campo]


@pytest.mark.parametrize("valor", ["²", "١٢", MIL_DIGITOS])
def test_formulario_de_conexion_con_bw_que_no_es_un_entero(operador_client, objetos, valor):
    respuesta = operador_client.post("/conexiones/nueva", {"bw_contratado": valor})
    errores = respuesta.context["form"].errors["bw_contratado"]
    assert errores == (
        [f"{MIL_DIGITOS[:29]}… Mbps supera el máximo de 100000 Mbps por conexión."]
        if valor == MIL_DIGITOS
        else ["Ingrese un número entero de Mbps mayor que cero."]
    )


@pytest.mark.parametrize(
    ("url", "parametro"),
    [
        ("/conexiones/cid-sugerido/", "cliente"),
        ("/conexiones/servicios-proveedor/", "proveedor"),
        ("/conexiones/equipos-buscar/?equipo_q=a", "conexion"),
        ("/proveedores/servicios/nuevo", "proveedor"),
    ],
)
@pytest.mark.parametrize("valor", ["²", "١٢", MIL_DIGITOS])
def test_ids_de_los_ayudantes_htmx(operador_client, objetos, url, parametro, valor):
    assert operador_client.get(url, {parametro: valor}, **HTMX).status_code == 200


def test_el_cid_sugerido_salta_un_cid_guardado_con_otras_cifras(operador_client):
    """A stored CID whose sequence has a "²" (isdigit() but not int()) is not a sequence."""
    cliente = ClienteCorpFactory(cid="257")
    ConexionFactory(cliente=cliente, cid_enlace="25700²")
    ConexionFactory(cliente=cliente, cid_enlace="257004")
    respuesta = operador_client.get("/conexiones/cid-sugerido/", {"cliente": cliente.pk}, **HTMX)
    assert respuesta.status_code == 200
    assert 'value="257005"' in respuesta.content.decode()


def test_revocar_un_token_que_no_es_un_id(operador_client):
    respuesta = operador_client.post("/cuenta/tokens-api/", {"revocar": "²"}, follow=True)
    assert "Ese token no existe o no es suyo." in respuesta.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/conexiones/clientes-buscar/?q=%00",
        "/conexiones/equipos-buscar/?equipo_q=%00",
        "/conexiones/?busqueda=a%00b",
        "/clientes_corporativo/?busqueda=%00",
        "/conexiones/?x%00=1",
        "/conexiones/%00/",
    ],
)
def test_un_caracter_nulo_es_400_antes_de_la_base_de_datos(operador_client, objetos, url):
    respuesta = operador_client.get(url, **HTMX)
    assert respuesta.status_code == 400
    assert_pagina_400(respuesta)


def test_un_caracter_nulo_en_un_formulario_es_400(operador_client, objetos):
    from clientes.models import ClienteCorp

    antes = ClienteCorp.objects.count()
    respuesta = operador_client.post(
        "/clientes_corporativo/nuevo", {"razon_social": "Andina\x00", "ruc": "20100017491"}
    )
    assert respuesta.status_code == 400
    assert ClienteCorp.objects.count() == antes


def test_el_400_es_la_pagina_del_sitio(client):
    """Without login too: refused before the login redirect."""
    respuesta = client.get("/conexiones/?busqueda=%00")
    assert respuesta.status_code == 400
    assert_pagina_400(respuesta)


ENORME = str(2**64)  # past every id column: Django's <int:> passed it to the query


@pytest.mark.parametrize(
    "url",
    [f"/conexiones/{ENORME}/", f"/clientes_corporativo/{ENORME}/editar", "/conexiones/0/"],
)
def test_un_id_de_la_url_fuera_de_rango_es_404(operador_client, url):
    assert operador_client.get(url).status_code == 404


def test_un_id_de_la_api_fuera_de_rango_es_404_json(usuario_operador):
    from tests.api.conftest import cliente_con_token

    api = cliente_con_token(usuario_operador)
    respuesta = api.delete(f"/v1/conexiones/{ENORME}/ajustes-programados/100")
    assert respuesta.status_code == 404
    assert respuesta["Content-Type"] == "application/json"
