"""Far dates (issue 21, item 1): every date and moment input takes FECHA_MINIMA to FECHA_MAXIMA
and refuses the rest in Spanish (400 in the API); a stored value out of range never breaks a
page, the admin or the API, can be cancelled, and is reported by the data migration."""

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp
from conexiones.choices import EstadoAjusteProgramado
from conexiones.factories import AjusteProgramadoFactory, ConexionFactory
from conexiones.forms import AjusteBWForm
from conexiones.models import AjusteProgramado, Conexion
from isp_portal.fechas import (
    filas_fuera_de_rango,
    reportar_fuera_de_rango,
    validate_fecha_en_rango,
    verificar_rango,
)
from isp_portal.formatos import fecha_texto
from isp_portal.importacion.celdas import convertidor
from tests.api.conftest import cliente_con_token

pytestmark = pytest.mark.django_db

MENSAJE = "fuera del rango admitido (del 01/01/2000 al 31/12/2100)"
LIMA = timezone.get_default_timezone()


def lima(*partes) -> datetime:
    return datetime(*partes, tzinfo=LIMA)


# --- The range --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "valor",
    [date(2000, 1, 1), date(2100, 12, 31), lima(2000, 1, 1, 0, 0), lima(2100, 12, 31, 23, 59)],
)
def test_los_extremos_del_rango_se_admiten(valor):
    validate_fecha_en_rango(valor)


@pytest.mark.parametrize(
    "valor",
    [
        date(1999, 12, 31),
        date(2101, 1, 1),
        date(1, 1, 1),
        date(9999, 12, 31),
        lima(1999, 12, 31, 23, 59),
        lima(2101, 1, 1, 0, 0),
        # 04:00 UTC of 2101-01-01 is still 2100 in Lima: in range; this one is not.
        datetime(2101, 1, 1, 5, 0, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),  # Lima time cannot hold it
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_fuera_del_rango_un_mensaje_claro(valor):
    with pytest.raises(ValidationError) as error:
        validate_fecha_en_rango(valor)
    assert MENSAJE in error.value.messages[0]
    assert error.value.code == "fecha_fuera_de_rango"


def test_el_rango_sale_de_la_configuracion(settings):
    settings.FECHA_MAXIMA = date(2050, 12, 31)
    with pytest.raises(ValidationError, match="al 31/12/2050"):
        validate_fecha_en_rango(date(2051, 1, 1))
    assert verificar_rango() == []
    settings.FECHA_MINIMA = date(2060, 1, 1)  # after the maximum
    assert [e.id for e in verificar_rango()] == ["isp_portal.E002"]


def test_fecha_texto_muestra_en_utc_lo_que_la_hora_local_no_puede():
    assert fecha_texto(datetime(1, 1, 1, tzinfo=UTC)) == "01/01/0001 00:00 UTC"
    assert fecha_texto(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)) == "31/12/9999 18:59"


# --- Inputs -----------------------------------------------------------------------------------


def test_formulario_de_cliente(operador_client):
    datos = {
        "cid": "777",
        "razon_social": "Fechas Lejanas S.A.C.",
        "ruc": "20100017491",
        "fecha_activacion": "9999-12-31",
    }
    respuesta = operador_client.post("/clientes_corporativo/nuevo", datos)
    assert respuesta.status_code == 200
    assert MENSAJE in respuesta.content.decode()
    assert not ClienteCorp.objects.exists()
    # The date input offers only the range.
    pagina = operador_client.get("/clientes_corporativo/nuevo").content.decode()
    assert 'min="2000-01-01"' in pagina and 'max="2100-12-31"' in pagina


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("inicio", "9999-12-31T23:59"),
        ("inicio", "2101-01-01T00:00"),
        ("fin", "9999-12-31T23:00"),
        ("fin", "0001-01-01T00:00"),
        ("inicio", "1999-12-31T23:59"),
    ],
)
def test_modal_ajustar_bw(operador_client, campo, valor):
    conexion = ConexionFactory(bw_contratado=100)
    respuesta = operador_client.post(
        f"/conexiones/{conexion.pk}/ajustar-bw",
        {"modo": "AUMENTAR", "mbps": "10", campo: valor},
        headers={"HX-Request": "true"},
    )
    assert respuesta.status_code == 200
    assert MENSAJE in respuesta.content.decode()
    assert not AjusteProgramado.objects.exists()
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 100
    # The preview ignores it instead of failing.
    previo = operador_client.get(
        f"/conexiones/{conexion.pk}/ajustar-bw/vista-previa",
        {"modo": "AUMENTAR", "mbps": "10", campo: valor},
    )
    assert previo.status_code == 200


def test_el_modal_ofrece_solo_el_rango():
    html = str(AjusteBWForm()["inicio"].field.widget.attrs)
    assert "2000-01-01T00:00" in html and "2100-12-31T23:59" in html


@pytest.mark.parametrize("desde", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_filtro_de_la_lista_de_programados(lectura_client, desde):
    AjusteProgramadoFactory()
    for parametro in ("desde", "hasta"):
        respuesta = lectura_client.get("/ajustes-programados/", {parametro: desde})
        assert respuesta.status_code == 200
        assert MENSAJE in respuesta.content.decode()


@pytest.mark.parametrize(
    "valor",
    ["9999-12-31T23:59", "2101-01-01T00:00", "0001-01-01T00:00:00+05:00", "1999-12-31T10:00"],
)
def test_api_programar_fuera_del_rango_es_400(usuario_operador, valor):
    api = cliente_con_token(usuario_operador)
    conexion = ConexionFactory(bw_contratado=100)
    for campo in ("inicio", "fin"):
        respuesta = api.post(
            f"/v1/conexiones/{conexion.pk}/ajustes-programados",
            {"modo": "AUMENTAR", "mbps": 10, campo: valor},
        )
        assert respuesta.status_code == 400, respuesta.content
        assert "fuera del rango admitido" in json.loads(respuesta.content)[campo][0]
    assert not AjusteProgramado.objects.exists()


def test_api_fecha_de_activacion_fuera_del_rango_es_400(usuario_operador):
    api = cliente_con_token(usuario_operador)
    cliente = ClienteCorpFactory()
    respuesta = api.put(
        f"/v1/clientes-corporativo/editar/{cliente.pk}", {"fecha_activacion": "1999-12-31"}
    )
    assert respuesta.status_code == 400
    assert MENSAJE in json.loads(respuesta.content)["fecha_activacion"][0]
    conexion = ConexionFactory()
    respuesta = api.put(f"/v1/conexiones/{conexion.pk}", {"fecha_activacion": "9999-12-31"})
    assert respuesta.status_code == 400
    assert MENSAJE in json.loads(respuesta.content)["fecha_activacion"][0]


@pytest.mark.parametrize("celda", ["9999-12-31", "31/12/1899", date(1900, 1, 1)])
def test_celda_de_importacion(celda):
    convertir = convertidor(ClienteCorp._meta.get_field("fecha_activacion"))
    with pytest.raises(ValidationError) as error:
        convertir(celda)
    assert MENSAJE in error.value.messages[0]
    assert convertir("2024-02-29") == date(2024, 2, 29)


def test_importar_un_archivo_con_una_fecha_lejana(tmp_path):
    from django.core.management import CommandError, call_command

    archivo = tmp_path / "clientes.csv"
    archivo.write_text(
        "cid,razon_social,ruc,fecha_activacion\n777,Lejana S.A.C.,20100017491,01/01/3000\n",
        encoding="utf-8",
    )
    salida = io.StringIO()
    with pytest.raises(CommandError):
        call_command("importar", "clientes", str(archivo), stdout=salida, stderr=salida)
    assert "fuera del rango admitido" in salida.getvalue()
    assert not ClienteCorp.objects.exists()


# --- Stored values out of range ---------------------------------------------------------------


def _guardar_crudo(modelo, pk, **valores):
    """Write past the validators, as an old row or a hand edit would have."""
    modelo.objects.filter(pk=pk).update(**valores)


def _guardar_sql(modelo, pk, campo, literal):
    """PostgreSQL holds what Python cannot (past year 9999, BC, infinity)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{modelo._meta.db_table}" SET "{campo}" = %s WHERE id = %s', [literal, pk]
        )


def _paginas(client, api, programado) -> dict[str, object]:
    conexion = programado.conexion
    return {
        "conexión": client.get(f"/conexiones/{conexion.pk}/"),
        "lista": client.get("/ajustes-programados/"),
        "lista filtrada": client.get("/ajustes-programados/", {"estado": "PENDIENTE"}),
        "cancelar": client.get(f"/ajustes-programados/{programado.pk}/cancelar"),
        "inicio": client.get("/"),
        "admin lista": client.get("/admin/conexiones/ajusteprogramado/"),
        "admin lista por inicio": client.get(
            "/admin/conexiones/ajusteprogramado/", {"inicio__gte": "2000-01-01 00:00:00-05:00"}
        ),
        "admin ficha": client.get(f"/admin/conexiones/ajusteprogramado/{programado.pk}/change/"),
        "admin cliente": client.get(f"/admin/clientes/clientecorp/{conexion.cliente_id}/change/"),
        "cliente": client.get(f"/clientes_corporativo/{conexion.cliente_id}/"),
        "api lista": api.get(f"/v1/conexiones/{conexion.pk}/ajustes-programados"),
        "api conexión": api.get(f"/v1/conexiones/{conexion.pk}"),
        "api clientes": api.get("/v1/clientes-corporativo/listar"),
    }


def _valores_guardados(es_postgres):
    """(inicio, fin, fecha_activacion) stored past the validators: what Python holds on every
    database; on PostgreSQL also what only it holds."""
    valores = [
        (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC), date(1, 1, 1)),
        (lima(2030, 1, 1, 0, 0), datetime(9999, 12, 31, 23, 59, tzinfo=UTC), date(9999, 12, 31)),
    ]
    if es_postgres:
        valores += [
            ("10000-01-01 04:00:00+00", None, "10000-01-01"),  # 9999-12-31 23:00 in Lima
            ("0044-03-15 00:00:00+00 BC", "infinity", "-infinity"),
            ("-infinity", "10000-06-01 00:00:00+00", "0001-01-01 BC"),
        ]
    return valores


@pytest.mark.parametrize("caso", range(5))
def test_ninguna_pagina_falla_por_un_valor_guardado(admin_client, admin_user, es_postgres, caso):
    valores = _valores_guardados(es_postgres)
    if caso >= len(valores):
        pytest.skip("valor que solo PostgreSQL guarda")
    inicio, fin, activacion = valores[caso]
    programado = AjusteProgramadoFactory(inicio=lima(2030, 1, 1, 0, 0), fin=lima(2030, 1, 2, 0, 0))
    conexion = programado.conexion
    if es_postgres:  # both at once: the check constraint (fin after inicio) holds
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE conexiones_ajusteprogramado SET inicio = %s::timestamptz, "
                "fin = %s::timestamptz WHERE id = %s",
                [inicio, fin, programado.pk],
            )
    else:
        _guardar_crudo(AjusteProgramado, programado.pk, inicio=inicio, fin=fin)
    for modelo, pk in ((Conexion, conexion.pk), (ClienteCorp, conexion.cliente_id)):
        if isinstance(activacion, str):
            _guardar_sql(modelo, pk, "fecha_activacion", activacion)
        else:
            _guardar_crudo(modelo, pk, fecha_activacion=activacion)

    api = cliente_con_token(admin_user)
    for pagina, respuesta in _paginas(admin_client, api, programado).items():
        assert respuesta.status_code == 200, (pagina, respuesta.content[:500])

    # Reported by the data migration's check…
    lineas = []
    assert reportar_fuera_de_rango(apps, escribir=lineas.append) >= 3
    assert any(f"conexiones.AjusteProgramado id={programado.pk}: " in li for li in lineas)
    assert any(f"clientes.ClienteCorp id={conexion.cliente_id}" in li for li in lineas)
    assert not any("Historical" in li for li in lineas)

    # … and cancelled from the page.
    respuesta = admin_client.post(
        f"/ajustes-programados/{programado.pk}/cancelar", {"next": "/ajustes-programados/"}
    )
    assert respuesta.status_code == 302
    estado = AjusteProgramado.objects.values_list("estado", flat=True).get(pk=programado.pk)
    assert estado == EstadoAjusteProgramado.CANCELADO


def test_el_reporte_no_cambia_nada_y_no_cuenta_lo_que_esta_en_rango():
    dentro = AjusteProgramadoFactory(inicio=lima(2100, 12, 31, 23, 0), fin=None)
    fuera = AjusteProgramadoFactory()
    _guardar_crudo(AjusteProgramado, fuera.pk, inicio=lima(2101, 1, 1, 0, 0), fin=None)
    campo = AjusteProgramado._meta.get_field("inicio")
    filas = filas_fuera_de_rango(AjusteProgramado, campo)
    assert [pk for pk, _ in filas] == [fuera.pk]
    assert "2101" in filas[0][1]
    fuera.refresh_from_db()
    assert fuera.inicio == lima(2101, 1, 1, 0, 0)
    assert dentro.pk not in [pk for pk, _ in filas]


def test_un_momento_lejano_en_el_servicio_tambien_se_rechaza():
    """The scheduling service itself refuses it (whatever calls it)."""
    from conexiones.services import ajuste_programado_crear

    conexion = ConexionFactory(bw_contratado=100)
    with pytest.raises(ValidationError) as error:
        ajuste_programado_crear(
            conexion=conexion,
            modo="AUMENTAR",
            mbps=10,
            inicio=timezone.now() + timedelta(days=1),
            fin=datetime(9999, 12, 31, 23, 0, tzinfo=LIMA),
        )
    assert "fin" in error.value.message_dict
    assert not AjusteProgramado.objects.exists()


def test_la_api_cancela_un_programado_con_un_momento_lejano(admin_user):
    programado = AjusteProgramadoFactory()
    _guardar_crudo(AjusteProgramado, programado.pk, inicio=datetime(1, 1, 1, tzinfo=UTC))
    api = cliente_con_token(admin_user)
    respuesta = api.delete(
        f"/v1/conexiones/{programado.conexion_id}/ajustes-programados/{programado.pk}"
    )
    assert respuesta.status_code == 200, respuesta.content
    datos = json.loads(respuesta.content)
    assert datos["estado"] == "CANCELADO" and datos["inicio"] == "0001-01-01T00:00:00Z"


def test_la_migracion_reporta_con_sus_modelos_historicos(capsys):
    """The data migration itself, on the models as they stood then."""
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    migracion = importlib.import_module("conexiones.migrations.0015_reportar_fechas_fuera_de_rango")
    estado = MigrationExecutor(connection).loader.project_state(
        ("conexiones", "0015_reportar_fechas_fuera_de_rango")
    )
    cliente = ClienteCorpFactory()
    _guardar_crudo(ClienteCorp, cliente.pk, fecha_activacion=date(1899, 12, 31))
    migracion.reportar(estado.apps, None)
    salida = capsys.readouterr().out
    assert f"clientes.ClienteCorp id={cliente.pk}: fecha_activacion = 1899-12-31" in salida
    assert salida.count("fuera del rango admitido") == 1
