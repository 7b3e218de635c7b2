"""Writes through the API: PUT changes only the fields sent; the rules are the services' and
the forms'; Ajustar BW answers 200, 409 or 400 as the documents and the pages do."""

import json

import pytest

from clientes.factories import ClienteCorpFactory, SedeFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import AjusteBW, Conexion
from conexiones.services import MOTIVO_EDICION
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def _json(respuesta):
    assert respuesta["Content-Type"].startswith("application/json"), respuesta.content[:300]
    return json.loads(respuesta.content)


def _columnas(obj) -> dict:
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in ("updated_at",)
    }


# --- partial updates ------------------------------------------------------------------------
def test_put_de_cliente_cambia_solo_lo_enviado(api_operador):
    cliente = ClienteCorpFactory(responsable="Ana", cod_erp="ERP-1")
    antes = _columnas(cliente)
    respuesta = api_operador.put(
        f"/v1/clientes-corporativo/editar/{cliente.pk}", {"responsable": "Luis Rojas"}
    )
    assert respuesta.status_code == 200, respuesta.content
    assert _columnas(cliente) == {**antes, "responsable": "Luis Rojas"}
    historia = cliente.history.order_by("history_id").last()
    assert historia.history_user.username == "operador"


def test_put_de_cliente_no_valida_campos_no_enviados(api_operador):
    """A stored value that today's rules refuse does not block editing another field."""
    cliente = ClienteCorpFactory()
    type(cliente).objects.filter(pk=cliente.pk).update(ruc="20100017490")  # bad check digit
    respuesta = api_operador.put(
        f"/v1/clientes-corporativo/editar/{cliente.pk}", {"responsable": "Luis"}
    )
    assert respuesta.status_code == 200, respuesta.content


def test_put_de_sede_valida_la_provincia_con_el_departamento_guardado(api_operador):
    sede = SedeFactory(departamento="Cusco", provincia="Urubamba", distrito="Ollantaytambo")
    antes = _columnas(sede)
    mala = api_operador.put("/v1/sedes/editar", {"id": sede.pk, "provincia": "Miraflores"})
    assert mala.status_code == 400
    assert "provincia" in _json(mala)
    buena = api_operador.put("/v1/sedes/editar", {"id": sede.pk, "provincia": "Calca"})
    assert buena.status_code == 200, buena.content
    # The search document (a generated column) follows the provincia.
    busqueda = antes["busqueda"].replace(" urubamba ", " calca ")
    assert _columnas(sede) == {**antes, "provincia": "Calca", "busqueda": busqueda}


def test_put_de_sede_no_cambia_de_cliente(api_operador):
    sede = SedeFactory()
    otro = ClienteCorpFactory()
    respuesta = api_operador.put("/v1/sedes/editar", {"id": sede.pk, "cliente_id": otro.pk})
    assert respuesta.status_code == 400
    assert _json(respuesta) == {"cliente_id": ["Campo desconocido."]}


def test_put_de_conexion_cambia_solo_lo_enviado(api_operador):
    conexion = ConexionFactory(bw_utilizado=10, configuracion_nodo_b="vlan 10")
    antes = _columnas(conexion)
    respuesta = api_operador.put(f"/v1/conexiones/{conexion.pk}", {"locacion": "Piso 3"})
    assert respuesta.status_code == 200, respuesta.content
    despues = _columnas(conexion)
    assert {k: v for k, v in despues.items() if k != "busqueda"} == {
        k: v for k, v in {**antes, "locacion": "Piso 3"}.items() if k != "busqueda"
    }
    assert _json(respuesta)["locacion"] == "Piso 3"


def test_put_de_conexion_con_los_nombres_de_los_documentos(api_operador):
    conexion = ConexionFactory(estado="ACTIVO")
    nodo = NodoFactory()
    equipo = EquipoFactory()
    respuesta = api_operador.put(
        f"/v1/conexiones/{conexion.pk}",
        {
            "estado": "INACTIVO",
            "distrito_enlace": "San Isidro",
            "configuracion_nodo_b": None,
            "nodo_b": nodo.pk,
            "equipos_ids": [equipo.pk],
            "fecha_activacion": "2025-07-01",
        },
    )
    assert respuesta.status_code == 200, respuesta.content
    cuerpo = _json(respuesta)
    assert cuerpo["enlace_estado"] == "SUSPENDIDO"
    assert cuerpo["distrito_enlace"] == "San Isidro"
    assert cuerpo["nodo_b"] == nodo.pk and cuerpo["configuracion_nodo_b"] == ""
    assert cuerpo["equipos_ids"] == [equipo.pk]
    assert cuerpo["enlace_fecha_activacion"] == "2025-07-01"
    assert conexion.history.order_by("history_id").last().history_user.username == "operador"


def test_put_de_bw_contratado_es_un_ajuste_registrado(api_operador):
    conexion = ConexionFactory(bw_contratado=100, servicio__capacidad_contratada=1000)
    respuesta = api_operador.put(f"/v1/conexiones/{conexion.pk}", {"bw_contratado": 150})
    assert respuesta.status_code == 200, respuesta.content
    ajuste = AjusteBW.objects.get()
    assert (ajuste.modo, ajuste.mbps, ajuste.bw_anterior, ajuste.bw_resultante) == (
        "AUMENTAR",
        50,
        100,
        150,
    )
    assert ajuste.motivo == MOTIVO_EDICION and ajuste.usuario.username == "operador"


def test_put_vacio_no_cambia_nada(api_operador):
    conexion = ConexionFactory()
    antes = _columnas(conexion)
    assert api_operador.put(f"/v1/conexiones/{conexion.pk}", {}).status_code == 200
    assert _columnas(conexion) == antes


def test_put_de_conexion_que_sobresuscribe_pide_confirmar(api_operador):
    servicio = ServicioProveedorFactory(capacidad_contratada=100)
    conexion = ConexionFactory(servicio=None, bw_contratado=80)
    ConexionFactory(servicio=servicio, bw_contratado=50)
    respuesta = api_operador.put(f"/v1/conexiones/{conexion.pk}", {"servicio_id": servicio.pk})
    assert respuesta.status_code == 409
    assert "sobresuscrito en 30 Mbps" in _json(respuesta)["confirmar"][0]
    conexion.refresh_from_db()
    assert conexion.servicio_id is None
    confirmada = api_operador.put(
        f"/v1/conexiones/{conexion.pk}", {"servicio_id": servicio.pk, "confirmar": True}
    )
    assert confirmada.status_code == 200, confirmada.content


def test_crear_conexion_que_sobresuscribe_pide_confirmar(api_operador):
    servicio = ServicioProveedorFactory(capacidad_contratada=100)
    cliente = ClienteCorpFactory()
    payload = {
        "cliente_id": cliente.pk,
        "tipo_enlace": "Internet",
        "bw_contratado": 150,
        "servicio_id": servicio.pk,
    }
    respuesta = api_operador.post("/v1/conexiones", payload)
    assert respuesta.status_code == 409
    assert Conexion.objects.count() == 0
    assert api_operador.post("/v1/conexiones", {**payload, "confirmar": 1}).status_code == 201


@pytest.mark.parametrize(
    ("cambio", "campo", "mensaje"),
    [
        ({"nodo_b": "A"}, "non_field_errors", "El nodo A y el nodo B deben ser distintos."),
        ({"cid": "OTRA"}, "cid", "Ya existe una conexión con este CID."),
        ({"cid": None}, "cid", None),
        ({"cliente_id": 999999}, "cliente_id", "No existe el cliente corporativo 999999."),
        ({"equipos_ids": [999999]}, "equipos_ids", "No existe el equipo 999999."),
        ({"equipos_ids": ["OCUPADO"]}, "equipos_ids", "Equipos ya asignados a otra conexión"),
        ({"departamento_enlace": "Narnia"}, "departamento_enlace", "no es un departamento"),
        ({"tipo_enlace": "Radio"}, "tipo_enlace", "Elija una de las opciones"),
        ({"bw_contratado": 0}, "bw_contratado", None),
        ({"bw_contratado": 10**12}, "bw_contratado", "supera el máximo de 100000 Mbps"),
        ({"bw_utilizado": 80}, "bw_utilizado", "Lo fija el monitoreo"),
        ({"cid": "٣٣٣"}, "cid", "El CID solo admite letras sin tilde"),
    ],
)
def test_put_de_conexion_refusa_con_el_mensaje_en_su_campo(api_operador, cambio, campo, mensaje):
    conexion = ConexionFactory()
    otra = ConexionFactory(cid_enlace="OTRA")
    ocupado = EquipoFactory(conexion=otra)
    valores = {
        "A": conexion.nodo_a_id,
        "OCUPADO": ocupado.pk,
    }
    cambio = {
        k: ([valores.get(x, x) for x in v] if isinstance(v, list) else valores.get(v, v))
        if not isinstance(v, int | type(None))
        else v
        for k, v in cambio.items()
    }
    antes = _columnas(conexion)
    respuesta = api_operador.put(f"/v1/conexiones/{conexion.pk}", cambio)
    assert respuesta.status_code == 400, respuesta.content
    errores = _json(respuesta)
    assert list(errores) == [campo]
    if mensaje:
        assert mensaje in errores[campo][0]
    assert _columnas(conexion) == antes
    assert AjusteBW.objects.count() == 0


# --- Ajustar BW ------------------------------------------------------------------------------
def _ajustar(cliente_api, conexion, **datos):
    return cliente_api.post(f"/v1/conexiones/{conexion.pk}/ajustar-bw", datos)


def test_aumento_que_sobresuscribe_responde_409_con_las_cifras_y_no_cambia_nada(api_operador):
    conexion = ConexionFactory(bw_contratado=80, servicio__capacidad_contratada=100)
    respuesta = _ajustar(api_operador, conexion, modo="AUMENTAR", mbps=50, motivo="pico")
    assert respuesta.status_code == 409
    cuerpo = _json(respuesta)
    assert cuerpo["confirmar"] == [
        f"El servicio {conexion.servicio.codigo} quedaría sobresuscrito en 30 Mbps. "
        "Confirme para continuar."
    ]
    assert cuerpo["calculo"] == {
        "bw_actual": 80,
        "bw_resultante": 130,
        "servicio_disponible_actual": 20,
        "servicio_disponible_resultante": -30,
        "servicio_vendida_actual": 80,
        "servicio_vendida_resultante": 130,
        "servicio_por_revertir": 0,
    }
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 80
    assert AjusteBW.objects.count() == 0
    confirmada = _ajustar(api_operador, conexion, modo="AUMENTAR", mbps=50, confirmar=True)
    assert confirmada.status_code == 200
    assert _json(confirmada)["servicio"]["capacidad_disponible"] == -30


@pytest.mark.parametrize(
    ("estado", "datos", "campo", "mensaje"),
    [
        ("BAJA", {"modo": "AUMENTAR", "mbps": 5}, "non_field_errors", "en BAJA no se puede"),
        ("ACTIVO", {"modo": "DISMINUIR", "mbps": 100}, "mbps", "por debajo de 1 Mbps"),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": 100_000}, "mbps", "supera el máximo de 100000"),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": 10**40}, "mbps", None),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": 0}, "mbps", "mayor que cero"),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": -5}, "mbps", "mayor que cero"),
        ("ACTIVO", {"modo": "SUBIR", "mbps": 5}, "modo", "AUMENTAR"),
        ("ACTIVO", {"mbps": 5}, "modo", None),
        ("ACTIVO", {"modo": "AUMENTAR"}, "mbps", None),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": 5.5}, "mbps", "número entero"),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": "٥"}, "mbps", "número entero"),
        ("ACTIVO", {"modo": "AUMENTAR", "mbps": True}, "mbps", "número entero"),
    ],
)
def test_ajuste_refusado_responde_400_en_castellano(api_operador, estado, datos, campo, mensaje):
    conexion = ConexionFactory(bw_contratado=100, estado=estado)
    respuesta = _ajustar(api_operador, conexion, **datos)
    assert respuesta.status_code == 400, respuesta.content
    errores = _json(respuesta)
    assert list(errores) == [campo]
    if mensaje:
        assert mensaje in errores[campo][0]
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 100
    assert AjusteBW.objects.count() == 0


def test_ajuste_de_una_conexion_que_no_existe(api_operador):
    respuesta = api_operador.post(
        "/v1/conexiones/999999/ajustar-bw", {"modo": "AUMENTAR", "mbps": 1}
    )
    assert respuesta.status_code == 404
    assert _json(respuesta) == {"detail": "Conexión 999999 no existe."}
