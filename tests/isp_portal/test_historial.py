import pytest

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory
from isp_portal.historial import historial

pytestmark = pytest.mark.django_db


def test_historial_registra_quien_cuando_y_que_cambio(operador_client, usuario_operador):
    cliente = ClienteCorpFactory(razon_social="Antes S.A.", responsable="Ana")
    respuesta = operador_client.post(
        f"/clientes_corporativo/{cliente.pk}/editar",
        {
            "cid": cliente.cid,
            "cod_erp": cliente.cod_erp,
            "razon_social": "Después S.A.C.",
            "ruc": cliente.ruc,
            "responsable": "Ana",
            "is_active": "on",
            "initial-cid": cliente.cid,
            "initial-cod_erp": cliente.cod_erp,
            "initial-razon_social": "Antes S.A.",
            "initial-ruc": cliente.ruc,
            "initial-responsable": "Ana",
            "initial-is_active": "on",
        },
    )
    assert respuesta.status_code == 302
    ultima, creacion = historial(cliente)
    assert creacion.tipo == "Creación"
    assert ultima.tipo == "Cambio"
    assert ultima.usuario == usuario_operador
    assert [(c.campo, c.antes, c.despues) for c in ultima.cambios] == [
        ("Razón social", "Antes S.A.", "Después S.A.C.")
    ]


def test_la_pagina_de_detalle_muestra_el_historial(lectura_client):
    cliente = ClienteCorpFactory(razon_social="Antes S.A.")
    cliente.razon_social = "Ahora S.A."
    cliente.save()
    html = lectura_client.get(f"/clientes_corporativo/{cliente.pk}/").content.decode()
    assert "Historial" in html
    assert "Antes S.A. → Ahora S.A." in html


def test_configuracion_con_script_se_muestra_como_texto_en_el_historial(lectura_client):
    conexion = ConexionFactory(configuracion_nodo_a="uno")
    conexion.configuracion_nodo_a = "<script>alert(1)</script>"
    conexion.save()
    html = lectura_client.get(f"/conexiones/{conexion.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_historial_de_detalle_en_consultas_constantes(
    lectura_client, django_assert_max_num_queries
):
    cliente = ClienteCorpFactory()
    for n in range(30):
        cliente.responsable = f"Responsable {n}"
        cliente.save()
    with django_assert_max_num_queries(8):
        lectura_client.get(f"/clientes_corporativo/{cliente.pk}/")


def test_la_importacion_queda_en_el_historial(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from clientes.models import ClienteCorp

    existente = ClienteCorpFactory(razon_social="Vieja S.A.")
    archivo = tmp_path / "clientes.csv"
    archivo.write_text(
        "cid,razon_social,ruc\n"
        f"{existente.cid},Nueva S.A.,{existente.ruc}\n"
        "7001,Recién Llegada S.A.C.,20100017491\n",
        encoding="utf-8",
    )
    call_command("importar", "clientes", str(archivo), stdout=StringIO(), stderr=StringIO())
    nuevo = ClienteCorp.objects.get(ruc="20100017491")
    (creacion,) = nuevo.history.all()
    assert creacion.history_type == "+"
    assert creacion.history_change_reason == "importación clientes.csv"
    cambio = existente.history.order_by("-history_id").first()
    assert cambio.history_type == "~"
    assert cambio.razon_social == "Nueva S.A."
