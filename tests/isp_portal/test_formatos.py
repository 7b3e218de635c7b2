"""One way to show figures and dates: the filters, and their use on the pages, the modal, the
admin lists and the export file names."""

import datetime as dt
import html

import pytest
from django.template import Context, Template
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from conexiones.factories import AjusteBWFactory, ConexionFactory
from isp_portal.formatos import fecha_texto, mbps_texto, miles_texto
from proveedores.factories import ServicioProveedorFactory

FINO = "\u202f"  # the thin (narrow no-break) space between thousands
MENOS = "\u2212"


def render(plantilla: str, **contexto) -> str:
    return Template("{% load portal %}" + plantilla).render(Context(contexto))


@pytest.mark.parametrize(
    ("valor", "texto"),
    [
        (0, "0 Mbps"),
        (999, "999 Mbps"),
        (1420, f"1{FINO}420 Mbps"),
        (1_000_000, f"1{FINO}000{FINO}000 Mbps"),
        (-1420, f"{MENOS}1{FINO}420 Mbps"),
        (None, "—"),
    ],
)
def test_mbps_texto(valor, texto):
    assert mbps_texto(valor) == texto


def test_miles_sin_unidad():
    assert miles_texto(12345) == f"12{FINO}345"
    assert render("{{ v|miles }}", v=12345) == f"12{FINO}345"


def test_mbps_en_una_pagina():
    assert render("{{ v|mbps }}", v=1420) == f"1{FINO}420 Mbps"


def test_mbps_negativo_en_rojo_y_con_palabras():
    salida = render("{{ v|mbps }}", v=-20)
    assert 'class="negativo"' in salida  # red, through a CSS class (no inline style: CSP)
    assert f"{MENOS}20 Mbps" in salida and "(negativo)" in salida  # never colour alone


def test_lo_que_no_es_cifra_se_muestra_escapado():
    assert render("{{ v|mbps }}", v="<b>") == "&lt;b&gt; Mbps"


@pytest.mark.parametrize(
    ("valor", "texto"),
    [
        (dt.date(2025, 7, 15), "15/07/2025"),
        # A moment shows its hour in Lima's time (UTC−5).
        (dt.datetime(2026, 11, 28, 19, 51, tzinfo=dt.UTC), "28/11/2026 14:51"),
        (None, "—"),
    ],
)
def test_fecha(valor, texto):
    assert fecha_texto(valor) == texto
    assert render("{{ v|fecha }}", v=valor) == texto


def test_los_formatos_de_django_escriben_igual():
    """{{ fecha }} without the filter, and so the admin lists, write dd/mm/aaaa too."""
    assert render("{{ d }}", d=dt.date(2025, 7, 15)) == "15/07/2025"
    momento = dt.datetime(2026, 11, 28, 19, 51, tzinfo=dt.UTC)
    assert render("{{ m }}", m=momento) == "28/11/2026 14:51"


def test_mostrar():
    assert render("{{ v|mostrar }}", v=True) == "Sí"
    assert render("{{ v|mostrar }}", v="") == "—"
    assert render("{{ v|mostrar }}", v=dt.date(2025, 7, 15)) == "15/07/2025"


# --- on the pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_paginas_de_conexiones(operador_client):
    c = ConexionFactory(bw_contratado=1420, bw_utilizado=20, fecha_activacion=dt.date(2025, 7, 15))
    AjusteBWFactory(conexion=c, mbps=420, bw_anterior=1000)
    lista = operador_client.get("/conexiones/").content.decode()
    assert f">1{FINO}420 Mbps<" in lista and f">1{FINO}400 Mbps<" in lista
    detalle = operador_client.get(c.get_absolute_url()).content.decode()
    assert f"1{FINO}420 Mbps" in detalle  # BW contratado
    assert f"1{FINO}000 → 1{FINO}420 Mbps" in detalle  # the adjustment
    assert "15/07/2025" in detalle and "15 de julio" not in detalle
    assert timezone.localtime(c.created_at).strftime("%d/%m/%Y %H:%M") in detalle
    modal = operador_client.get(
        f"/conexiones/{c.pk}/ajustar-bw?modo=AUMENTAR", HTTP_HX_REQUEST="true"
    )
    assert f"1{FINO}420 Mbps" in modal.content.decode()


@pytest.mark.django_db
def test_inicio_y_servicio_sobresuscrito(lectura_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=1000, codigo="CIR-LLENO")
    ConexionFactory(servicio=servicio, bw_contratado=1250)
    for url in ("/", servicio.get_absolute_url(), "/proveedores/servicios/"):
        contenido = lectura_client.get(url).content.decode()
        assert f'class="negativo">{MENOS}250 Mbps' in contenido, url
        assert f"1{FINO}250" in contenido, url


@pytest.mark.django_db
def test_detalle_de_cliente_con_fechas(lectura_client):
    cliente = ClienteCorpFactory(fecha_activacion=dt.date(2025, 7, 15))
    contenido = lectura_client.get(cliente.get_absolute_url()).content.decode()
    assert "15/07/2025" in contenido
    assert timezone.localtime(cliente.created_at).strftime("%d/%m/%Y %H:%M") in contenido


@pytest.mark.django_db
def test_listas_del_admin(admin_client):
    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    ajuste = AjusteBWFactory(conexion__servicio=servicio, conexion__bw_contratado=1500)
    contenido = admin_client.get("/admin/conexiones/ajustebw/").content.decode()
    assert timezone.localtime(ajuste.created_at).strftime("%d/%m/%Y %H:%M") in contenido
    assert f"{ajuste.mbps} Mbps" in contenido
    servicios = admin_client.get("/admin/proveedores/servicioproveedor/").content.decode()
    assert f"1{FINO}000 Mbps" in servicios  # contratada
    assert f'class="negativo">{MENOS}500 Mbps' in servicios  # disponible


@pytest.mark.django_db
def test_nombre_del_archivo_exportado_con_la_fecha_de_las_paginas(lectura_client):
    ClienteCorpFactory()
    respuesta = lectura_client.get("/clientes_corporativo/?exportar=csv")
    hoy = timezone.localdate().strftime("%d-%m-%Y")
    assert f'filename="clientes-corporativos-{hoy}.csv"' in respuesta["Content-Disposition"]


@pytest.mark.django_db
def test_texto_largo_se_parte(lectura_client):
    """A 200-character razón social wraps (.texto-largo, overflow-wrap) instead of widening
    the page; tests/browser measures the page width."""
    cliente = ClienteCorpFactory(razon_social="A" * 200)
    contenido = lectura_client.get(cliente.get_absolute_url()).content.decode()
    assert 'class="h4 mb-0 me-auto texto-largo"' in contenido
    assert html.escape(cliente.razon_social) in contenido
