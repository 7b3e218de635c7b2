"""Every rule on every path: each rule of the models (distinct nodes, a sede's oficina unique per
client ignoring case and accents, at least 1 Mbps, a CID not taken) is refused with its one
message by the page form, the API, the import and the admin, and nothing is written.

A path that skips a rule writes the row (or answers another message) and its case fails.
"""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.models import Sede
from conexiones.factories import ConexionFactory, NodoFactory
from conexiones.models import CID_REPETIDO, NODOS_IGUALES, Conexion
from isp_portal.validators import MENSAJE_BW_MINIMO
from proveedores.factories import ServicioProveedorFactory
from tests.api.conftest import cliente_con_token
from tests.conexiones.test_views import ADD_URL, datos_formulario

CAMINOS = ["pagina", "api", "importacion", "admin"]
OFICINA = "OFICINA CÉNTRAL"  # "Oficina Central" is stored


def _mensajes(errores: dict) -> list[str]:
    return [str(m) for lista in errores.values() for m in lista]


def _form_de(respuesta):
    contexto = respuesta.context
    return contexto["adminform"].form if "adminform" in contexto else contexto["form"]


# --- one bad connection per rule, as each path writes it ---------------------------------------


def conexion_mala(regla: str) -> dict:
    """The model fields of a connection that breaks `regla` (the rest valid)."""
    servicio = ServicioProveedorFactory(capacidad_contratada=10_000)
    datos = {
        "cliente": ClienteCorpFactory(),
        "servicio": servicio,
        "tipo_enlace": "Internet",
        "estado": "ACTIVO",
        "bw_contratado": 100,
        "nodo_a": NodoFactory(),
        "nodo_b": NodoFactory(),
        "cid_enlace": "NUEVO-1",
    }
    if regla == "nodos":
        datos["nodo_b"] = datos["nodo_a"]
    elif regla == "bw":
        datos["bw_contratado"] = 0
    elif regla == "cid":
        datos["cid_enlace"] = ConexionFactory(cid_enlace="TOMADO-1").cid_enlace
    return datos


def conexion_por_pagina(client, datos) -> list[str]:
    formulario = datos_formulario(
        cliente=datos["cliente"],
        servicio=datos["servicio"],
        cid_enlace=datos["cid_enlace"],
        bw_contratado=str(datos["bw_contratado"]),
        nodo_a=datos["nodo_a"].pk,
        nodo_b=datos["nodo_b"].pk,
    )
    respuesta = client.post(ADD_URL, formulario)
    assert respuesta.status_code == 200, "la página guardó la conexión"
    return _mensajes(_form_de(respuesta).errors)


def conexion_por_api(usuario, datos) -> list[str]:
    payload = {
        "cliente_id": datos["cliente"].pk,
        "servicio_id": datos["servicio"].pk,
        "tipo_enlace": datos["tipo_enlace"],
        "estado": datos["estado"],
        "bw_contratado": datos["bw_contratado"],
        "nodo_a": datos["nodo_a"].pk,
        "nodo_b": datos["nodo_b"].pk,
        "cid": datos["cid_enlace"],
    }
    respuesta = cliente_con_token(usuario).post("/v1/conexiones", payload)
    assert respuesta.status_code == 400, respuesta.content
    return _mensajes(json.loads(respuesta.content))


def conexion_por_importacion(tmp_path, datos) -> list[str]:
    columnas = {
        "cid_enlace": datos["cid_enlace"],
        "cliente_ruc": datos["cliente"].ruc,
        "proveedor": datos["servicio"].proveedor.nombre,
        "servicio_codigo": datos["servicio"].codigo,
        "tipo_enlace": datos["tipo_enlace"],
        "estado": datos["estado"],
        "nodo_a": datos["nodo_a"].nombre,
        "nodo_b": datos["nodo_b"].nombre,
    }
    # The file that once created a 0 Mbps connection has no bandwidth column at all.
    if datos["bw_contratado"]:
        columnas["bw_contratado"] = datos["bw_contratado"]
    return _importar(tmp_path, "conexiones", columnas)


def conexion_por_admin(client, datos) -> list[str]:
    campos = {
        "cliente": datos["cliente"].pk,
        "servicio": datos["servicio"].pk,
        "tipo_enlace": datos["tipo_enlace"],
        "estado": datos["estado"],
        "bw_contratado": datos["bw_contratado"],
        "bw_utilizado": 0,
        "nodo_a": datos["nodo_a"].pk,
        "nodo_b": datos["nodo_b"].pk,
        "cid_enlace": datos["cid_enlace"],
    }
    return _admin(client, reverse("admin:conexiones_conexion_add"), campos)


# --- sedes -------------------------------------------------------------------------------------


def sede_por_pagina(client, sede) -> list[str]:
    url = reverse("clientes:sede_add", args=[sede.cliente_id])
    respuesta = client.post(url, {"oficina": OFICINA, "direccion": "Av. Arequipa 100"})
    assert respuesta.status_code == 200, "la página guardó la sede"
    return _mensajes(_form_de(respuesta).errors)


def sede_por_api(usuario, sede) -> list[str]:
    payload = {"cliente_id": sede.cliente_id, "oficina": OFICINA, "direccion": "Av. Arequipa 100"}
    respuesta = cliente_con_token(usuario).post("/v1/sedes/crear", payload)
    assert respuesta.status_code == 400, respuesta.content
    return _mensajes(json.loads(respuesta.content))


def sede_por_importacion(tmp_path, sede) -> list[str]:
    columnas = {"ruc": sede.cliente.ruc, "oficina": OFICINA, "direccion": "Av. Arequipa 100"}
    return _importar(tmp_path, "sedes", columnas)


def sede_por_admin(client, sede) -> list[str]:
    campos = {"cliente": sede.cliente_id, "oficina": OFICINA, "direccion": "Av. Arequipa 100"}
    return _admin(client, reverse("admin:clientes_sede_add"), campos)


# --- the paths' plumbing -----------------------------------------------------------------------


def _importar(tmp_path, entidad: str, columnas: dict) -> list[str]:
    ruta = tmp_path / f"{entidad}.csv"
    with open(ruta, "w", newline="", encoding="utf-8") as archivo:
        csv.writer(archivo).writerows([list(columnas), list(columnas.values())])
    errores = io.StringIO()
    with pytest.raises(CommandError):
        call_command("importar", entidad, str(ruta), stdout=io.StringIO(), stderr=errores)
    return errores.getvalue().splitlines()


def _admin(client, url: str, campos: dict) -> list[str]:
    """POST the admin's add form with its inlines' management forms, and no inline rows."""
    datos = dict(campos)
    for inline in client.get(url).context["inline_admin_formsets"]:
        formset = inline.formset
        for nombre, valor in formset.management_form.initial.items():
            datos[f"{formset.prefix}-{nombre}"] = valor
        datos[f"{formset.prefix}-TOTAL_FORMS"] = 0
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 200, "el admin guardó la fila"
    return _mensajes(_form_de(respuesta).errors)


@pytest.fixture
def clientes(client, usuario_operador, admin_user):
    """Per path, whoever writes there: the operator on pages and API, an admin in /admin/."""
    admin = type(client)()
    admin.force_login(admin_user)
    client.force_login(usuario_operador)
    return {"pagina": client, "api": usuario_operador, "admin": admin}


def _escribir(camino: str, escritores: dict, clientes: dict, tmp_path, datos) -> list[str]:
    if camino == "importacion":
        return escritores[camino](tmp_path, datos)
    return escritores[camino](clientes[camino], datos)


CONEXION = {
    "pagina": conexion_por_pagina,
    "api": conexion_por_api,
    "importacion": conexion_por_importacion,
    "admin": conexion_por_admin,
}
SEDE = {
    "pagina": sede_por_pagina,
    "api": sede_por_api,
    "importacion": sede_por_importacion,
    "admin": sede_por_admin,
}
REGLAS_DE_CONEXION = {"nodos": NODOS_IGUALES, "bw": MENSAJE_BW_MINIMO, "cid": CID_REPETIDO}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("regla", "camino"),
    [
        (regla, camino)
        for regla in REGLAS_DE_CONEXION
        for camino in CAMINOS
        # The CID is the import's natural key: a stored CID updates that connection.
        if (regla, camino) != ("cid", "importacion")
    ],
)
def test_regla_de_conexion_en_cada_camino(regla, camino, clientes, tmp_path):
    datos = conexion_mala(regla)
    antes = Conexion.objects.count()

    mensajes = _escribir(camino, CONEXION, clientes, tmp_path, datos)

    assert any(REGLAS_DE_CONEXION[regla] in m for m in mensajes), mensajes
    assert Conexion.objects.count() == antes


@pytest.mark.django_db
@pytest.mark.parametrize("camino", CAMINOS)
def test_oficina_unica_sin_mayusculas_ni_tildes_en_cada_camino(camino, clientes, tmp_path):
    sede = SedeFactory(oficina="Oficina Central")

    mensajes = _escribir(camino, SEDE, clientes, tmp_path, sede)

    assert any(f"El cliente ya tiene una sede llamada «{OFICINA}»." in m for m in mensajes), (
        mensajes
    )
    assert Sede.objects.count() == 1


@pytest.mark.django_db
def test_oficina_repetida_entre_filas_del_admin_de_cliente(clientes):
    """Two new sedes of one save in the client's admin page (its inline)."""
    cliente = ClienteCorpFactory()
    url = reverse("admin:clientes_clientecorp_change", args=[cliente.pk])
    admin = clientes["admin"]
    respuesta = admin.get(url)
    datos = {
        campo.html_name: campo.value() or ""
        for campo in respuesta.context["adminform"].form
        if campo.value() is not None
    }
    (inline,) = respuesta.context["inline_admin_formsets"]
    prefijo = inline.formset.prefix
    datos |= {f"{prefijo}-{k}": v for k, v in inline.formset.management_form.initial.items()}
    datos[f"{prefijo}-TOTAL_FORMS"] = 2
    for i, oficina in enumerate(["Sede Sur", "SEDE SÚR"]):
        datos |= {f"{prefijo}-{i}-oficina": oficina, f"{prefijo}-{i}-direccion": "Av. Sol 1"}

    respuesta = admin.post(url, datos)

    assert respuesta.status_code == 200
    assert "El cliente ya tiene una sede llamada «SEDE SÚR»." in respuesta.content.decode()
    assert not Sede.objects.exists()
