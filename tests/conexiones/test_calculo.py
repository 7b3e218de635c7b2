"""conexiones.calculo: the bandwidth arithmetic, without the database."""

import pytest

from conexiones.choices import ModoAjuste
from conexiones.services import (
    calcular_ajuste,
)

pytestmark = pytest.mark.django_db


class TestCalculo:
    def test_aumentar_mueve_la_conexion_y_el_servicio(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=50,
            servicio_vendida=950,
            modo=ModoAjuste.AUMENTAR,
            mbps=80,
        )
        assert (calculo.bw_resultante, calculo.servicio_disponible_resultante) == (180, -30)
        assert calculo.servicio_vendida_resultante == 1030
        assert calculo.sobresuscrito and calculo.sobresuscripcion_mbps == 30

    def test_disminuir_en_un_servicio_sobresuscrito_no_es_sobresuscribir(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=-50,
            servicio_vendida=1050,
            modo=ModoAjuste.DISMINUIR,
            mbps=10,
        )
        assert calculo.servicio_disponible_resultante == -40 and not calculo.sobresuscrito

    def test_sin_mbps_no_hay_resultado(self):
        calculo = calcular_ajuste(
            bw_actual=100,
            en_baja=False,
            servicio_disponible=10,
            servicio_vendida=90,
            modo=ModoAjuste.AUMENTAR,
            mbps=None,
        )
        assert calculo.bw_resultante is None and calculo.servicio_disponible_resultante is None

    def test_limites(self, settings):
        settings.BW_MAXIMO_MBPS = 1000

        def calculo(modo, mbps):
            return calcular_ajuste(
                bw_actual=100,
                en_baja=False,
                servicio_disponible=None,
                servicio_vendida=None,
                modo=modo,
                mbps=mbps,
            )

        assert calculo(ModoAjuste.DISMINUIR, 100).bajo_minimo
        assert not calculo(ModoAjuste.DISMINUIR, 99).bajo_minimo
        assert calculo(ModoAjuste.AUMENTAR, 901).sobre_maximo
        assert not calculo(ModoAjuste.AUMENTAR, 900).sobre_maximo
