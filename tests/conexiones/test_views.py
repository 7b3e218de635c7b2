"""Connection pages: list, detail, the four-section form (create and edit) and its helpers."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import CID_REPETIDO, AjusteBW, Conexion
from conexiones.services import conexion_ajustar_bw
from isp_portal.roles import GRUPO_OPERADOR
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from tests.conftest import usuario_con_rol
from tests.view_base import MAX_QUERIES, EntityViewTests

pytestmark = pytest.mark.django_db

ADD_URL = "/conexiones/nueva"


def datos_formulario(**cambios) -> dict:
    """Valid POST data of the connection form (with its own client, service and nodes)."""
    servicio = cambios.pop("servicio", None) or ServicioProveedorFactory()
    cliente = cambios.pop("cliente", None) or ClienteCorpFactory()
    data = {
        "cliente": getattr(cliente, "pk", cliente),
        "cid_enlace": "",
        "tipo_enlace": "Internet",
        "bw_contratado": "200",
        "estado": EstadoConexion.ACTIVO,
        "fecha_activacion": "2025-06-01",
        "departamento": "Lima",
        "provincia": "Lima",
        "distrito": "Miraflores",
        "locacion": "Lima - Miraflores / Oficina",
        "direccion": "Av. Larco 1150",
        "modalidad_enlace": "P2P",
        "proveedor": servicio.proveedor_id,
        "servicio": servicio.pk,
        "asignacion_ip": "192.168.1.1/24",
        "nodo_a": NodoFactory().pk,
        "nodo_b": NodoFactory().pk,
        "configuracion_nodo_a": "interface Gi0/0\n ip address 10.0.0.1 255.255.255.252",
        "configuracion_nodo_b": "",
    }
    data.update(cambios)
    return data


def datos_edicion(conexion: Conexion, **cambios) -> dict:
    data = {
        "cliente": conexion.cliente_id,
        "cid_enlace": conexion.cid_enlace,
        "tipo_enlace": conexion.tipo_enlace,
        "bw_contratado": str(conexion.bw_contratado),
        "estado": conexion.estado,
        "fecha_activacion": "",
        "departamento": conexion.departamento,
        "provincia": conexion.provincia,
        "distrito": conexion.distrito,
        "locacion": conexion.locacion,
        "direccion": conexion.direccion,
        "modalidad_enlace": conexion.modalidad_enlace,
        "proveedor": conexion.servicio.proveedor_id if conexion.servicio_id else "",
        "servicio": conexion.servicio_id or "",
        "nodo_a": conexion.nodo_a_id or "",
        "nodo_b": conexion.nodo_b_id or "",
        "configuracion_nodo_a": conexion.configuracion_nodo_a,
        "configuracion_nodo_b": conexion.configuracion_nodo_b,
        "equipos": [e.pk for e in conexion.equipos.all()],
    }
    data.update(cambios)
    return data


class TestConexionViews(EntityViewTests):
    factory = ConexionFactory
    list_url = "/conexiones/"
    add_slug = "nueva"
    cambio = ("locacion", "Lima - San Isidro / Torre")
    # One more than the other pages: the panel of the maintenance windows touching it.
    max_queries = MAX_QUERIES + 1

    def row_marker(self, obj):
        return html.escape(obj.cid_enlace)

    def form_data(self):
        return datos_formulario()


# --- list ---------------------------------------------------------------------------------


def test_lista_muestra_columnas_y_acciones_del_operador(operador_client):
    c = ConexionFactory(bw_contratado=300, bw_utilizado=120)
    contenido = operador_client.get("/conexiones/").content.decode()
    assert c.cid_enlace in contenido
    assert html.escape(c.cliente.razon_social) in contenido
    assert html.escape(c.locacion) in contenido
    assert ">300 Mbps<" in contenido and ">180 Mbps<" in contenido and ">120 Mbps<" in contenido
    assert "pill-ACTIVO" in contenido
    assert f"/conexiones/{c.pk}/editar" in contenido
    assert f"/conexiones/{c.pk}/ajustar-bw?modo=AUMENTAR" in contenido
    assert f"/conexiones/{c.pk}/ajustar-bw?modo=DISMINUIR" in contenido


def test_lectura_no_ve_editar_ni_ajustar(lectura_client):
    c = ConexionFactory()
    contenido = lectura_client.get("/conexiones/").content.decode()
    assert c.cid_enlace in contenido
    assert "ajustar-bw" not in contenido
    assert "Editar" not in contenido
    assert "Nueva servicio cliente" not in contenido
    detalle = lectura_client.get(f"/conexiones/{c.pk}/").content.decode()
    assert "ajustar-bw" not in detalle and "Editar" not in detalle


def test_lista_busca_por_cid_razon_social_ruc_y_locacion(lectura_client):
    a = ConexionFactory(locacion="Arequipa - Cayma / Planta")
    b = ConexionFactory()
    for texto in (a.cid_enlace, a.cliente.ruc, a.cliente.razon_social[:6], "Cayma"):
        contenido = lectura_client.get("/conexiones/", {"busqueda": texto}).content.decode()
        assert f'id="fila-{a.pk}"' in contenido, texto
    contenido = lectura_client.get("/conexiones/", {"busqueda": "Cayma"}).content.decode()
    assert f'id="fila-{b.pk}"' not in contenido


def test_lista_filtra_por_estado_tipo_proveedor_y_cliente(lectura_client):
    a = ConexionFactory(estado=EstadoConexion.PENDIENTE, tipo_enlace="VPN")
    b = ConexionFactory()
    casos = [
        {"estado": "PENDIENTE"},
        {"tipo_enlace": "VPN"},
        {"proveedor": a.servicio.proveedor_id},
        {"cliente": a.cliente_id},
    ]
    for filtro in casos:
        contenido = lectura_client.get("/conexiones/", filtro).content.decode()
        assert f'id="fila-{a.pk}"' in contenido, filtro
        assert f'id="fila-{b.pk}"' not in contenido, filtro


def test_filtro_de_cliente_es_un_chip_con_su_nombre(lectura_client):
    c = ConexionFactory()
    contenido = lectura_client.get("/conexiones/", {"cliente": c.cliente_id}).content.decode()
    assert 'id="chip-cliente"' in contenido
    assert html.escape(c.cliente.razon_social) in contenido
    assert 'type="hidden" name="cliente"' in contenido
    assert "<select" in contenido  # estado/tipo/proveedor
    assert 'name="cliente" class="form-select' not in contenido


def test_lista_pagina_de_10_en_10(lectura_client):
    ConexionFactory.create_batch(12)
    contenido = lectura_client.get("/conexiones/").content.decode()
    assert contenido.count('id="fila-') == 10
    assert "Siguiente" in contenido and "Anterior" in contenido
    assert lectura_client.get("/conexiones/", {"page": 2}).content.decode().count('id="fila-') == 2


def consultas(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx)


def test_lista_filtrada_con_consultas_constantes(operador_client):
    c = ConexionFactory()
    filtros = {
        "busqueda": "a",
        "estado": "ACTIVO",
        "tipo_enlace": "Internet",
        "proveedor": c.servicio.proveedor_id,
        "cliente": c.cliente_id,
    }
    pocas = consultas(operador_client, "/conexiones/", filtros)
    ConexionFactory.create_batch(15, cliente=c.cliente, servicio=c.servicio)
    muchas = consultas(operador_client, "/conexiones/", filtros)
    assert pocas == muchas <= MAX_QUERIES


def test_fila_parcial(operador_client):
    c = ConexionFactory()
    response = operador_client.get(f"/conexiones/{c.pk}/fila", HTTP_HX_REQUEST="true")
    contenido = response.content.decode()
    assert contenido.strip().startswith(f'<tr id="fila-{c.pk}"')
    assert "ajustar-bw" in contenido


def test_exporta_con_los_filtros(lectura_client):
    a = ConexionFactory()
    ConexionFactory()
    response = lectura_client.get("/conexiones/", {"cliente": a.cliente_id, "exportar": "csv"})
    texto = b"".join(response.streaming_content).decode("utf-8-sig")
    assert texto.count("\n") == 2 and a.cid_enlace in texto


# --- detail -------------------------------------------------------------------------------


def test_detalle_en_secciones(operador_client):
    c = ConexionFactory(configuracion_nodo_a="<script>alert(1)</script>", bw_contratado=150)
    equipo = EquipoFactory(conexion=c)
    conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=50, motivo="Upgrade pedido")
    contenido = operador_client.get(f"/conexiones/{c.pk}/").content.decode()
    for texto in ("Servicio", "Cliente", "Topología", "Ubicación", "Equipos", "Historial"):
        assert texto in contenido
    assert html.escape(c.cliente.razon_social) in contenido
    assert f'href="/clientes_corporativo/{c.cliente_id}/">{c.cliente.ruc}</a>' in contenido
    assert html.escape(c.nodo_a.nombre) in contenido and "(POP)" in contenido
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in contenido
    assert 'data-copiar="#config-nodo-a"' in contenido
    assert equipo.serie in contenido
    assert "Upgrade pedido" in contenido and "150 → 200 Mbps" in contenido
    assert "200 Mbps" in contenido  # BW contratado
    assert "ajustar-bw?modo=AUMENTAR" in contenido and "Editar" in contenido


def test_detalle_con_consultas_constantes(operador_client):
    c = ConexionFactory()
    pocas = consultas(operador_client, f"/conexiones/{c.pk}/")
    EquipoFactory.create_batch(5, conexion=c)
    for _ in range(60):
        conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=1)
    muchas = consultas(operador_client, f"/conexiones/{c.pk}/")
    # + 1: the panel of the maintenance windows touching the connection.
    assert pocas == muchas <= MAX_QUERIES + 1
    contenido = operador_client.get(f"/conexiones/{c.pk}/").content.decode()
    assert "últimos 50" in contenido


# --- create -------------------------------------------------------------------------------


def test_alta_con_equipos_y_cid_propuesto(operador_client):
    cliente = ClienteCorpFactory(cid="257")
    e1, e2 = EquipoFactory(), EquipoFactory()
    response = operador_client.get(ADD_URL, {"cliente_id": cliente.pk})
    contenido = response.content.decode()
    assert 'value="257001"' in contenido
    assert f'<option value="{cliente.pk}" selected>' in contenido
    assert e1.serie in contenido  # the equipment row template lists unassigned pieces

    data = datos_formulario(cliente=cliente, cid_enlace="257001", equipos=[e1.pk, e2.pk, ""])
    response = operador_client.post(ADD_URL, data)
    nueva = Conexion.objects.get(cid_enlace="257001")
    assert response.status_code == 302
    assert response["Location"] == f"/conexiones/{nueva.pk}/"
    assert set(nueva.equipos.values_list("pk", flat=True)) == {e1.pk, e2.pk}
    assert nueva.bw_contratado == 200
    assert not AjusteBW.objects.exists()
    seguida = operador_client.get(response["Location"])
    assert "Se creó la conexión 257001" in seguida.content.decode()


def test_alta_sin_cid_asigna_el_siguiente(operador_client):
    cliente = ClienteCorpFactory(cid="257")
    ConexionFactory(cliente=cliente, cid_enlace="257001")
    response = operador_client.post(ADD_URL, datos_formulario(cliente=cliente))
    assert response.status_code == 302
    assert Conexion.objects.filter(cid_enlace="257002").exists()


def test_cliente_id_inexistente_no_falla(operador_client):
    assert operador_client.get(ADD_URL, {"cliente_id": "999999"}).status_code == 200
    assert operador_client.get(ADD_URL, {"cliente_id": "abc"}).status_code == 200


def test_formulario_tiene_las_cuatro_secciones(operador_client):
    contenido = operador_client.get(ADD_URL).content.decode()
    for texto in (
        "Cliente",
        "Ubicación Servicio Cliente",
        "Detalles de enlace",
        "Equipos asignados",
        "Tipo de servicio",
        "Capacidad contratada (Mbps)",
        "Capacidad disponible",
        "Condición",
        "Tipo de enlace",
        "Proveedor principal",
        "Servicio del proveedor",
        "Asignación IP",
        "Nota local: no se guarda",
        "Agregar equipo",
        "Guardar conexión",
        "Nueva servicio cliente",
    ):
        assert texto in contenido, texto
    assert 'name="servicio" disabled' in contenido
    assert "<script>" not in contenido and ' style="' not in contenido


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"bw_contratado": "0"}, "bw_contratado", "mayor que cero"),
        ({"bw_contratado": "-5"}, "bw_contratado", "mayor que cero"),
        ({"bw_contratado": "1.5"}, "bw_contratado", "mayor que cero"),
        ({"bw_contratado": "abc"}, "bw_contratado", "mayor que cero"),
        ({"cliente": "999999"}, "cliente", "Elija un cliente"),
        ({"departamento": "Lima", "provincia": "Arequipa"}, "provincia", ""),
    ],
)
def test_alta_con_errores_por_campo(operador_client, cambios, campo, mensaje):
    antes = Conexion.objects.count()
    response = operador_client.post(ADD_URL, datos_formulario(**cambios))
    assert response.status_code == 200
    errores = response.context["form"].errors
    assert campo in errores, errores
    assert mensaje in " ".join(errores[campo])
    assert Conexion.objects.count() == antes


def test_nodo_a_distinto_de_nodo_b(operador_client):
    nodo = NodoFactory()
    response = operador_client.post(ADD_URL, datos_formulario(nodo_a=nodo.pk, nodo_b=nodo.pk))
    errores = response.context["form"].errors
    assert errores["nodo_b"] == ["El nodo A y el nodo B deben ser distintos."]
    assert not Conexion.objects.exists()


def test_servicio_de_otro_proveedor(operador_client):
    otro = ProveedorFactory(nombre="Otro Carrier")
    servicio = ServicioProveedorFactory(codigo="AJENO-1")
    data = datos_formulario(servicio=servicio, proveedor=otro.pk)
    response = operador_client.post(ADD_URL, data)
    assert response.context["form"].errors["servicio"] == [
        "El servicio AJENO-1 no pertenece al proveedor «Otro Carrier»."
    ]


def test_equipo_de_otra_conexion(operador_client):
    otra = ConexionFactory(cid_enlace="555001")
    ocupado = EquipoFactory(conexion=otra, serie="SN-OCUPADO")
    response = operador_client.post(ADD_URL, datos_formulario(equipos=[ocupado.pk]))
    errores = response.context["form"].errors["equipos"]
    assert "SN-OCUPADO" in errores[0] and "555001" in errores[0]
    ocupado.refresh_from_db()
    assert ocupado.conexion_id == otra.pk
    assert Conexion.objects.count() == 1


def test_cid_repetido_con_el_mensaje_de_todos_los_caminos(operador_client):
    ConexionFactory(cid_enlace="257001")
    response = operador_client.post(ADD_URL, datos_formulario(cid_enlace="257001"))
    assert response.context["form"].errors["cid_enlace"] == [CID_REPETIDO]
    assert Conexion.objects.count() == 1


def test_asignacion_ip_no_se_guarda(operador_client):
    operador_client.post(ADD_URL, datos_formulario(cid_enlace="777001"))
    conexion = Conexion.objects.get(cid_enlace="777001")
    assert "192.168.1.1" not in str(conexion.__dict__)


# --- htmx helpers of the form ---------------------------------------------------------------


def test_busqueda_de_clientes(operador_client):
    a = ClienteCorpFactory(razon_social="Minera Andina S.A.", cid="811")
    ClienteCorpFactory(razon_social="Banco Pacífico S.A.")
    url = "/conexiones/clientes-buscar/"
    for texto in ("andina", a.ruc, "811"):
        contenido = operador_client.get(url, {"q": texto}).content.decode()
        assert f'<option value="{a.pk}">' in contenido, texto
        assert "Pacífico" not in contenido
    ClienteCorpFactory.create_batch(25, razon_social="Transportes Norte")
    contenido = operador_client.get(url, {"q": "Norte"}).content.decode()
    assert contenido.count("<option value=") == 21  # placeholder + 20
    assert "Ningún cliente" in operador_client.get(url, {"q": "zzz"}).content.decode()


def test_busqueda_de_clientes_por_el_inicio_del_cid_y_del_ruc(operador_client):
    a = ClienteCorpFactory(cid="811", ruc="20100017491")
    b = ClienteCorpFactory(cid="8100", ruc="20131312955")
    c = ClienteCorpFactory(cid="1811", ruc="10467895123")
    url = "/conexiones/clientes-buscar/"

    def encontrados(texto):
        contenido = operador_client.get(url, {"q": texto}).content.decode()
        return {x.pk for x in (a, b, c) if f'<option value="{x.pk}">' in contenido}

    # A number matches from its start, not inside ("81" is not in "1811").
    assert encontrados("81") == {a.pk, b.pk}
    assert encontrados("18") == {c.pk}
    assert encontrados("8100") == {b.pk}
    assert encontrados("2010") == {a.pk}
    assert encontrados("201") == {a.pk, b.pk}
    assert encontrados("104678951234") == set()  # longer than a RUC


def test_cid_sugerido(operador_client):
    cliente = ClienteCorpFactory(cid="257")
    contenido = operador_client.get(
        "/conexiones/cid-sugerido/", {"cliente": cliente.pk}
    ).content.decode()
    assert 'id="div_id_cid_enlace"' in contenido and 'value="257001"' in contenido


def test_servicios_del_proveedor(operador_client):
    servicio = ServicioProveedorFactory(codigo="CIR-9", capacidad_contratada=1000)
    ConexionFactory(servicio=servicio, bw_contratado=400)
    ServicioProveedorFactory(codigo="CIR-OTRO")
    contenido = operador_client.get(
        "/conexiones/servicios-proveedor/", {"proveedor": servicio.proveedor_id}
    ).content.decode()
    assert "CIR-9 · Fibra Óptica · Lima - San Isidro / Data Center · 600 Mbps disponibles" in (
        contenido
    )
    assert "CIR-OTRO" not in contenido and "disabled" not in contenido
    vacio = operador_client.get("/conexiones/servicios-proveedor/").content.decode()
    assert "disabled" in vacio


def test_busqueda_de_equipos(operador_client):
    c = ConexionFactory()
    propio = EquipoFactory(conexion=c, serie="SN-PROPIO")
    libre = EquipoFactory(serie="SN-LIBRE", marca="Huawei")
    EquipoFactory(serie="SN-AJENO", conexion=ConexionFactory())
    url = "/conexiones/equipos-buscar/"
    contenido = operador_client.get(url, {"equipo_q": "SN-"}).content.decode()
    assert "SN-LIBRE" in contenido and "SN-AJENO" not in contenido
    assert "SN-PROPIO" not in contenido
    contenido = operador_client.get(url, {"equipo_q": "SN-", "conexion": c.pk}).content.decode()
    assert f'<option value="{propio.pk}">' in contenido
    contenido = operador_client.get(url, {"equipo_q": "huawei"}).content.decode()
    assert f'<option value="{libre.pk}">' in contenido


def test_formulario_con_muchos_equipos_busca_por_fila(operador_client, monkeypatch):
    monkeypatch.setattr("conexiones.forms.EQUIPOS_EN_SELECT", 2)
    c = ConexionFactory()
    propio = EquipoFactory(conexion=c)
    EquipoFactory.create_batch(4)
    contenido = operador_client.get(f"/conexiones/{c.pk}/editar").content.decode()
    assert 'name="equipo_q"' in contenido
    assert f'hx-vals=\'{{"conexion": {c.pk}}}\'' in contenido
    assert f'<option value="{propio.pk}" selected>' in contenido
    equipos = contenido[contenido.index('id="seccion-equipos"') :]
    assert equipos.count("<option value=") == 3  # its row: placeholder + own; template: placeholder


@pytest.mark.parametrize("pagina", ["alta", "alta de un cliente", "edicion"])
def test_formulario_con_consultas_constantes(admin_client, pagina):
    """Nodes, offered equipment and provider services are each read once, whatever their
    number (the superuser, as in the benchmark: a role adds its permission reads)."""
    c = ConexionFactory()
    EquipoFactory.create_batch(2, conexion=c)
    url = {
        "alta": ADD_URL,
        "alta de un cliente": f"{ADD_URL}?cliente_id={c.cliente_id}",
        "edicion": f"/conexiones/{c.pk}/editar",
    }[pagina]
    pocas = consultas(admin_client, url)
    NodoFactory.create_batch(20)
    EquipoFactory.create_batch(20)
    ServicioProveedorFactory.create_batch(20, proveedor=c.servicio.proveedor)
    ConexionFactory.create_batch(3, cliente=c.cliente, servicio=c.servicio)
    assert consultas(admin_client, url) == pocas <= MAX_QUERIES


def test_ayudantes_del_formulario_piden_permiso_de_escritura(lectura_client):
    for url in (
        "/conexiones/equipos-buscar/?equipo_q=a",
        "/conexiones/clientes-buscar/?q=a",
        "/conexiones/cid-sugerido/?cliente=1",
        "/conexiones/servicios-proveedor/?proveedor=1",
    ):
        assert lectura_client.get(url).status_code == 403, url


# --- edit ---------------------------------------------------------------------------------


def test_edicion_cambiando_bw_deja_un_ajuste(operador_client, usuario_operador):
    c = ConexionFactory(bw_contratado=100)
    response = operador_client.post(
        f"/conexiones/{c.pk}/editar", datos_edicion(c, bw_contratado="250")
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.bw_contratado == 250
    ajuste = AjusteBW.objects.get(conexion=c)
    assert (ajuste.modo, ajuste.mbps, ajuste.bw_anterior, ajuste.bw_resultante) == (
        ModoAjuste.AUMENTAR,
        150,
        100,
        250,
    )
    assert ajuste.motivo == "Edición de la conexión" and ajuste.usuario == usuario_operador


def test_edicion_no_pisa_un_ajuste_hecho_mientras_tanto(operador_client):
    c = ConexionFactory(bw_contratado=100)
    contenido = operador_client.get(f"/conexiones/{c.pk}/editar").content.decode()
    assert 'name="bw_visto" value="100"' in contenido
    conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=10)  # someone else
    data = datos_edicion(c, bw_contratado="150", bw_visto="100")
    assert operador_client.post(f"/conexiones/{c.pk}/editar", data).status_code == 302
    c.refresh_from_db()
    assert c.bw_contratado == 160  # 100 + 10 (the other) + 50 (this edit)
    ultimo = AjusteBW.objects.filter(conexion=c).first()
    assert (ultimo.mbps, ultimo.bw_anterior, ultimo.bw_resultante) == (50, 110, 160)


def test_edicion_sin_tocar_el_bw_no_deshace_otro_ajuste(operador_client):
    c = ConexionFactory(bw_contratado=100)
    conexion_ajustar_bw(conexion=c, modo=ModoAjuste.AUMENTAR, mbps=10)
    data = datos_edicion(c, bw_contratado="100", bw_visto="100", locacion="Otra")
    operador_client.post(f"/conexiones/{c.pk}/editar", data)
    c.refresh_from_db()
    assert (c.bw_contratado, c.locacion) == (110, "Otra")
    assert AjusteBW.objects.filter(conexion=c).count() == 1


def test_edicion_bajando_bw(operador_client):
    c = ConexionFactory(bw_contratado=100)
    operador_client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, bw_contratado="40"))
    ajuste = AjusteBW.objects.get(conexion=c)
    assert (ajuste.modo, ajuste.mbps, ajuste.bw_resultante) == (ModoAjuste.DISMINUIR, 60, 40)


def test_edicion_sin_cambio_de_bw_no_deja_ajuste(operador_client):
    c = ConexionFactory(bw_contratado=100)
    operador_client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, locacion="Otra"))
    assert not AjusteBW.objects.exists()


def test_edicion_sobresuscribe_solo_con_confirmacion(operador_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=150)
    c = ConexionFactory(servicio=servicio, bw_contratado=100)
    url = f"/conexiones/{c.pk}/editar"
    response = operador_client.post(url, datos_edicion(c, bw_contratado="200"))
    assert response.status_code == 200
    assert "confirmar_sobresuscripcion" in response.context["form"].errors
    c.refresh_from_db()
    assert c.bw_contratado == 100 and not AjusteBW.objects.exists()
    data = datos_edicion(c, bw_contratado="200", confirmar_sobresuscripcion="on")
    assert operador_client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert c.bw_contratado == 200


def test_mover_a_un_servicio_lleno_pide_confirmacion(operador_client):
    lleno = ServicioProveedorFactory(capacidad_contratada=150)
    ConexionFactory(servicio=lleno, bw_contratado=100)
    c = ConexionFactory(bw_contratado=100)
    data = datos_edicion(c, servicio=lleno.pk, proveedor=lleno.proveedor_id)
    response = operador_client.post(f"/conexiones/{c.pk}/editar", data)
    assert "sobresuscrito en 50 Mbps" in response.context["form"].errors[
        "confirmar_sobresuscripcion"
    ][0]
    c.refresh_from_db()
    assert c.servicio_id != lleno.pk
    data["confirmar_sobresuscripcion"] = "on"
    assert operador_client.post(f"/conexiones/{c.pk}/editar", data).status_code == 302
    c.refresh_from_db()
    assert c.servicio_id == lleno.pk


def test_reactivar_desde_baja_en_servicio_lleno_pide_confirmacion(operador_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=150)
    ConexionFactory(servicio=servicio, bw_contratado=100)
    c = ConexionFactory(servicio=servicio, bw_contratado=100, estado=EstadoConexion.BAJA)
    data = datos_edicion(c, estado=EstadoConexion.ACTIVO)
    response = operador_client.post(f"/conexiones/{c.pk}/editar", data)
    assert "confirmar_sobresuscripcion" in response.context["form"].errors
    c.refresh_from_db()
    assert c.estado == EstadoConexion.BAJA


def test_edicion_es_todo_o_nada(operador_client):
    """A refused bandwidth change leaves the other edited fields unchanged too."""
    servicio = ServicioProveedorFactory(capacidad_contratada=150)
    c = ConexionFactory(servicio=servicio, bw_contratado=100, locacion="Antes")
    data = datos_edicion(c, bw_contratado="200", locacion="Después")
    operador_client.post(f"/conexiones/{c.pk}/editar", data)
    c.refresh_from_db()
    assert c.locacion == "Antes"


def test_edicion_cambia_equipos(operador_client):
    c = ConexionFactory()
    viejo, nuevo = EquipoFactory(conexion=c), EquipoFactory()
    contenido = operador_client.get(f"/conexiones/{c.pk}/editar").content.decode()
    assert f'<option value="{viejo.pk}" selected>' in contenido
    operador_client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, equipos=[nuevo.pk]))
    viejo.refresh_from_db()
    nuevo.refresh_from_db()
    assert viejo.conexion_id is None and nuevo.conexion_id == c.pk


def test_edicion_sin_permiso_de_ajuste_no_cambia_bw(client, django_user_model):
    from django.contrib.auth.models import Permission

    usuario = usuario_con_rol(django_user_model, "editor", GRUPO_OPERADOR)
    grupo = usuario.groups.get()
    grupo.permissions.remove(Permission.objects.get(codename="ajustar_bw"))
    client.force_login(usuario)
    c = ConexionFactory(bw_contratado=100)
    contenido = client.get(f"/conexiones/{c.pk}/editar").content.decode()
    assert "Sin permiso para ajustar el BW" in contenido
    client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, bw_contratado="300"))
    c.refresh_from_db()
    assert c.bw_contratado == 100 and not AjusteBW.objects.exists()


def test_edicion_mantiene_el_cid_y_lo_exige(operador_client):
    c = ConexionFactory()
    response = operador_client.post(f"/conexiones/{c.pk}/editar", datos_edicion(c, cid_enlace=""))
    assert "cid_enlace" in response.context["form"].errors


def test_lectura_recibe_403_en_alta_edicion_y_ajuste(lectura_client):
    c = ConexionFactory()
    for url in (ADD_URL, f"/conexiones/{c.pk}/editar", f"/conexiones/{c.pk}/ajustar-bw"):
        assert lectura_client.get(url).status_code == 403, url
        assert lectura_client.post(url, {}).status_code == 403, url


def test_detalle_sin_servicio_ni_nodos(lectura_client):
    c = ConexionFactory(servicio=None, nodo_a=None, nodo_b=None, modalidad_enlace="")
    response = lectura_client.get(f"/conexiones/{c.pk}/")
    assert response.status_code == 200
    assert "Sin configuración." in response.content.decode()
