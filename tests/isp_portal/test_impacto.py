"""Impact lists: every connection through a node or a provider service."""

import csv
import io

import pytest
from django.db import IntegrityError, transaction

from conexiones import selectors
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory, NodoFactory
from proveedores.factories import ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def exportar_csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    texto = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texto)))


@pytest.fixture
def nodo_en_ambos_extremos():
    """A node used as A by one connection and as B by another, plus an unrelated one."""
    nodo = NodoFactory(nombre="POP-CENTRAL")
    como_a = ConexionFactory(
        nodo_a=nodo,
        cid_enlace="100001",
        cliente__razon_social="Minera Andina S.A.",
        cliente__responsable="Rosa Quispe",
        departamento="Cusco",
        provincia="Cusco",
        distrito="Wanchaq",
        direccion="Av. de la Cultura 100",
        locacion="Cusco - Sede",
    )
    como_b = ConexionFactory(
        nodo_b=nodo,
        cid_enlace="200001",
        estado=EstadoConexion.DOWN,
        cliente__razon_social="Banco del Sur S.A.",
        cliente__responsable="Luis Mamani",
    )
    ajena = ConexionFactory(cid_enlace="300001")
    return nodo, como_a, como_b, ajena


def test_selector_lista_el_nodo_en_ambos_extremos(nodo_en_ambos_extremos):
    nodo, como_a, como_b, _ = nodo_en_ambos_extremos
    filas = list(selectors.conexiones_por_nodo(nodo))
    assert filas == [como_a, como_b]
    assert [c.extremo for c in filas] == ["A", "B"]


def test_una_conexion_no_usa_el_mismo_nodo_en_ambos_extremos():
    nodo = NodoFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConexionFactory(nodo_a=nodo, nodo_b=nodo)


def test_pagina_de_impacto_de_nodo(lectura_client, nodo_en_ambos_extremos):
    nodo, como_a, como_b, ajena = nodo_en_ambos_extremos
    response = lectura_client.get(f"/nodos/{nodo.pk}/impacto")
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [como_a, como_b]
    contenido = response.content.decode()
    for texto in [
        "100001",
        "200001",
        "Minera Andina S.A.",
        "Rosa Quispe",
        "Banco del Sur S.A.",
        "Luis Mamani",
        "Wanchaq",
        "Av. de la Cultura 100",
        "Cusco - Sede",
        "pill-DOWN",
    ]:
        assert texto in contenido, texto
    assert "300001" not in contenido
    assert "Editar" not in contenido


def test_exportacion_csv_del_impacto_de_nodo(lectura_client, nodo_en_ambos_extremos):
    nodo, *_ = nodo_en_ambos_extremos
    filas = exportar_csv(lectura_client, f"/nodos/{nodo.pk}/impacto?exportar=csv")
    cabecera, *datos = filas
    assert cabecera[:5] == ["extremo", "cid_enlace", "cliente", "cliente_ruc", "responsable"]
    por_cid = {fila[1]: dict(zip(cabecera, fila, strict=True)) for fila in datos}
    assert set(por_cid) == {"100001", "200001"}
    assert por_cid["100001"]["extremo"] == "A"
    assert por_cid["100001"]["responsable"] == "Rosa Quispe"
    assert por_cid["100001"]["distrito"] == "Wanchaq"
    assert por_cid["200001"]["extremo"] == "B"
    assert por_cid["200001"]["estado"] == "DOWN"


def test_exportacion_xlsx_del_impacto(lectura_client, nodo_en_ambos_extremos):
    from openpyxl import load_workbook

    nodo, *_ = nodo_en_ambos_extremos
    response = lectura_client.get(f"/nodos/{nodo.pk}/impacto?exportar=xlsx")
    hoja = load_workbook(io.BytesIO(response.getvalue())).active
    cids = sorted(fila[1] for fila in hoja.iter_rows(min_row=2, values_only=True))
    assert cids == ["100001", "200001"]


def test_impacto_filtrado_exporta_lo_filtrado(lectura_client, nodo_en_ambos_extremos):
    nodo, *_ = nodo_en_ambos_extremos
    filas = exportar_csv(lectura_client, f"/nodos/{nodo.pk}/impacto?estado=DOWN&exportar=csv")
    assert [fila[1] for fila in filas[1:]] == ["200001"]


def test_impacto_de_servicio(lectura_client):
    servicio = ServicioProveedorFactory()
    propias = [
        ConexionFactory(servicio=servicio, cid_enlace=f"5000{i:02d}", estado=estado)
        for i, estado in enumerate(EstadoConexion.values)
    ]
    ConexionFactory(cid_enlace="999999")
    vigentes = [c for c in propias if c.estado != EstadoConexion.BAJA]
    url = f"/proveedores/servicios/{servicio.pk}/impacto"
    response = lectura_client.get(url)
    assert list(response.context["object_list"]) == vigentes
    filas = exportar_csv(lectura_client, f"{url}?exportar=csv")
    assert sorted(f[0] for f in filas[1:]) == sorted(c.cid_enlace for c in vigentes)
    assert "999999" not in response.content.decode()
    todas = lectura_client.get(url, {"incluir_baja": "on"})
    assert list(todas.context["object_list"]) == propias


def test_impacto_paginado_de_10_y_consultas_constantes(
    lectura_client, django_assert_max_num_queries
):
    nodo = NodoFactory()
    ConexionFactory.create_batch(3, nodo_a=nodo)
    url = f"/nodos/{nodo.pk}/impacto"
    from tests.view_base import EntityViewTests

    pocas = EntityViewTests().count_queries(lectura_client, url)
    ConexionFactory.create_batch(12, nodo_b=nodo)
    ConexionFactory.create_batch(12, nodo_a=nodo)
    muchas = EntityViewTests().count_queries(lectura_client, url)
    assert muchas == pocas <= 8
    response = lectura_client.get(f"{url}?page=3")
    assert response.context["paginator"].count == 27
    assert len(response.context["object_list"]) == 7


def test_impacto_de_servicio_consultas_constantes(lectura_client):
    from tests.view_base import EntityViewTests

    servicio = ServicioProveedorFactory()
    url = f"/proveedores/servicios/{servicio.pk}/impacto"
    ConexionFactory.create_batch(2, servicio=servicio)
    pocas = EntityViewTests().count_queries(lectura_client, url)
    ConexionFactory.create_batch(20, servicio=servicio)
    assert EntityViewTests().count_queries(lectura_client, url) == pocas <= 8


def test_impacto_de_nodo_inexistente(lectura_client):
    assert lectura_client.get("/nodos/999/impacto").status_code == 404
    assert lectura_client.get("/proveedores/servicios/999/impacto").status_code == 404


def test_impacto_requiere_sesion(client):
    nodo = NodoFactory()
    response = client.get(f"/nodos/{nodo.pk}/impacto")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_detalles_enlazan_el_impacto(lectura_client):
    servicio = ServicioProveedorFactory()
    nodo = NodoFactory()
    detalle = lectura_client.get(servicio.get_absolute_url()).content.decode()
    assert f"/proveedores/servicios/{servicio.pk}/impacto" in detalle
    detalle = lectura_client.get(nodo.get_absolute_url()).content.decode()
    assert f"/nodos/{nodo.pk}/impacto" in detalle


# --- ready to notify: no BAJA by default, the contacts, their e-mails ------------------------


@pytest.fixture
def nodo_con_clientes():
    """A node with 12 live connections (11 distinct contact e-mails, one client without one)
    and one in BAJA."""
    nodo = NodoFactory()
    for i in range(11):
        ConexionFactory(
            nodo_a=nodo,
            cliente__correo=f"noc{i}@cliente{i}.pe",
            cliente__telefono=f"01 611 {1000 + i}",
        )
    ConexionFactory(nodo_b=nodo, cliente__correo="")
    ConexionFactory(nodo_a=nodo, estado=EstadoConexion.BAJA, cliente__correo="baja@antes.pe")
    return nodo


def test_sin_bajas_salvo_que_se_pidan(lectura_client, nodo_con_clientes):
    url = f"/nodos/{nodo_con_clientes.pk}/impacto"
    assert lectura_client.get(url).context["paginator"].count == 12
    con_bajas = lectura_client.get(url, {"incluir_baja": "on"})
    assert con_bajas.context["paginator"].count == 13
    assert 'name="incluir_baja"' in con_bajas.content.decode()
    # Choosing BAJA as estado shows them without ticking the box.
    solo_bajas = lectura_client.get(url, {"estado": EstadoConexion.BAJA})
    assert [c.estado for c in solo_bajas.context["object_list"]] == [EstadoConexion.BAJA]


def test_contactos_en_la_lista_y_en_el_csv(lectura_client, nodo_con_clientes):
    url = f"/nodos/{nodo_con_clientes.pk}/impacto"
    contenido = lectura_client.get(url).content.decode()
    assert 'href="mailto:noc0@cliente0.pe"' in contenido
    assert 'href="tel:016111000"' in contenido and "01 611 1000" in contenido
    filas = exportar_csv(lectura_client, f"{url}?exportar=csv")
    cabecera = filas[0]
    assert {"telefono", "correo"} <= set(cabecera)
    correos = {fila[cabecera.index("correo")] for fila in filas[1:]}
    assert "noc10@cliente10.pe" in correos and "baja@antes.pe" not in correos
    assert len(filas) == 1 + 12


def test_copiar_correos_de_toda_la_lista(lectura_client, nodo_con_clientes):
    """The button copies every affected contact's e-mail, not only the page's, once each."""
    respuesta = lectura_client.get(f"/nodos/{nodo_con_clientes.pk}/impacto")
    contenido = respuesta.content.decode()
    assert 'data-copiar="#correos-afectados"' in contenido
    assert "Copiar correos (11)" in contenido
    correos = respuesta.context["correos"]
    assert correos == sorted({f"noc{i}@cliente{i}.pe" for i in range(11)})
    assert ", ".join(correos) in contenido
    con_bajas = lectura_client.get(
        f"/nodos/{nodo_con_clientes.pk}/impacto", {"incluir_baja": "on"}
    )
    assert "baja@antes.pe" in con_bajas.context["correos"]


def test_sin_correos_no_hay_boton(lectura_client):
    servicio = ServicioProveedorFactory()
    ConexionFactory(servicio=servicio, cliente__correo="")
    contenido = lectura_client.get(f"/proveedores/servicios/{servicio.pk}/impacto").content
    assert b"Copiar correos" not in contenido


def test_correos_repetidos_una_vez(lectura_client):
    servicio = ServicioProveedorFactory()
    cliente = ConexionFactory(servicio=servicio, cliente__correo="noc@andina.pe").cliente
    ConexionFactory.create_batch(3, servicio=servicio, cliente=cliente)
    respuesta = lectura_client.get(f"/proveedores/servicios/{servicio.pk}/impacto")
    assert respuesta.context["correos"] == ["noc@andina.pe"]
