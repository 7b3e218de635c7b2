"""The source documents' payloads, posted verbatim, and every field of the answers."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils.dateparse import parse_datetime

from clientes.api.views import EJEMPLO_CLIENTE, EJEMPLO_SEDE
from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.models import ClienteCorp, Sede
from conexiones.api.views import EJEMPLO_AJUSTE, EJEMPLO_CONEXION
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion
from isp_portal.datos_demo import ruc_valido
from proveedores.factories import ServicioProveedorFactory
from tests.api.conftest import con_pk

pytestmark = pytest.mark.django_db

# An excerpt of ../shared/spec/conexiones.txt, as written: the `Conexion` type and the
# example payloads. The API must answer that type's fields, in its order, and take the payloads.
DOCUMENTO = (Path(__file__).parent / "documentos" / "conexiones.txt").read_text()
CAMPOS_CONEXION = re.findall(
    r"^  (\w+):", DOCUMENTO.split("type Conexion = {")[1].split("\n};")[0], re.M
)


def ejemplo(titulo: str) -> str:
    """The JSON block printed under "Example: <titulo>"."""
    bloque = DOCUMENTO.split(f"Example: {titulo}\n")[1]
    return bloque[: bloque.index("\n}") + 2].strip()


PAYLOAD_CONEXION = ejemplo("create payload")
PAYLOAD_AJUSTE = ejemplo("bandwidth adjustment payload")


def test_el_extracto_de_los_documentos_se_lee_entero():
    assert CAMPOS_CONEXION[0] == "enlace_id" and CAMPOS_CONEXION[-1] == "equipos_ids"
    assert len(CAMPOS_CONEXION) == 28
    assert json.loads(PAYLOAD_AJUSTE) == {"modo": "AUMENTAR", "mbps": 100}


def test_los_ejemplos_de_la_documentacion_son_los_de_los_documentos():
    assert json.loads(PAYLOAD_CONEXION) == EJEMPLO_CONEXION
    assert json.loads(PAYLOAD_AJUSTE) == EJEMPLO_AJUSTE


@pytest.fixture
def mundo_del_ejemplo():
    """The rows the documents' payload names: client 5 (CID 257), service 3, nodes 12, 17."""
    cliente = con_pk(ClienteCorpFactory, 5, cid="257", razon_social="Andina de Servicios S.A.C.")
    servicio = con_pk(ServicioProveedorFactory, 3, capacidad_contratada=1000)
    nodo_a = con_pk(NodoFactory, 12, nombre="POP Miraflores", tipo="POP")
    nodo_b = con_pk(NodoFactory, 17, nombre="Torre Larco", tipo="Torre")
    return cliente, servicio, nodo_a, nodo_b


def _json(respuesta):
    assert respuesta["Content-Type"].startswith("application/json"), respuesta.content[:200]
    return json.loads(respuesta.content)


def test_crear_conexion_con_el_payload_de_los_documentos(api_operador, mundo_del_ejemplo):
    cliente, servicio, nodo_a, nodo_b = mundo_del_ejemplo
    respuesta = api_operador.post("/v1/conexiones", PAYLOAD_CONEXION)
    assert respuesta.status_code == 201, respuesta.content
    cuerpo = _json(respuesta)
    assert list(cuerpo) == [*CAMPOS_CONEXION, "bw_utilizado_momento"]
    conexion = Conexion.objects.get(cid_enlace="257001")
    creado = parse_datetime(cuerpo.pop("created_at"))
    assert creado == conexion.created_at
    assert cuerpo == {
        "enlace_id": conexion.pk,
        "servicio_id": 3,
        "cid_enlace": "257001",
        "modalidad_enlace": "P2P",
        "tipo_enlace": "Internet",
        "enlace_estado": "ACTIVO",
        "enlace_fecha_activacion": "2025-06-01",
        "bw_contratado": 500,
        "bw_disponible": 500,
        "bw_utilizado": 0,
        "departamento_enlace": "Lima",
        "provincia_enlace": "Lima",
        "distrito_enlace": "Miraflores",
        "direccion_enlace": "Av. Larco 1150",
        "locacion": "Lima - Miraflores / Oficina",
        "cliente_id": 5,
        "cliente_razon_social": "Andina de Servicios S.A.C.",
        "cliente_ruc": cliente.ruc,
        "nodo_a": 12,
        "nodo_a_nombre": "POP Miraflores",
        "nodo_a_tipo": "POP",
        "configuracion_nodo_a": "interface Gi0/0\n ip address 10.0.0.1 255.255.255.252",
        "nodo_b": 17,
        "nodo_b_nombre": "Torre Larco",
        "nodo_b_tipo": "Torre",
        "configuracion_nodo_b": "",
        "equipos_ids": [],
        "bw_utilizado_momento": None,
    }
    # Written by the service, with the token's user in the history.
    assert conexion.fecha_activacion == date(2025, 6, 1)
    assert conexion.history.get().history_user.username == "operador"
    # GET answers the same shape.
    leida = _json(api_operador.get(f"/v1/conexiones/{conexion.pk}"))
    assert list(leida) == [*CAMPOS_CONEXION, "bw_utilizado_momento"]
    assert leida["cid_enlace"] == "257001" and leida["bw_contratado"] == 500


def test_sin_cid_toma_el_siguiente_del_cliente(api_operador, mundo_del_ejemplo):
    payload = json.loads(PAYLOAD_CONEXION)
    ConexionFactory(cliente=mundo_del_ejemplo[0], cid_enlace="257001", servicio=None)
    payload["cid"] = None
    primera = _json(api_operador.post("/v1/conexiones", payload))
    del payload["cid"]
    payload["bw_contratado"] = 10
    segunda = _json(api_operador.post("/v1/conexiones", payload))
    assert (primera["cid_enlace"], segunda["cid_enlace"]) == ("257002", "257003")


def test_inactivo_se_guarda_como_suspendido_y_los_equipos_se_asignan(
    api_operador, mundo_del_ejemplo
):
    equipos = EquipoFactory.create_batch(2)
    payload = {**json.loads(PAYLOAD_CONEXION), "estado": "INACTIVO"}
    payload["equipos_ids"] = [equipos[1].pk, equipos[0].pk]
    cuerpo = _json(api_operador.post("/v1/conexiones", payload))
    assert cuerpo["enlace_estado"] == EstadoConexion.SUSPENDIDO
    assert cuerpo["equipos_ids"] == sorted(e.pk for e in equipos)
    for equipo in equipos:
        equipo.refresh_from_db()
        assert equipo.conexion_id == cuerpo["enlace_id"]


def test_ajustar_bw_con_el_payload_de_los_documentos(api_operador):
    conexion = ConexionFactory(bw_contratado=200, servicio__capacidad_contratada=1000)
    respuesta = api_operador.post(f"/v1/conexiones/{conexion.pk}/ajustar-bw", PAYLOAD_AJUSTE)
    assert respuesta.status_code == 200, respuesta.content
    cuerpo = _json(respuesta)
    ajuste = AjusteBW.objects.get()
    assert parse_datetime(cuerpo["ajuste"].pop("created_at")) == ajuste.created_at
    assert cuerpo == {
        "ajuste": {
            "id": ajuste.pk,
            "enlace_id": conexion.pk,
            "servicio_id": conexion.servicio_id,
            "modo": "AUMENTAR",
            "mbps": 100,
            "bw_anterior": 200,
            "bw_resultante": 300,
            "servicio_disponible_anterior": 800,
            "servicio_disponible_resultante": 700,
            "motivo": "",
            "usuario": "operador",
        },
        "conexion": {
            "enlace_id": conexion.pk,
            "cid_enlace": conexion.cid_enlace,
            "bw_contratado": 300,
            "bw_disponible": 300,
            "bw_utilizado": 0,
        },
        "servicio": {
            "servicio_id": conexion.servicio_id,
            "codigo": conexion.servicio.codigo,
            "capacidad_contratada": 1000,
            "capacidad_vendida": 300,
            "capacidad_disponible": 700,
        },
    }
    libro = _json(api_operador.get(f"/v1/conexiones/{conexion.pk}/ajustes"))
    assert libro["count"] == 1
    assert libro["results"][0]["id"] == ajuste.pk


def test_listar_conexiones_responde_el_sobre_de_los_documentos(api_lectura):
    conexiones = ConexionFactory.create_batch(3)
    EquipoFactory(conexion=conexiones[0])
    cuerpo = _json(api_lectura.get("/v1/conexiones/listar?limit=2&offset=1"))
    assert list(cuerpo) == ["count", "limit", "offset", "results"]
    assert (cuerpo["count"], cuerpo["limit"], cuerpo["offset"]) == (3, 2, 1)
    # Newest first: offset 1 skips the last one created.
    assert [c["enlace_id"] for c in cuerpo["results"]] == [conexiones[1].pk, conexiones[0].pk]
    assert all(list(c) == [*CAMPOS_CONEXION, "bw_utilizado_momento"] for c in cuerpo["results"])
    assert len(cuerpo["results"][1]["equipos_ids"]) == 1


@pytest.mark.parametrize(
    ("parametros", "esperados"),
    [
        ("estado=BAJA", ["baja"]),
        ("tipo_enlace=IPVPN", ["ipvpn"]),
        ("busqueda=Ferreyros", ["ipvpn"]),
    ],
)
def test_listar_conexiones_con_filtros(api_lectura, parametros, esperados):
    filas = {
        "baja": ConexionFactory(estado="BAJA"),
        "ipvpn": ConexionFactory(tipo_enlace="IPVPN", cliente__razon_social="Ferreyros S.A."),
        "otra": ConexionFactory(),
    }
    cuerpo = _json(api_lectura.get(f"/v1/conexiones/listar?{parametros}"))
    assert [c["enlace_id"] for c in cuerpo["results"]] == [filas[n].pk for n in esperados]


def test_listar_conexiones_de_un_cliente_y_de_un_proveedor(api_lectura):
    una = ConexionFactory()
    ConexionFactory()
    por_cliente = _json(api_lectura.get(f"/v1/conexiones/listar?cliente_id={una.cliente_id}"))
    assert [c["enlace_id"] for c in por_cliente["results"]] == [una.pk]
    proveedor = una.servicio.proveedor_id
    por_proveedor = _json(api_lectura.get(f"/v1/conexiones/listar?proveedor={proveedor}"))
    assert [c["enlace_id"] for c in por_proveedor["results"]] == [una.pk]


def test_clientes_con_los_nombres_de_los_documentos(api_operador):
    # The docs' example, with a RUC written with spaces as people type it.
    payload = {**EJEMPLO_CLIENTE, "cid": "811", "ruc": "20 100 017 491"}
    respuesta = api_operador.post("/v1/clientes-corporativo/crear", payload)
    assert respuesta.status_code == 201, respuesta.content
    cuerpo = _json(respuesta)
    cliente = ClienteCorp.objects.get(cid="811")
    # fmt: off
    assert list(cuerpo) == [
        "id", "cid", "cod_erp", "razon_social", "ruc", "responsable", "telefono", "correo",
        "fecha_activacion", "is_active", "created_at", "updated_at",
    ]
    # fmt: on
    assert cuerpo["id"] == cliente.pk
    assert cuerpo["ruc"] == "20100017491"  # compacted, as the form does
    assert cuerpo["is_active"] is True
    assert cuerpo["fecha_activacion"] == EJEMPLO_CLIENTE["fecha_activacion"]
    assert cliente.history.get().history_user.username == "operador"
    for valor, esperado in [(0, False), (1, True), ("false", False), (True, True)]:
        editado = api_operador.put(
            f"/v1/clientes-corporativo/editar/{cliente.pk}", {"is_active": valor}
        )
        assert editado.status_code == 200, editado.content
        assert _json(editado)["is_active"] is esperado
    leido = _json(api_operador.get(f"/v1/clientes-corporativo/{cliente.pk}"))
    assert leido["razon_social"] == EJEMPLO_CLIENTE["razon_social"] and leido["is_active"] is True


def test_contacto_del_cliente(api_operador):
    cliente = ClienteCorpFactory(telefono="", correo="")
    url = f"/v1/clientes-corporativo/editar/{cliente.pk}"
    editado = api_operador.put(url, {"telefono": "01 411 2000", "correo": "noc@andina.pe"})
    assert editado.status_code == 200, editado.content
    cuerpo = _json(editado)
    assert (cuerpo["telefono"], cuerpo["correo"]) == ("01 411 2000", "noc@andina.pe")
    malo = api_operador.put(url, {"correo": "no-es-correo"})
    assert malo.status_code == 400 and "correo" in _json(malo)


def test_cliente_con_reglas_del_formulario(api_operador):
    otro = ClienteCorpFactory(cid="257", ruc=ruc_valido(77))
    respuesta = api_operador.post(
        "/v1/clientes-corporativo/crear",
        {"cid": "257", "razon_social": "X", "ruc": otro.ruc},
    )
    assert respuesta.status_code == 400
    errores = _json(respuesta)
    assert errores["cid"] == [f"El CID 257 ya pertenece al cliente «{otro.razon_social}»."]
    assert errores["ruc"] == [f"El RUC {otro.ruc} ya pertenece al cliente «{otro.razon_social}»."]
    malo = _json(
        api_operador.post(
            "/v1/clientes-corporativo/crear",
            {"cid": "1", "razon_social": "X", "ruc": "20100017490"},
        )
    )
    assert "dígito verificador" in malo["ruc"][0]
    assert ClienteCorp.objects.count() == 1


def test_listar_select_de_clientes_con_sus_sedes(api_lectura):
    cliente = ClienteCorpFactory(razon_social="Andina")
    sedes = SedeFactory.create_batch(2, cliente=cliente)
    cuerpo = _json(api_lectura.get("/v1/clientes-corporativo/listar/select?busqueda=Andina"))
    assert cuerpo["count"] == 1
    (fila,) = cuerpo["results"]
    assert fila == {
        "id": cliente.pk,
        "cid": cliente.cid,
        "razon_social": "Andina",
        "ruc": cliente.ruc,
        "sedes": [{"id": s.pk, "oficina": s.oficina, "locacion": s.locacion} for s in sedes],
    }


def test_sedes_crear_editar_y_listar(api_operador):
    cliente = ClienteCorpFactory()
    # The example the API's docs show, for this client.
    payload = {**EJEMPLO_SEDE, "cliente_id": cliente.pk}
    creada = api_operador.post("/v1/sedes/crear", payload)
    assert creada.status_code == 201, creada.content
    sede = Sede.objects.get()
    assert _json(creada) == {
        "id": sede.pk,
        **payload,
        "cliente_razon_social": cliente.razon_social,
        "cliente_ruc": cliente.ruc,
    }
    editada = api_operador.put("/v1/sedes/editar", {"id": sede.pk, "oficina": "Sede Norte"})
    assert editada.status_code == 200, editada.content
    assert _json(editada)["oficina"] == "Sede Norte"
    repetida = api_operador.post("/v1/sedes/crear", {**payload, "oficina": "sede norte"})
    assert _json(repetida) == {"oficina": ["El cliente ya tiene una sede llamada «sede norte»."]}
    for url in ("/v1/sedes/listar", f"/v1/sedes/cliente/{cliente.pk}"):
        lista = _json(api_operador.get(url))
        assert lista["count"] == 1 and lista["results"][0]["oficina"] == "Sede Norte"


def test_listas_de_solo_lectura(api_lectura):
    conexion = ConexionFactory(servicio__capacidad_contratada=1000, bw_contratado=250)
    EquipoFactory(conexion=conexion)
    servicios = _json(api_lectura.get("/v1/servicios-proveedor/listar"))
    (servicio,) = servicios["results"]
    assert (
        servicio["capacidad_contratada"],
        servicio["capacidad_vendida"],
        servicio["capacidad_disponible"],
        servicio["porcentaje_uso"],
    ) == (1000, 250, 750, 25.0)
    proveedores = _json(api_lectura.get("/v1/proveedores/listar"))
    assert proveedores["results"][0]["num_servicios"] == 1
    nodos = _json(api_lectura.get("/v1/nodos/listar"))
    assert nodos["count"] == 2
    equipos = _json(api_lectura.get("/v1/equipos/listar?asignado=si"))
    assert equipos["results"][0]["enlace_id"] == conexion.pk
    assert equipos["results"][0]["etiqueta"].endswith(f"SN: {equipos['results'][0]['serie']}")
    select = _json(api_lectura.get("/v1/conexiones/listar/select"))
    assert select["results"][0]["enlace_id"] == conexion.pk


def test_una_lista_grande_cuenta_hasta_un_tope(api_lectura, monkeypatch):
    monkeypatch.setattr("isp_portal.api.vistas.CONTEO_MAXIMO", 3)
    conexiones = ConexionFactory.create_batch(5)
    cuerpo = _json(api_lectura.get("/v1/conexiones/listar?limit=2&offset=3"))
    assert list(cuerpo) == ["count", "limit", "offset", "results", "mas_de"]
    assert (cuerpo["count"], cuerpo["mas_de"]) == (3, True)
    # Paging goes on past the count: the last page comes incomplete.
    assert [c["enlace_id"] for c in cuerpo["results"]] == [conexiones[1].pk, conexiones[0].pk]
    final = _json(api_lectura.get("/v1/conexiones/listar?limit=2&offset=4"))
    assert len(final["results"]) == 1
    exacta = _json(api_lectura.get("/v1/conexiones/listar?estado=ACTIVO&limit=1&offset=5"))
    assert (exacta["count"], exacta["mas_de"], exacta["results"]) == (3, True, [])
    pocas = _json(api_lectura.get(f"/v1/conexiones/listar?cliente_id={conexiones[0].cliente_id}"))
    assert pocas["count"] == 1 and "mas_de" not in pocas
