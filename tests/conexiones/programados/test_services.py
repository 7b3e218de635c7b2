"""Scheduled and temporary bandwidth changes (AjusteProgramado), with time travelled.

conexiones.services: ajuste_programado_crear schedules (or applies now), ajustes_programados_aplicar
is the scheduler, ajuste_programado_cancelar cancels; the figures at a future moment come from
conexiones.selectors.conexion_figuras_en.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from conexiones.choices import EstadoAjusteProgramado as Estado
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import AjusteProgramadoFactory, ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado, Conexion
from conexiones.selectors import (
    ajuste_programado_previo,
    ajustes_programados_resumen,
    conexion_figuras_en,
    servicios_con_capacidad,
)
from conexiones.services import (
    ajuste_programado_cancelar,
    ajuste_programado_crear,
    ajustes_programados_aplicar,
    conexion_ajustar_bw,
    programados,
)

from . import JUEVES, LUNES, VIERNES

pytestmark = pytest.mark.django_db


def programar(conexion, usuario, **datos):
    datos = {"modo": ModoAjuste.AUMENTAR, "mbps": 200, "motivo": "Evento", **datos}
    return ajuste_programado_crear(conexion=conexion, usuario=usuario, **datos)


def bw(conexion) -> int:
    return Conexion.objects.get(pk=conexion.pk).bw_contratado


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible


def recargar(programado) -> AjusteProgramado:
    return AjusteProgramado.objects.get(pk=programado.pk)


class TestAplicarEnElInicio:
    def test_se_aplica_en_el_inicio_y_no_antes(self, reloj, conexion, servicio, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        assert programado.estado == Estado.PENDIENTE
        assert not AjusteBW.objects.exists()

        reloj(VIERNES - timedelta(seconds=1))
        assert ajustes_programados_aplicar().hechos == []
        assert bw(conexion) == 300

        reloj(VIERNES)
        (hecho,) = ajustes_programados_aplicar().hechos
        assert hecho.pk == programado.pk
        programado = recargar(programado)
        assert programado.estado == Estado.APLICADO
        assert programado.nota == ""  # on time
        assert bw(conexion) == 500
        assert disponible(servicio) == 500
        ajuste = AjusteBW.objects.get()
        assert programado.ajuste_aplicado == ajuste
        assert (ajuste.modo, ajuste.mbps, ajuste.bw_anterior, ajuste.bw_resultante) == (
            ModoAjuste.AUMENTAR,
            200,
            300,
            500,
        )
        assert ajuste.motivo == "programado: Evento"
        assert ajuste.usuario == usuario_operador
        # The connection's change history says who and why, as for any adjustment.
        ultima = Conexion.history.filter(id=conexion.pk).latest("history_date")
        assert ultima.history_change_reason == "programado: Evento"
        assert ultima.history_user == usuario_operador

    def test_una_segunda_pasada_no_lo_aplica_otra_vez(self, reloj, conexion, usuario_operador):
        programar(conexion, usuario_operador, inicio=VIERNES)
        reloj(VIERNES + timedelta(minutes=1))
        assert len(ajustes_programados_aplicar().hechos) == 1
        reloj(VIERNES + timedelta(minutes=2))
        assert ajustes_programados_aplicar().hechos == []
        assert bw(conexion) == 500
        assert AjusteBW.objects.count() == 1

    def test_en_orden_de_inicio(self, reloj, conexion, usuario_operador):
        segundo = programar(conexion, usuario_operador, inicio=VIERNES + timedelta(hours=1))
        primero = programar(
            conexion, usuario_operador, inicio=VIERNES, modo=ModoAjuste.DISMINUIR, mbps=100
        )
        reloj(LUNES)
        hechos = ajustes_programados_aplicar().hechos
        assert [p.pk for p in hechos] == [primero.pk, segundo.pk]
        ajustes = list(AjusteBW.objects.order_by("id"))
        assert [(a.bw_anterior, a.bw_resultante) for a in ajustes] == [(300, 200), (200, 400)]

    def test_sin_motivo_el_ledger_nombra_el_ajuste(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, motivo="")
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert AjusteBW.objects.get().motivo == f"programado: ajuste programado #{programado.pk}"

    def test_atrasado_se_aplica_en_la_siguiente_pasada_con_nota(
        self, reloj, conexion, usuario_operador
    ):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        reloj(VIERNES + timedelta(hours=3, minutes=12))  # nothing ran at 18:00
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.APLICADO
        assert "3 h 12 min de retraso" in programado.nota
        assert bw(conexion) == 500

    def test_un_minuto_tarde_no_es_retraso(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        reloj(VIERNES + timedelta(seconds=59))
        ajustes_programados_aplicar()
        assert recargar(programado).nota == ""


class TestTemporal:
    def test_se_revierte_en_el_fin(self, reloj, conexion, servicio, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert bw(conexion) == 500

        reloj(LUNES - timedelta(seconds=1))
        assert ajustes_programados_aplicar().hechos == []
        assert recargar(programado).estado == Estado.APLICADO

        reloj(LUNES)
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.REVERTIDO
        assert bw(conexion) == 300
        assert disponible(servicio) == 700
        aplicado, revertido = AjusteBW.objects.order_by("id")
        assert (programado.ajuste_aplicado, programado.ajuste_revertido) == (aplicado, revertido)
        assert (revertido.modo, revertido.mbps) == (ModoAjuste.DISMINUIR, 200)
        assert (revertido.bw_anterior, revertido.bw_resultante) == (500, 300)
        assert revertido.motivo == "programado: fin de Evento"

        reloj(LUNES + timedelta(days=1))
        assert ajustes_programados_aplicar().hechos == []
        assert AjusteBW.objects.count() == 2

    def test_una_disminucion_temporal_vuelve_a_subir(self, reloj, conexion, usuario_operador):
        programar(
            conexion,
            usuario_operador,
            inicio=VIERNES,
            fin=LUNES,
            modo=ModoAjuste.DISMINUIR,
            mbps=250,
        )
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert bw(conexion) == 50
        reloj(LUNES)
        ajustes_programados_aplicar()
        assert bw(conexion) == 300

    def test_aplicado_y_revertido_en_una_pasada_atrasada(self, reloj, conexion, usuario_operador):
        """Inicio missed, then the run comes within the period: applied; fin later."""
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(VIERNES + timedelta(days=1))
        ajustes_programados_aplicar()
        assert recargar(programado).estado == Estado.APLICADO
        assert "1 d de retraso" in recargar(programado).nota

    def test_periodo_entero_perdido_es_fallido(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(LUNES + timedelta(hours=1))  # nothing ran the whole weekend
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.FALLIDO
        assert "pasó sin que corriera el programador" in programado.nota
        assert bw(conexion) == 300
        assert not AjusteBW.objects.exists()

    def test_empieza_ahora_si_el_inicio_esta_vacio_o_paso(self, reloj, conexion, usuario_operador):
        for inicio in (None, JUEVES - timedelta(hours=5)):
            programado = programar(conexion, usuario_operador, inicio=inicio, fin=LUNES, mbps=10)
            assert programado.estado == Estado.APLICADO
            assert programado.inicio == JUEVES  # now
            assert programado.ajuste_aplicado.motivo == "programado: Evento"
        assert bw(conexion) == 320
        reloj(LUNES)
        ajustes_programados_aplicar()
        assert bw(conexion) == 300
        assert set(AjusteProgramado.objects.values_list("estado", flat=True)) == {
            Estado.REVERTIDO
        }

    def test_permanente_ahora_tambien_se_registra(self, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador)
        assert programado.estado == Estado.APLICADO
        assert bw(conexion) == 500
        assert not programado.cancelable


class TestCancelar:
    def test_antes_de_aplicarse(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        cancelado = ajuste_programado_cancelar(programado=programado, usuario=usuario_operador)
        assert cancelado.estado == Estado.CANCELADO
        assert cancelado.cancelado_por == usuario_operador
        assert "antes de aplicarse" in cancelado.nota
        reloj(VIERNES)
        assert ajustes_programados_aplicar().hechos == []
        reloj(LUNES)
        assert ajustes_programados_aplicar().hechos == []
        assert bw(conexion) == 300
        assert not AjusteBW.objects.exists()

    def test_durante_un_temporal_lo_revierte_ahora(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        reloj(VIERNES + timedelta(days=1))
        cancelado = ajuste_programado_cancelar(programado=programado, usuario=usuario_operador)
        assert cancelado.estado == Estado.CANCELADO
        assert bw(conexion) == 300
        revertido = cancelado.ajuste_revertido
        assert (revertido.modo, revertido.bw_anterior, revertido.bw_resultante) == (
            ModoAjuste.DISMINUIR,
            500,
            300,
        )
        assert revertido.motivo == "programado: cancelado, revierte Evento"
        assert "revertido antes del fin (17/06/2030 08:00)" in cancelado.nota
        reloj(LUNES)
        assert ajustes_programados_aplicar().hechos == []
        assert bw(conexion) == 300
        assert AjusteBW.objects.count() == 2

    @pytest.mark.parametrize("estado", [Estado.REVERTIDO, Estado.CANCELADO, Estado.FALLIDO])
    def test_terminado_no_se_cancela(self, conexion, usuario_operador, estado):
        programado = AjusteProgramadoFactory(conexion=conexion, estado=estado)
        with pytest.raises(ValidationError) as error:
            ajuste_programado_cancelar(programado=programado, usuario=usuario_operador)
        assert error.value.code == "no_cancelable"
        assert recargar(programado).estado == estado

    def test_permanente_aplicado_no_se_cancela(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        with pytest.raises(ValidationError, match="ya está aplicado"):
            ajuste_programado_cancelar(programado=programado, usuario=usuario_operador)
        assert bw(conexion) == 500

    def test_revertir_al_cancelar_respeta_las_reglas(self, reloj, conexion, usuario_operador):
        """A connection given BAJA meanwhile cannot be adjusted: nothing changes."""
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        with pytest.raises(ValidationError, match="BAJA"):
            ajuste_programado_cancelar(programado=programado, usuario=usuario_operador)
        assert recargar(programado).estado == Estado.APLICADO
        assert bw(conexion) == 500

    def test_lectura_no_cancela(self, reloj, conexion, usuario_operador, usuario_lectura):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        with pytest.raises(PermissionDenied):
            ajuste_programado_cancelar(programado=programado, usuario=usuario_lectura)
        assert recargar(programado).estado == Estado.PENDIENTE


class TestFallido:
    def test_conexion_en_baja(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        reloj(VIERNES)
        (hecho,) = ajustes_programados_aplicar().hechos
        assert hecho.estado == Estado.FALLIDO
        nota = recargar(programado).nota
        assert nota == "No se aplicó: Una conexión en BAJA no se puede ajustar."
        assert not AjusteBW.objects.exists()
        assert bw(conexion) == 300

    def test_por_debajo_de_1_mbps(self, reloj, conexion, usuario_operador):
        programado = programar(
            conexion, usuario_operador, inicio=VIERNES, modo=ModoAjuste.DISMINUIR, mbps=250
        )
        # Lowered by hand meanwhile: the scheduled decrease no longer fits.
        conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.DISMINUIR, mbps=100)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.FALLIDO
        assert "no puede quedar por debajo de 1 Mbps" in programado.nota
        assert bw(conexion) == 200
        assert AjusteBW.objects.count() == 1  # only the manual one

    def test_sobresuscripcion_no_confirmada(self, reloj, conexion, servicio, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, mbps=300)
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        # The capacity is sold meanwhile (600 available → 100 left).
        conexion_ajustar_bw(conexion=otra, modo=ModoAjuste.AUMENTAR, mbps=500)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.FALLIDO
        assert programado.nota == (
            "No se aplicó: el servicio CIR-1000 quedaría sobresuscrito en 200 Mbps y la "
            "sobresuscripción no se confirmó al programarlo."
        )
        assert bw(conexion) == 300
        assert disponible(servicio) == 100

    def test_sobresuscripcion_confirmada_al_programar(
        self, reloj, conexion, servicio, usuario_operador
    ):
        programado = programar(
            conexion, usuario_operador, inicio=VIERNES, mbps=800, confirmar_sobresuscripcion=True
        )
        assert programado.confirmar_sobresuscripcion
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert recargar(programado).estado == Estado.APLICADO
        assert disponible(servicio) == -100

    def test_no_se_pudo_revertir(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        reloj(LUNES)
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.FALLIDO
        assert "No se pudo revertir al fin: Una conexión en BAJA" in programado.nota
        assert programado.ajuste_revertido is None
        assert bw(conexion) == 500

    def test_usuario_sin_permiso_al_aplicar(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES)
        usuario_operador.groups.clear()
        reloj(VIERNES)
        ajustes_programados_aplicar()
        programado = recargar(programado)
        assert programado.estado == Estado.FALLIDO
        assert "operador ya no tiene permiso" in programado.nota
        assert bw(conexion) == 300

    def test_un_fallo_no_detiene_a_los_demas(self, reloj, conexion, servicio, usuario_operador):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        malo = programar(conexion, usuario_operador, inicio=VIERNES)
        bueno = programar(otra, usuario_operador, inicio=VIERNES)
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert recargar(malo).estado == Estado.FALLIDO
        assert recargar(bueno).estado == Estado.APLICADO
        assert bw(otra) == 300

    def test_error_inesperado_queda_pendiente_para_la_siguiente_pasada(
        self, reloj, conexion, servicio, usuario_operador, monkeypatch
    ):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        roto = programar(conexion, usuario_operador, inicio=VIERNES)
        bueno = programar(otra, usuario_operador, inicio=VIERNES)
        original = programados._aplicar

        def aplicar(programado, **kwargs):
            if programado.pk == roto.pk:
                raise RuntimeError("se cayó la red")
            return original(programado, **kwargs)

        monkeypatch.setattr(programados, "_aplicar", aplicar)
        reloj(VIERNES)
        ejecucion = ajustes_programados_aplicar()
        assert [p.pk for p in ejecucion.hechos] == [bueno.pk]
        assert [pk for pk, _ in ejecucion.errores] == [roto.pk]
        assert recargar(roto).estado == Estado.PENDIENTE
        assert bw(conexion) == 300

        monkeypatch.setattr(programados, "_aplicar", original)
        reloj(VIERNES + timedelta(minutes=1))
        assert [p.pk for p in ajustes_programados_aplicar().hechos] == [roto.pk]
        assert bw(conexion) == 500

    def test_el_inicio_muestra_los_fallidos(self, reloj, conexion, usuario_operador):
        programar(conexion, usuario_operador, inicio=VIERNES)
        Conexion.objects.filter(pk=conexion.pk).update(estado=EstadoConexion.BAJA)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        resumen = ajustes_programados_resumen()
        assert resumen["fallidos_total"] == 1
        assert resumen["fallidos"][0].conexion == conexion
        reloj(VIERNES + timedelta(days=8))
        assert ajustes_programados_resumen()["fallidos_total"] == 0


class TestProgramar:
    def test_fin_antes_del_inicio(self, reloj, conexion, usuario_operador):
        for fin in (VIERNES, VIERNES - timedelta(minutes=1)):
            with pytest.raises(ValidationError) as error:
                programar(conexion, usuario_operador, inicio=VIERNES, fin=fin)
            assert error.value.message_dict == {"fin": ["El fin debe ser posterior al inicio."]}
        with pytest.raises(ValidationError) as error:
            programar(conexion, usuario_operador, fin=JUEVES - timedelta(hours=1))
        assert error.value.message_dict == {"fin": ["El fin debe ser posterior a la hora actual."]}
        assert not AjusteProgramado.objects.exists()

    @pytest.mark.parametrize("mbps", [0, -5, None, "10", True])
    def test_mbps_invalido(self, reloj, conexion, usuario_operador, mbps):
        with pytest.raises(ValidationError) as error:
            programar(conexion, usuario_operador, inicio=VIERNES, mbps=mbps)
        assert "mbps" in error.value.message_dict
        assert not AjusteProgramado.objects.exists()

    def test_conexion_en_baja(self, reloj, conexion, usuario_operador):
        conexion.estado = EstadoConexion.BAJA
        with pytest.raises(ValidationError) as error:
            programar(conexion, usuario_operador, inicio=VIERNES)
        assert error.value.code == "baja"

    def test_reglas_en_las_cifras_del_inicio(self, reloj, conexion, usuario_operador):
        """Below 1 Mbps once the decreases scheduled before it have run."""
        programar(conexion, usuario_operador, inicio=VIERNES, modo=ModoAjuste.DISMINUIR, mbps=250)
        with pytest.raises(ValidationError) as error:
            programar(
                conexion,
                usuario_operador,
                inicio=VIERNES + timedelta(hours=1),
                modo=ModoAjuste.DISMINUIR,
                mbps=60,
            )
        assert "BW actual 50 Mbps" in error.value.message_dict["mbps"][0]
        # Before the first one runs, the same decrease fits.
        programar(
            conexion,
            usuario_operador,
            inicio=VIERNES - timedelta(hours=1),
            modo=ModoAjuste.DISMINUIR,
            mbps=60,
        )

    def test_sobresuscripcion_en_el_inicio_pide_confirmacion(
        self, reloj, conexion, servicio, usuario_operador
    ):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        programar(otra, usuario_operador, inicio=VIERNES, mbps=500)  # 600 → 100 available
        with pytest.raises(ValidationError) as error:
            programar(conexion, usuario_operador, inicio=LUNES, mbps=150)
        (detalle,) = error.value.error_dict["confirmar_sobresuscripcion"]
        assert detalle.code == "sobresuscripcion"
        assert detalle.params == {"servicio": "CIR-1000", "mbps": 50}
        # Now (before Friday) the service still has room: no confirmation needed.
        programar(conexion, usuario_operador, inicio=VIERNES - timedelta(hours=1), mbps=150)
        confirmado = programar(
            conexion, usuario_operador, inicio=LUNES, mbps=150, confirmar_sobresuscripcion=True
        )
        assert confirmado.confirmar_sobresuscripcion

    def test_ahora_con_error_no_guarda_nada(self, reloj, conexion, usuario_operador):
        with pytest.raises(ValidationError):
            programar(conexion, usuario_operador, fin=LUNES, modo=ModoAjuste.DISMINUIR, mbps=300)
        assert not AjusteProgramado.objects.exists()
        assert not AjusteBW.objects.exists()

    def test_lectura_no_programa(self, reloj, conexion, usuario_lectura):
        with pytest.raises(PermissionDenied):
            programar(conexion, usuario_lectura, inicio=VIERNES)
        assert not AjusteProgramado.objects.exists()

    def test_hora_sin_zona_es_de_lima(self, reloj, conexion, usuario_operador):
        programado = programar(
            conexion,
            usuario_operador,
            inicio=VIERNES.replace(tzinfo=None),
            fin=LUNES.replace(tzinfo=None),
        )
        assert (programado.inicio, programado.fin) == (VIERNES, LUNES)

    def test_el_motivo_se_recorta(self, reloj, conexion, usuario_operador):
        programado = programar(conexion, usuario_operador, inicio=VIERNES, motivo="  x" * 200)
        assert len(programado.motivo) == 255


class TestCifrasEnUnMomento:
    def test_vista_previa_en_el_futuro(self, reloj, conexion, servicio, usuario_operador):
        otra = ConexionFactory(servicio=servicio, bw_contratado=100)
        en_baja = ConexionFactory(
            servicio=servicio, bw_contratado=50, estado=EstadoConexion.BAJA
        )
        programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES, mbps=100)
        programar(otra, usuario_operador, inicio=VIERNES + timedelta(hours=1), mbps=250)
        # A change of a connection in BAJA is not sold capacity.
        AjusteProgramadoFactory(conexion=en_baja, inicio=VIERNES, mbps=40)
        # Cancelled and failed changes count for nothing.
        AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES, estado=Estado.CANCELADO)
        AjusteProgramadoFactory(conexion=conexion, inicio=VIERNES, estado=Estado.FALLIDO)
        assert disponible(servicio) == 600

        ahora = conexion_figuras_en(conexion=conexion, momento=JUEVES + timedelta(hours=1))
        assert (ahora.bw_contratado, ahora.servicio_disponible, ahora.servicio_vendida) == (
            300,
            600,
            400,
        )
        assert ahora.programados == 0

        sabado = VIERNES + timedelta(days=1)
        calculo, figuras = ajuste_programado_previo(
            conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=300, inicio=sabado
        )
        assert (figuras.bw_contratado, figuras.servicio_disponible, figuras.servicio_vendida) == (
            400,
            250,
            750,
        )
        assert figuras.programados == 2
        assert (calculo.bw_actual, calculo.bw_resultante) == (400, 700)
        assert calculo.servicio_disponible_resultante == -50
        assert calculo.sobresuscrito and calculo.sobresuscripcion_mbps == 50

        # After Monday 08:00 the temporary +100 is gone again.
        calculo, figuras = ajuste_programado_previo(
            conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=300, inicio=LUNES
        )
        assert (figuras.bw_contratado, figuras.servicio_disponible) == (300, 350)
        assert not calculo.sobresuscrito

    def test_temporal_aplicado_se_descuenta_tras_su_fin(self, reloj, conexion, usuario_operador):
        programar(conexion, usuario_operador, inicio=VIERNES, fin=LUNES, mbps=100)
        reloj(VIERNES)
        ajustes_programados_aplicar()
        assert conexion_figuras_en(
            conexion=Conexion.objects.get(pk=conexion.pk), momento=LUNES
        ).bw_contratado == 300

    def test_sin_servicio(self, reloj, usuario_operador):
        conexion = ConexionFactory(servicio=None, bw_contratado=10)
        programar(conexion, usuario_operador, inicio=VIERNES, mbps=5)
        figuras = conexion_figuras_en(conexion=conexion, momento=LUNES)
        assert (figuras.bw_contratado, figuras.servicio_disponible) == (15, None)


def test_el_grupo_operador_puede_ver_y_programar(usuario_operador, usuario_lectura):
    assert usuario_lectura.has_perm("conexiones.view_ajusteprogramado")
    assert usuario_operador.has_perm("conexiones.view_ajusteprogramado")
    assert Permission.objects.filter(codename="view_ajusteprogramado").exists()


def test_un_ajuste_leido_antes_de_que_otro_lo_aplicara_no_se_reclama(
    reloj, conexion, usuario_operador
):
    """The conditional claim: what keeps a scheduler that read the row before another one
    applied it (SQLite has no row locks) from applying it again."""
    programar(conexion, usuario_operador, inicio=VIERNES)
    reloj(VIERNES)
    leido_antes = AjusteProgramado.objects.get()
    ajustes_programados_aplicar()
    assert not programados._reclamar(leido_antes, VIERNES)
    assert programados._reclamar(AjusteProgramado.objects.get(), VIERNES)
