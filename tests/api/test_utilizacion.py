"""POST /v1/utilizacion (JSON and line protocol) and the series of a connection."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group

from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, Conexion, MuestraHoraria, MuestraUtilizacion
from conexiones.services import utilizacion_consolidar
from isp_portal.roles import GRUPO_MONITOREO
from tests.conftest import usuario_con_rol

from .conftest import ClienteAPI, cliente_con_token

pytestmark = pytest.mark.django_db
LIMA = dt.timezone(dt.timedelta(hours=-5))
AHORA = dt.datetime(2026, 12, 3, 10, 30, tzinfo=LIMA)


@pytest.fixture(autouse=True)
def reloj():
    with time_machine.travel(AHORA, tick=False):
        yield


@pytest.fixture
def enlace():
    return ConexionFactory(cid_enlace="257001", bw_contratado=200)


@pytest.fixture
def api_monitoreo(django_user_model):
    return cliente_con_token(usuario_con_rol(django_user_model, "zabbix", GRUPO_MONITOREO))


def lectura(minuto=5, **cambios):
    return {
        "cid_enlace": "257001",
        "momento": f"2026-12-03T10:{minuto:02d}:00-05:00",
        "entrada_mbps": 120.5,
        "salida_mbps": 80,
        **cambios,
    }


def _json(respuesta):
    return json.loads(respuesta.content)


class TestCargaJSON:
    def test_guarda_y_responde_guardadas_y_desconocidas(self, api_monitoreo, enlace):
        respuesta = api_monitoreo.post(
            "/v1/utilizacion",
            {"muestras": [lectura(), lectura(10, cid_enlace="999"), lectura(10)]},
        )
        assert respuesta.status_code == 200, respuesta.content
        assert _json(respuesta) == {"guardadas": 2, "desconocidas": ["999"]}
        enlace.refresh_from_db()
        assert enlace.bw_utilizado == 121
        assert enlace.bw_utilizado_momento == dt.datetime(2026, 12, 3, 10, 10, tzinfo=LIMA)
        detalle = _json(api_monitoreo.get(f"/v1/conexiones/{enlace.pk}"))
        assert detalle["bw_utilizado"] == 121
        assert detalle["bw_utilizado_momento"] == "2026-12-03T10:10:00-05:00"

    def test_enlace_id_en_lugar_del_cid(self, api_monitoreo, enlace):
        fila = lectura()
        del fila["cid_enlace"]
        respuesta = api_monitoreo.post(
            "/v1/utilizacion", {"muestras": [{**fila, "enlace_id": enlace.pk}]}
        )
        assert _json(respuesta) == {"guardadas": 1, "desconocidas": []}

    def test_una_mala_rechaza_todo_nombrando_indice_y_campo(self, api_monitoreo, enlace):
        respuesta = api_monitoreo.post(
            "/v1/utilizacion",
            {
                "muestras": [
                    lectura(),
                    lectura(10, entrada_mbps=-1),
                    lectura(15, momento="2026-12-03T10:45:00-05:00", salida_mbps="NaN"),
                    lectura(20, momento=None),
                ]
            },
        )
        assert respuesta.status_code == 400
        assert _json(respuesta) == {
            "non_field_errors": ["3 lecturas inválidas: no se guardó ninguna."],
            "muestras[1].entrada_mbps": ["No puede ser negativo."],
            "muestras[2].momento": ["Está más de 10 minutos en el futuro."],
            "muestras[2].salida_mbps": ["Ingrese un número finito de Mbps."],
            "muestras[3].momento": ["Indique la fecha y hora (ISO 8601)."],
        }
        assert not MuestraUtilizacion.objects.exists()

    def test_sobre_el_maximo(self, api_monitoreo, enlace, settings):
        settings.BW_MAXIMO_MBPS = 1000
        respuesta = api_monitoreo.post(
            "/v1/utilizacion", {"muestras": [lectura(salida_mbps=1000.5)]}
        )
        assert _json(respuesta)["muestras[0].salida_mbps"] == [
            "Supera el máximo de 1000 Mbps por conexión."
        ]

    @pytest.mark.parametrize("cuerpo", [{}, {"muestras": {}}, [], {"muestras": "x"}])
    def test_cuerpo_sin_lista(self, api_monitoreo, cuerpo):
        respuesta = api_monitoreo.post("/v1/utilizacion", cuerpo)
        assert respuesta.status_code == 400
        assert _json(respuesta) == {"muestras": ["Envíe una lista de muestras."]}

    def test_nan_literal_es_json_invalido(self, api_monitoreo, enlace):
        cuerpo = json.dumps({"muestras": [lectura()]}).replace("120.5", "NaN")
        respuesta = api_monitoreo.post("/v1/utilizacion", cuerpo)
        assert respuesta.status_code == 400
        assert not MuestraUtilizacion.objects.exists()

    def test_cincuenta_mil_por_pedido(self, api_monitoreo, sin_limite):
        conexiones = ConexionFactory.create_batch(5)
        inicio = AHORA - dt.timedelta(minutes=5 * 10_000)
        muestras = [
            {
                "enlace_id": c.pk,
                "momento": (inicio + dt.timedelta(minutes=5 * i)).isoformat(),
                "entrada_mbps": i % 100,
                "salida_mbps": 1,
            }
            for i in range(10_000)
            for c in conexiones
        ]
        respuesta = api_monitoreo.post("/v1/utilizacion", {"muestras": muestras})
        assert respuesta.status_code == 200, respuesta.content[:300]
        assert _json(respuesta)["guardadas"] == 50_000
        demasiadas = api_monitoreo.post("/v1/utilizacion", {"muestras": [*muestras, muestras[0]]})
        assert demasiadas.status_code == 400
        assert _json(demasiadas) == {"muestras": ["Envíe hasta 50000 muestras por pedido."]}


class TestPermisos:
    def test_lectura_no_puede_enviar(self, api_lectura, enlace):
        respuesta = api_lectura.post("/v1/utilizacion", {"muestras": [lectura()]})
        assert respuesta.status_code == 403
        assert not MuestraUtilizacion.objects.exists()

    def test_sin_token_401(self, enlace):
        assert ClienteAPI().post("/v1/utilizacion", {"muestras": []}).status_code == 401

    @pytest.mark.parametrize("cliente", ["api_operador", "api_admin", "api_monitoreo"])
    def test_operador_admin_y_monitoreo_pueden(self, cliente, request, enlace):
        api = request.getfixturevalue(cliente)
        assert api.post("/v1/utilizacion", {"muestras": [lectura()]}).status_code == 200

    def test_monitoreo_lee_pero_no_escribe_otra_cosa(self, api_monitoreo, enlace):
        assert api_monitoreo.get("/v1/conexiones/listar").status_code == 200
        assert (
            api_monitoreo.put(f"/v1/conexiones/{enlace.pk}", {"locacion": "x"}).status_code == 403
        )
        assert (
            api_monitoreo.post(
                f"/v1/conexiones/{enlace.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": 1}
            ).status_code
            == 403
        )
        permisos = set(
            Group.objects.get(name=GRUPO_MONITOREO)
            .permissions.exclude(codename__startswith="view_")
            .values_list("codename", flat=True)
        )
        assert permisos == {"add_muestrautilizacion"}


class TestLineProtocol:
    def _post(self, api, texto):
        return api.generic(
            "POST",
            "/v1/utilizacion/influx",
            texto.encode(),
            content_type="text/plain; charset=utf-8",
        )

    def test_telegraf_mbps_y_bps(self, api_monitoreo, enlace):
        ns = int(dt.datetime(2026, 12, 3, 10, 5, tzinfo=LIMA).timestamp()) * 10**9
        texto = (
            f"interfaz,cid=257001,host=r1 entrada_mbps=120.5,salida_mbps=80i {ns}\n"
            f"snmp,cid=257001 in_bps=250000000i,out_bps=1500000.0 {ns + 300 * 10**9}\n"
            f"snmp,cid=999 in_bps=1,out_bps=1 {ns}\n"
        )
        respuesta = self._post(api_monitoreo, texto)
        assert respuesta.status_code == 200, respuesta.content
        assert _json(respuesta) == {"guardadas": 2, "desconocidas": ["999"]}
        assert list(
            MuestraUtilizacion.objects.order_by("momento").values_list(
                "entrada_mbps", "salida_mbps"
            )
        ) == [(Decimal("120.5"), Decimal("80")), (Decimal("250"), Decimal("1.5"))]
        enlace.refresh_from_db()
        assert enlace.bw_utilizado == 250

    def test_lineas_malas_nombradas(self, api_monitoreo, enlace):
        texto = "m,cid=257001 entrada_mbps=1,salida_mbps=1\nbasura sin campos\nm salida_mbps=1\n"
        respuesta = self._post(api_monitoreo, texto)
        assert respuesta.status_code == 400
        cuerpo = _json(respuesta)
        assert cuerpo["linea[2].linea"] == ["No es una línea de InfluxDB line protocol válida."]
        assert cuerpo["linea[3].cid"] == ["Falta la etiqueta cid."]
        assert not MuestraUtilizacion.objects.exists()

    def test_campo_faltante_nombra_la_linea(self, api_monitoreo, enlace):
        texto = "m,cid=257001 entrada_mbps=1,salida_mbps=1\nm,cid=257001 entrada_mbps=2\n"
        cuerpo = _json(self._post(api_monitoreo, texto))
        assert cuerpo["linea[2].salida_mbps"] == ["Ingrese un número de Mbps."]

    def test_lectura_403(self, api_lectura):
        assert self._post(api_lectura, "m,cid=1 entrada_mbps=1,salida_mbps=1").status_code == 403


class TestSerie:
    def test_cinco_minutos_con_p95_y_pasos(self, api_lectura, enlace):
        from conexiones.services import muestras_cargar

        muestras_cargar([lectura(5 * i, entrada_mbps=i, salida_mbps=0) for i in range(6)])
        AjusteBW.objects.create(
            conexion=enlace, modo="AUMENTAR", mbps=100, bw_anterior=100, bw_resultante=200
        )
        respuesta = api_lectura.get(
            f"/v1/conexiones/{enlace.pk}/utilizacion",
            {"desde": "2026-12-03T09:00:00-05:00", "hasta": "2026-12-03T11:00:00-05:00"},
        )
        assert respuesta.status_code == 200, respuesta.content
        cuerpo = _json(respuesta)
        assert cuerpo["resolucion"] == "5m"
        assert cuerpo["bw_contratado"] == 200
        assert cuerpo["p95_mbps"] == 4.75
        assert [p["entrada_mbps"] for p in cuerpo["puntos"]] == [0, 1, 2, 3, 4, 5]
        assert cuerpo["puntos"][0]["momento"] == "2026-12-03T10:00:00-05:00"
        assert [p["bw_contratado"] for p in cuerpo["pasos_bw"]] == [200]

    @pytest.mark.parametrize(
        ("dias", "resolucion"), [(1, "5m"), (6, "5m"), (7, "1h"), (30, "1h"), (365, "1d")]
    )
    def test_resolucion_segun_el_rango(self, api_lectura, enlace, dias, resolucion):
        hasta = AHORA
        desde = hasta - dt.timedelta(days=dias)
        cuerpo = _json(
            api_lectura.get(
                f"/v1/conexiones/{enlace.pk}/utilizacion",
                {"desde": desde.isoformat(), "hasta": hasta.isoformat()},
            )
        )
        assert cuerpo["resolucion"] == resolucion

    def test_horaria_y_diaria_desde_los_resumenes(self, api_lectura, enlace):
        from conexiones.services import muestras_cargar

        muestras_cargar(
            [lectura(5 * i, entrada_mbps=10, salida_mbps=2 * i) for i in range(6)]
            + [lectura(5, momento="2026-12-02T08:05:00-05:00", entrada_mbps=30, salida_mbps=0)]
        )
        utilizacion_consolidar(AHORA - dt.timedelta(days=2), AHORA)
        assert MuestraHoraria.objects.count() == 2
        url = f"/v1/conexiones/{enlace.pk}/utilizacion"
        horas = _json(api_lectura.get(url, {"desde": "2026-11-20T00:00:00Z"}))
        assert horas["resolucion"] == "1h"
        assert [(p["entrada_mbps"], p["salida_mbps"]) for p in horas["puntos"]] == [
            (30.0, 0.0),
            (10.0, 5.0),
        ]
        dias = _json(api_lectura.get(url, {"desde": "2026-01-01T00:00:00Z"}))
        assert dias["resolucion"] == "1d"
        assert len(dias["puntos"]) == 2

    @pytest.mark.parametrize(
        ("parametros", "campo"),
        [
            ({"desde": "ayer"}, "desde"),
            ({"desde": "2026-12-04T00:00:00Z"}, "desde"),
            ({"desde": "2020-01-01T00:00:00Z"}, "desde"),
        ],
    )
    def test_parametros_malos(self, api_lectura, enlace, parametros, campo):
        respuesta = api_lectura.get(f"/v1/conexiones/{enlace.pk}/utilizacion", parametros)
        assert respuesta.status_code == 400
        assert campo in _json(respuesta)

    def test_404(self, api_lectura):
        assert api_lectura.get("/v1/conexiones/999999/utilizacion").status_code == 404


def test_conexion_sin_lecturas_no_tiene_momento(api_lectura):
    conexion = ConexionFactory()
    assert _json(api_lectura.get(f"/v1/conexiones/{conexion.pk}"))["bw_utilizado_momento"] is None
    assert Conexion.objects.get(pk=conexion.pk).bw_utilizado_momento is None
