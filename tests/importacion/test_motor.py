"""The import engine: finds the entities the apps register (that it imports no app is
checked with the shared base, tests/isp_portal/test_dependencias.py), reads cells safely
(guard quotes of the exports, NUL characters, integers), raises its own error."""

import sys

import pytest
from django.core.management.base import CommandError

from clientes.factories import ClienteCorpFactory
from clientes.importacion import CLIENTE_COLUMNS
from clientes.models import ClienteCorp
from isp_portal.importacion import REGISTRO, ErrorDeImportacion, importar
from isp_portal.tables import celda_csv, export_rows
from proveedores.factories import ProveedorFactory
from proveedores.models import ServicioProveedor
from tests.isp_portal.test_importar import escribir_csv, fila_cliente
from tests.isp_portal.test_importar import importar as importar_con_comando


def test_cada_app_registra_sus_entidades():
    assert {nombre: clase.__module__ for nombre, clase in REGISTRO.items()} == {
        "clientes": "clientes.importacion",
        "sedes": "clientes.importacion",
        "proveedores": "proveedores.importacion",
        "servicios": "proveedores.importacion",
        "nodos": "conexiones.importacion",
        "equipos": "conexiones.importacion",
        "conexiones": "conexiones.importacion",
        "utilizacion": "conexiones.importacion",
    }
    assert "isp_portal.importacion.definicion" in sys.modules


def test_la_lista_exporta_las_columnas_que_importa():
    from clientes.views import ClienteCorpListView

    assert ClienteCorpListView.export_columns is REGISTRO["clientes"].columnas is CLIENTE_COLUMNS


def test_el_motor_lanza_su_propio_error(tmp_path):
    with pytest.raises(ErrorDeImportacion, match="No se encuentra el archivo") as info:
        importar(entidad="clientes", ruta=tmp_path / "no-existe.csv")
    assert not isinstance(info.value, CommandError)
    with pytest.raises(ErrorDeImportacion, match="Entidad desconocida «planetas»"):
        importar(entidad="planetas", ruta=tmp_path / "no-existe.csv")


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_la_comilla_de_guardia_de_la_exportacion_se_quita_una_vez(tmp_path):
    filas = [
        list(CLIENTE_COLUMNS),
        fila_cliente(1, razon_social="'=SUMA(A1)", responsable="'-Ana", cod_erp="'@x"),
        fila_cliente(2, razon_social="''+51 1 234", responsable="'\tTab", cod_erp="'hola"),
    ]
    importar_con_comando("clientes", escribir_csv(tmp_path / "c.csv", filas))
    guardados = list(
        ClienteCorp.objects.order_by("cid").values_list("razon_social", "responsable", "cod_erp")
    )
    # Cells are read stripped: the tab a guard quote protected goes with the spaces.
    assert guardados == [("=SUMA(A1)", "-Ana", "@x"), ("'+51 1 234", "Tab", "'hola")]


@pytest.mark.django_db
def test_una_exportacion_con_comillas_de_guardia_reimporta_sin_cambios(tmp_path):
    ClienteCorpFactory(razon_social="=Fórmula S.A.", responsable="+51 999", cod_erp="'=x")
    ClienteCorpFactory(razon_social="'Comillas' S.A.", responsable="-", cod_erp="@erp")
    filas = [
        [celda_csv(v) for v in fila]  # as the CSV export writes them
        for fila in export_rows(ClienteCorp.objects.all(), CLIENTE_COLUMNS)
    ]
    salida, _ = importar_con_comando("clientes", escribir_csv(tmp_path / "export.csv", filas))
    assert "sin cambios: 2" in salida


@pytest.mark.django_db
def test_caracteres_nulos_en_cualquier_celda_son_un_error(tmp_path):
    ruta = escribir_csv(
        tmp_path / "sedes.csv",
        [["ruc", "oficina", "direccion"], ["2010\x000017491", "Central", "Av. 1"]],
    )
    _, error = importar_con_comando("sedes", ruta, esperar_error=True)
    assert "línea 2, columna «ruc»: Los caracteres nulos no están permitidos." in error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("celda", "mensaje"),
    [
        ("²", "«²» no es un número entero: use solo dígitos (0-9)."),
        ("١٢", "«١٢» no es un número entero: use solo dígitos (0-9)."),
        ("1e3", "«1e3» no es un número entero: use solo dígitos (0-9)."),
        ("10.5", "«10.5» no es un número entero: use solo dígitos (0-9)."),
        ("5%", "«5%» no es un número entero: use solo dígitos (0-9)."),
        ("-5", "Asegúrese de que este valor es mayor o igual a 0."),
        ("1\x00", "Los caracteres nulos no están permitidos."),
        ("10001", "10001 Mbps supera el máximo de 10000 Mbps por servicio."),
        ("9" * 30, f"{'9' * 30} Mbps supera el máximo de 10000 Mbps por servicio."),
        ("9" * 40, f"{'9' * 29}… Mbps supera el máximo de 10000 Mbps por servicio."),
    ],
)
def test_los_enteros_son_digitos_ascii_y_acotados(tmp_path, settings, celda, mensaje):
    settings.CAPACIDAD_MAXIMA_MBPS = 10_000
    proveedor = ProveedorFactory()
    ruta = escribir_csv(
        tmp_path / "servicios.csv",
        [
            ["proveedor", "codigo", "modalidad", "capacidad_contratada"],
            [proveedor.nombre, "CIR-1", "GPON", celda],
        ],
    )
    _, error = importar_con_comando("servicios", ruta, esperar_error=True)
    assert f"línea 2, columna «capacidad_contratada»: {mensaje}" in error
    assert not ServicioProveedor.objects.exists()


@pytest.mark.django_db
def test_un_entero_en_el_limite_se_acepta(tmp_path, settings):
    settings.CAPACIDAD_MAXIMA_MBPS = 10_000
    proveedor = ProveedorFactory()
    ruta = escribir_csv(
        tmp_path / "servicios.csv",
        [
            ["proveedor", "codigo", "modalidad", "capacidad_contratada"],
            [proveedor.nombre, "CIR-1", "GPON", " 010000 "],
        ],
    )
    importar_con_comando("servicios", ruta)
    assert ServicioProveedor.objects.get().capacidad_contratada == 10_000


@pytest.mark.django_db
def test_una_pagina_puede_importar_en_nombre_de_su_usuario(tmp_path, usuario_operador):
    filas = [list(CLIENTE_COLUMNS), fila_cliente(1)]
    resultado = importar(
        entidad="clientes", ruta=escribir_csv(tmp_path / "c.csv", filas), usuario=usuario_operador
    )
    assert (resultado.creados, resultado.escrito) == (1, True)
    version = ClienteCorp.objects.get().history.get()
    assert (version.history_user, version.history_change_reason) == (
        usuario_operador,
        "importación c.csv",
    )


@pytest.mark.django_db
def test_un_proveedor_con_ruc_y_sin_nombre_es_un_error(tmp_path):
    ruta = escribir_csv(
        tmp_path / "p.csv",
        [["nombre", "ruc", "contacto"], ["", "20100017491", ""], ["", "", "NOC"]],
    )
    _, error = importar_con_comando("proveedores", ruta, esperar_error=True)
    assert "línea 2, columna «nombre»: Este campo no puede estar vacío." in error
    assert "línea 3, columna «nombre»: Este campo no puede estar vacío." in error
