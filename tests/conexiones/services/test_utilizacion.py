"""The utilisation service: checks, storage, the connection's figure, roll-ups, percentiles and
partitions (those on PostgreSQL only)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from conexiones.agregados import percentil
from conexiones.factories import ConexionFactory
from conexiones.models import Conexion, MuestraHoraria, MuestraUtilizacion, UtilizacionSemanal
from conexiones.services import (
    MuestrasInvalidas,
    lecturas_validar,
    muestras_cargar,
    particiones_asegurar,
    particiones_mantener,
    utilizacion_consolidar,
    utilizacion_percentiles,
)
from conexiones.services.utilizacion import particiones_existentes

pytestmark = pytest.mark.django_db
LIMA = dt.timezone(dt.timedelta(hours=-5))
AHORA = dt.datetime(2026, 12, 3, 10, 30, tzinfo=LIMA)


def muestra(cid, minuto, entrada, salida, hora=10, dia=3):
    return {
        "cid_enlace": cid,
        "momento": dt.datetime(2026, 12, dia, hora, minuto, tzinfo=LIMA).isoformat(),
        "entrada_mbps": entrada,
        "salida_mbps": salida,
    }


@pytest.fixture
def enlace():
    return ConexionFactory(cid_enlace="257001", bw_contratado=200)


class TestValidar:
    @pytest.mark.parametrize(
        ("cambio", "campo", "mensaje"),
        [
            ({"entrada_mbps": -1}, "entrada_mbps", "No puede ser negativo."),
            ({"salida_mbps": "NaN"}, "salida_mbps", "Ingrese un número finito de Mbps."),
            ({"salida_mbps": float("inf")}, "salida_mbps", "Ingrese un número finito de Mbps."),
            ({"entrada_mbps": 100_000.001}, "entrada_mbps", "Supera el máximo de 100000"),
            ({"entrada_mbps": True}, "entrada_mbps", "Ingrese un número de Mbps."),
            ({"salida_mbps": "x"}, "salida_mbps", "Ingrese un número de Mbps."),
            ({"momento": "ayer"}, "momento", "Fecha y hora inválida"),
            ({"momento": "2026-12-03T10:05:00"}, "momento", "Indique la zona horaria"),
            ({"momento": "2026-12-03T10:41:00-05:00"}, "momento", "más de 10 minutos en el"),
            ({"cid_enlace": None}, "cid_enlace", "Indique cid_enlace o enlace_id."),
        ],
    )
    def test_una_mala_rechaza_el_lote_nombrando_indice_y_campo(self, cambio, campo, mensaje):
        filas = [muestra("257001", 5, 1, 1), {**muestra("257001", 10, 1, 1), **cambio}]
        with pytest.raises(MuestrasInvalidas) as error:
            lecturas_validar(filas, ahora=AHORA)
        assert list(error.value.errores) == [1]
        assert list(error.value.errores[1]) == [campo]
        assert mensaje in error.value.errores[1][campo]

    def test_diez_minutos_en_el_futuro_aun_valen(self):
        [lectura] = lecturas_validar([muestra("257001", 40, 1, 1)], ahora=AHORA)
        assert lectura.momento == AHORA + dt.timedelta(minutes=10)

    def test_enlace_id_en_lugar_del_cid_y_decimales(self):
        [lectura] = lecturas_validar(
            [
                {
                    "enlace_id": 7,
                    "momento": "2026-12-03T15:05:00Z",
                    "entrada_mbps": "1,5",
                    "salida_mbps": 0.0004,
                }
            ],
            ahora=AHORA,
        )
        assert (lectura.conexion, lectura.entrada_mbps, lectura.salida_mbps) == (
            7,
            Decimal("1.500"),
            Decimal("0.000"),
        )


class TestRegistrar:
    def test_guarda_y_fija_bw_utilizado_con_su_momento(self, enlace):
        registro = muestras_cargar(
            [muestra("257001", 5, 120.5, 80), muestra("257001", 10, 90, 150.5)], ahora=AHORA
        )
        assert (registro.guardadas, registro.desconocidas) == (2, [])
        enlace.refresh_from_db()
        assert enlace.bw_utilizado == 151  # the larger direction, rounded half up
        assert enlace.bw_utilizado_momento == dt.datetime(2026, 12, 3, 10, 10, tzinfo=LIMA)
        assert enlace.bw_disponible == 49

    def test_reenviar_reemplaza_sin_duplicar(self, enlace):
        muestras_cargar([muestra("257001", 5, 10, 10)], ahora=AHORA)
        muestras_cargar([muestra("257001", 5, 30, 20)], ahora=AHORA)
        filas = list(MuestraUtilizacion.objects.values_list("entrada_mbps", "salida_mbps"))
        assert filas == [(Decimal("30.000"), Decimal("20.000"))]
        enlace.refresh_from_db()
        assert enlace.bw_utilizado == 30

    def test_una_lectura_vieja_que_llega_tarde_no_pisa_la_nueva(self, enlace):
        muestras_cargar([muestra("257001", 10, 50, 5)], ahora=AHORA)
        muestras_cargar([muestra("257001", 5, 99, 5)], ahora=AHORA)
        enlace.refresh_from_db()
        assert (enlace.bw_utilizado, enlace.bw_utilizado_momento.minute) == (50, 10)
        assert MuestraUtilizacion.objects.count() == 2

    def test_desconocidas_no_rechazan_el_lote(self, enlace):
        registro = muestras_cargar(
            [
                muestra("999", 5, 1, 1),
                muestra("257001", 5, 1, 1),
                muestra("999", 10, 1, 1),
                {**muestra("x", 5, 1, 1), "cid_enlace": None, "enlace_id": 987654},
            ],
            ahora=AHORA,
        )
        assert (registro.guardadas, registro.desconocidas) == (1, ["999", "987654"])

    def test_nada_se_guarda_si_una_es_mala(self, enlace):
        with pytest.raises(MuestrasInvalidas):
            muestras_cargar([muestra("257001", 5, 1, 1), muestra("257001", 10, -1, 1)], ahora=AHORA)
        assert not MuestraUtilizacion.objects.exists()
        enlace.refresh_from_db()
        assert enlace.bw_utilizado_momento is None


def _horas(conexion):
    return {
        h.hora: (h.muestras, h.entrada_promedio, h.entrada_maximo, h.entrada_p95, h.salida_p95)
        for h in MuestraHoraria.objects.filter(conexion=conexion)
    }


class TestConsolidar:
    def test_promedio_maximo_y_p95_por_hora(self, enlace):
        valores = list(range(1, 13))  # 12 readings of one hour: 1..12 Mbps in, 2× out
        muestras_cargar(
            [muestra("257001", 5 * i, v, 2 * v, hora=8) for i, v in enumerate(valores)],
            ahora=AHORA,
        )
        utilizacion_consolidar(AHORA - dt.timedelta(hours=3), AHORA)
        hora = dt.datetime(2026, 12, 3, 8, tzinfo=LIMA)
        p95 = Decimal(str(percentil([float(v) for v in valores]))).quantize(Decimal("0.001"))
        assert p95 == Decimal("11.450")
        assert _horas(enlace) == {hora: (12, Decimal("6.500"), Decimal("12.000"), p95, 2 * p95)}

    def test_lecturas_antiguas_se_consolidan_al_llegar(self, enlace):
        muestras_cargar([muestra("257001", 5, 10, 0, dia=1)], ahora=AHORA)
        assert _horas(enlace)[dt.datetime(2026, 12, 1, 10, tzinfo=LIMA)][0] == 1


class TestPercentiles:
    def test_p95_de_siete_dias_en_porcentaje_del_contratado(self, enlace):
        otra = ConexionFactory(cid_enlace="257002", bw_contratado=100)
        muestras_cargar(
            [muestra("257001", 5 * i, 10 * i, 0, hora=9) for i in range(12)]
            + [muestra("257002", 5, 1, 1, hora=9)],
            ahora=AHORA,
        )
        utilizacion_percentiles(ahora=AHORA)
        filas = {
            u.conexion_id: (u.p95_mbps, u.porcentaje, u.muestras)
            for u in UtilizacionSemanal.objects.all()
        }
        assert filas == {
            enlace.pk: (Decimal("104.500"), Decimal("52.3"), 12),
            otra.pk: (Decimal("1.000"), Decimal("1.0"), 1),
        }
        # A week later nothing is in the window: the figures go.
        utilizacion_percentiles(ahora=AHORA + dt.timedelta(days=8))
        assert not UtilizacionSemanal.objects.exists()


class TestMantener:
    def test_borra_lecturas_vencidas_tras_consolidarlas(self, enlace, settings):
        settings.UTILIZACION_DIAS_CRUDOS = 8
        viejo = dt.datetime(2026, 11, 23, 9, tzinfo=LIMA)  # 10 days before
        muestras_cargar(
            [muestra("257001", 0, 5, 1, dia=23, hora=9) | {"momento": viejo.isoformat()}],
            ahora=AHORA,
        )
        muestras_cargar([muestra("257001", 5, 1, 1)], ahora=AHORA)
        particiones_mantener(ahora=AHORA)
        assert list(MuestraUtilizacion.objects.values_list("momento", flat=True)) == [
            dt.datetime(2026, 12, 3, 10, 5, tzinfo=LIMA)
        ]
        assert viejo in _horas(enlace)

    def test_borra_horarias_vencidas(self, enlace, settings):
        settings.UTILIZACION_DIAS_HORARIOS = 400
        muestras_cargar([muestra("257001", 5, 1, 1, dia=1)], ahora=AHORA)
        particiones_mantener(ahora=AHORA + dt.timedelta(days=401))
        assert not MuestraHoraria.objects.exists()


@pytest.mark.usefixtures("solo_postgres")
class TestParticiones:
    def test_particiones_por_dia_creadas_y_eliminadas(self, enlace, settings):
        settings.UTILIZACION_DIAS_CRUDOS = 8
        muestras_cargar([muestra("257001", 5, 1, 1, dia=1)], ahora=AHORA)
        dias = set(particiones_existentes())
        assert dt.date(2026, 12, 1) in dias
        resultado = particiones_mantener(ahora=AHORA)
        dias = set(particiones_existentes())
        assert {AHORA.date() + dt.timedelta(days=n) for n in range(4)} <= dias
        # 1 December is within 8 days: kept; then 10 days later it is dropped.
        assert resultado["eliminadas"] == []
        resultado = particiones_mantener(ahora=AHORA + dt.timedelta(days=10))
        assert dt.date(2026, 12, 1) in resultado["eliminadas"]
        assert dt.date(2026, 12, 1) not in set(particiones_existentes())
        assert not MuestraUtilizacion.objects.filter(momento__day=1).exists()

    def test_la_tabla_esta_particionada(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT partstrat FROM pg_partitioned_table p JOIN pg_class c "
                "ON c.oid = p.partrelid WHERE c.relname = 'conexiones_muestrautilizacion'"
            )
            assert cursor.fetchone() == ("r",)
        assert particiones_asegurar([dt.date(2030, 1, 1)]) == [dt.date(2030, 1, 1)]
        assert particiones_asegurar([dt.date(2030, 1, 1)]) == []


def test_bw_utilizado_ya_no_se_edita():
    from conexiones.services import CAMPOS_EDITABLES

    assert "bw_utilizado" not in CAMPOS_EDITABLES
    assert not Conexion._meta.get_field("bw_utilizado_momento").editable


def test_el_trabajador_consolida_mantiene_y_calcula(enlace, settings, capsys):
    import time_machine
    from django.core.management import call_command

    settings.PROMETHEUS_URL = ""
    with time_machine.travel(AHORA, tick=False):
        muestras_cargar([muestra("257001", 5 * i, 190, 1) for i in range(6)])
        call_command("procesar_utilizacion")
    assert "1 resúmenes horarios" in capsys.readouterr().out
    assert MuestraHoraria.objects.get().muestras == 6
    assert UtilizacionSemanal.objects.get().porcentaje == Decimal("95.0")
