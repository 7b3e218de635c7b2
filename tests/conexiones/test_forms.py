"""ConexionForm and AjusteBWForm: rules, the restricted selects and what is written."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.forms import AjusteBWForm, ConexionForm, equipos_disponibles
from proveedores.factories import ServicioProveedorFactory
from tests.conexiones.test_views import datos_edicion, datos_formulario

pytestmark = pytest.mark.django_db


def qd(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for clave, valor in data.items():
        if isinstance(valor, list):
            q.setlist(clave, [str(v) for v in valor])
        else:
            q[clave] = "" if valor is None else str(valor)
    return q


def test_formulario_valido():
    form = ConexionForm(qd(datos_formulario()))
    assert form.is_valid(), form.errors
    datos = form.datos_modelo()
    assert "asignacion_ip" not in datos and "proveedor" not in datos
    assert datos["bw_contratado"] == 200


def test_el_select_de_cliente_no_lista_todos_los_clientes():
    ClienteCorpFactory.create_batch(30)
    elegido = ClienteCorpFactory(razon_social="Elegido S.A.")
    form = ConexionForm(initial={"cliente": elegido})
    html = str(form["cliente"])
    assert html.count("<option") == 2  # placeholder + the chosen client
    assert "Elegido S.A." in html
    with CaptureQueriesContext(connection) as ctx:
        str(ConexionForm()["cliente"])
    assert len(ctx) == 0


def test_servicio_deshabilitado_sin_proveedor_y_limitado_al_proveedor():
    a = ServicioProveedorFactory(codigo="A-1")
    ServicioProveedorFactory(codigo="B-1")
    assert "disabled" in str(ConexionForm()["servicio"])
    html = str(ConexionForm(initial={"proveedor": a.proveedor_id})["servicio"])
    assert "A-1" in html and "B-1" not in html and "disabled" not in html


def test_equipos_disponibles_sin_asignar_mas_los_propios():
    c = ConexionFactory()
    propio, libre = EquipoFactory(conexion=c), EquipoFactory()
    ajeno = EquipoFactory(conexion=ConexionFactory())
    assert set(equipos_disponibles()) == {libre}
    assert set(equipos_disponibles(c)) == {propio, libre}
    form = ConexionForm(instance=c)
    filas = form.equipos_filas()
    etiquetas = dict(filas["opciones"])
    assert etiquetas[str(libre.pk)] == f"Router | MikroTik | CCR2004 | SN: {libre.serie}"
    assert str(ajeno.pk) not in etiquetas
    assert [v for v, _ in filas["filas"]] == [str(propio.pk)]


def test_muchos_equipos_libres_las_filas_buscan(monkeypatch):
    """Beyond EQUIPOS_EN_SELECT offered pieces, a row lists only its own choice."""
    monkeypatch.setattr("conexiones.forms.EQUIPOS_EN_SELECT", 3)
    c = ConexionFactory()
    propio = EquipoFactory(conexion=c)
    EquipoFactory.create_batch(5)
    form = ConexionForm(instance=c)
    with CaptureQueriesContext(connection) as ctx:
        filas = form.equipos_filas()
    assert filas["opciones"] is None and filas["hay"]
    assert filas["filas"] == [(str(propio.pk), [(str(propio.pk), str(propio))])]
    assert len(ctx) == 2  # the offer and the labels of the chosen pieces


def test_filas_de_equipo_vacias_o_repetidas():
    e = EquipoFactory()
    form = ConexionForm(qd(datos_formulario(equipos=["", e.pk, e.pk])))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["equipos"] == [e]


def test_equipo_inexistente():
    form = ConexionForm(qd(datos_formulario(equipos=["999999"])))
    assert not form.is_valid()
    assert "equipos" in form.errors


def test_servicio_sin_proveedor():
    servicio = ServicioProveedorFactory()
    form = ConexionForm(qd(datos_formulario(servicio=servicio, proveedor="")))
    assert form.errors["proveedor"] == ["Elija el proveedor del servicio."]


def test_nodos_iguales():
    nodo = NodoFactory()
    form = ConexionForm(qd(datos_formulario(nodo_a=nodo.pk, nodo_b=nodo.pk)))
    assert form.errors == {"nodo_b": ["El nodo A y el nodo B deben ser distintos."]}


def test_edicion_solo_escribe_lo_cambiado():
    c = ConexionFactory()
    form = ConexionForm(qd(datos_edicion(c, locacion="Nueva")), instance=c)
    assert form.is_valid(), form.errors
    assert form.datos_modelo() == {"locacion": "Nueva"}


def test_edicion_permite_su_propio_cid():
    c = ConexionFactory()
    form = ConexionForm(qd(datos_edicion(c)), instance=c)
    assert form.is_valid(), form.errors


def test_bw_deshabilitado_sin_permiso_de_ajuste():
    c = ConexionFactory(bw_contratado=100)
    form = ConexionForm(
        qd(datos_edicion(c, bw_contratado="999")), instance=c, puede_ajustar_bw=False
    )
    assert form.is_valid(), form.errors
    assert "bw_contratado" not in form.datos_modelo()


def test_casilla_de_sobresuscripcion_al_crear_y_al_editar():
    # A new connection loads its provider service as an increase does.
    assert "confirmar_sobresuscripcion" in ConexionForm().fields
    assert "confirmar_sobresuscripcion" in ConexionForm(instance=ConexionFactory()).fields


@pytest.mark.parametrize(
    ("mbps", "valido"), [("5", 5), ("0", None), ("-1", None), ("1.5", None), ("", None)]
)
def test_ajuste_mbps(mbps, valido):
    form = AjusteBWForm({"modo": "AUMENTAR", "mbps": mbps})
    assert form.mbps_valido() == valido
    assert form.is_valid() is (valido is not None)


def test_ajuste_modo_desconocido():
    form = AjusteBWForm({"modo": "DUPLICAR", "mbps": "5"})
    assert not form.is_valid() and "modo" in form.errors


@pytest.mark.parametrize("valor", ["9223372036854775808", str(10**30)])
def test_equipo_con_un_id_fuera_de_rango_es_una_opcion_invalida(valor):
    """Found by the fuzzing: pk__in with an id past BIGINT raised OverflowError on SQLite."""
    form = ConexionForm(qd({**datos_formulario(), "equipos": [valor]}))
    assert not form.is_valid()
    assert "equipos" in form.errors


def consultas_a(ctx, tabla: str) -> int:
    return sum(f'FROM "{tabla}"' in q["sql"] for q in ctx.captured_queries)


def test_los_dos_selects_de_nodo_leen_los_nodos_una_vez():
    a, b, otro = NodoFactory(nombre="POP-LIMA"), NodoFactory(nombre="TORRE-SUR"), NodoFactory()
    c = ConexionFactory(nodo_a=a, nodo_b=b)
    form = ConexionForm(instance=c)
    with CaptureQueriesContext(connection) as ctx:
        html_a, html_b = str(form["nodo_a"]), str(form["nodo_b"])
    assert consultas_a(ctx, "conexiones_nodo") == 1
    for html, elegido in ((html_a, a), (html_b, b)):
        assert html.count("<option") == 4  # empty + three nodes
        assert f'<option value="{elegido.pk}" selected>{elegido}</option>' in html
        assert f'<option value="{otro.pk}">{otro}</option>' in html
        assert '<option value="">---------</option>' in html


def test_formularios_parciales_no_leen_los_nodos():
    """The htmx partials build the form for one field: the node list is never read."""
    servicio = ServicioProveedorFactory()
    NodoFactory.create_batch(3)
    with CaptureQueriesContext(connection) as ctx:
        str(ConexionForm(initial={"proveedor": servicio.proveedor_id})["servicio"])
    assert consultas_a(ctx, "conexiones_nodo") == 0


def test_select_grande_escapa_y_respeta_los_atributos():
    nodo = NodoFactory(nombre='<script>"POP" & Co</script>')
    form = ConexionForm(qd(datos_formulario(nodo_a=nodo.pk)))
    html = str(form["nodo_a"])
    assert "<script>" not in html
    assert f'<option value="{nodo.pk}" selected>&lt;script&gt;&quot;POP&quot; &amp; Co' in html
    assert html.startswith('<select name="nodo_a" id="id_nodo_a">')
    servicio = str(ConexionForm()["servicio"])
    assert servicio.startswith('<select name="servicio" disabled id="id_servicio">')


def test_cliente_elegido_en_initial_no_se_vuelve_a_leer():
    cliente = ClienteCorpFactory()
    with CaptureQueriesContext(connection) as ctx:
        html = str(ConexionForm(initial={"cliente": cliente})["cliente"])
    assert consultas_a(ctx, "clientes_clientecorp") == 0
    assert f'<option value="{cliente.pk}" selected>' in html


def test_edicion_lee_los_equipos_de_la_conexion_una_vez(monkeypatch):
    monkeypatch.setattr("conexiones.forms.EQUIPOS_EN_SELECT", 1)  # rows search: labels needed
    c = ConexionFactory()
    propios = EquipoFactory.create_batch(2, conexion=c)
    EquipoFactory()
    with CaptureQueriesContext(connection) as ctx:
        form = ConexionForm(instance=c)
        filas = form.equipos_filas()
    # the offer (free pieces plus its own) and its own pieces, once
    assert consultas_a(ctx, "conexiones_equipo") == 2
    assert filas["opciones"] is None
    assert sorted(filas["filas"]) == sorted((str(e.pk), [(str(e.pk), str(e))]) for e in propios)


def test_etiqueta_de_servicio_como_get_modalidad_display():
    from conexiones.forms import servicio_opcion

    assert servicio_opcion("C-1", "GPON", "", 50) == "C-1 · GPON · 50 Mbps disponibles"
    # A modality outside the choices (old data) shows as stored, as get_..._display() does.
    assert servicio_opcion("C-2", "Microondas", "Cusco", -5) == (
        "C-2 · Microondas · Cusco · \u22125 Mbps disponibles"
    )


def test_proveedor_fuera_del_rango_de_ids_no_rompe_el_formulario(operador_client):
    """Found by tests/fuzz on SQLite: an id past 2**63 - 1 overflowed the services' query."""
    conexion = ConexionFactory()
    respuesta = operador_client.post(f"/conexiones/{conexion.pk}/editar", {"proveedor": str(2**63)})
    assert respuesta.status_code == 200
