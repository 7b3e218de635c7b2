"""The bandwidth upper bound (settings.BW_MAXIMO_MBPS, CAPACIDAD_MAXIMA_MBPS): one rule, the
model fields' validators, met at every entry point, and the database's ceiling behind it."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoAjusteProgramado, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.models import AjusteBW, AjusteProgramado, Conexion
from conexiones.services import (
    PedidoAjuste,
    ajuste_programado_crear,
    ajustes_programados_aplicar,
    conexion_ajustar_bw,
    conexiones_ajustar_bw,
)
from isp_portal.migraciones import exigir_maximo
from isp_portal.validators import BW_TECHO_MBPS, CAPACIDAD_TECHO_MBPS, verificar_bw_maximo
from proveedores.factories import ServicioProveedorFactory
from proveedores.models import ServicioProveedor
from tests.api.conftest import cliente_con_token
from tests.conexiones.test_views import datos_edicion, datos_formulario
from tests.isp_portal.test_importar import escribir_csv, importar
from tests.proveedores.test_views import datos_servicio

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ENORME = 99_999_999_999_999  # the finding: saved, and the home page's figures broke


@pytest.fixture
def maximo_1000(settings):
    settings.BW_MAXIMO_MBPS = 1000
    settings.CAPACIDAD_MAXIMA_MBPS = 10_000


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=5000)


# --- Forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bw", [str(ENORME), "1001"])
def test_el_alta_de_conexion_rechaza_el_bw_junto_al_campo(operador_client, maximo_1000, bw):
    data = datos_formulario(bw_contratado=bw)
    respuesta = operador_client.post("/conexiones/nueva", data)
    assert respuesta.status_code == 200
    errores = respuesta.context["form"].errors
    assert errores["bw_contratado"] == [f"{bw} Mbps supera el máximo de 1000 Mbps por conexión."]
    assert not Conexion.objects.exists()


def test_el_alta_acepta_el_maximo(operador_client, maximo_1000):
    data = datos_formulario(bw_contratado="1000")
    data["confirmar_sobresuscripcion"] = "on"
    assert operador_client.post("/conexiones/nueva", data).status_code == 302
    assert Conexion.objects.get().bw_contratado == 1000


@pytest.mark.parametrize("bw", [str(ENORME), str(2**31), "1001"])
def test_la_edicion_rechaza_el_bw_sin_error_de_base(operador_client, servicio, maximo_1000, bw):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=900)
    data = datos_edicion(conexion, bw_contratado=bw)
    respuesta = operador_client.post(f"/conexiones/{conexion.pk}/editar", data)
    assert respuesta.status_code == 200
    assert "supera el máximo de 1000 Mbps" in respuesta.context["form"].errors["bw_contratado"][0]
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 900 and not AjusteBW.objects.exists()


def test_el_servicio_del_proveedor_rechaza_la_capacidad(operador_client, maximo_1000):
    data = datos_servicio(capacidad_contratada=str(ENORME))
    respuesta = operador_client.post("/proveedores/servicios/nuevo", data)
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors["capacidad_contratada"] == [
        f"{ENORME} Mbps supera el máximo de 10000 Mbps por servicio."
    ]
    assert not ServicioProveedor.objects.exists()


def test_el_limite_se_lee_al_validar(operador_client, settings):
    """The setting is read at each check: changing it needs no restart nor migration."""
    settings.BW_MAXIMO_MBPS = 500
    data = datos_formulario(bw_contratado="600")
    respuesta = operador_client.post("/conexiones/nueva", data)
    assert "máximo de 500 Mbps" in respuesta.context["form"].errors["bw_contratado"][0]


# --- The Ajustar BW modal and the service ----------------------------------------------------


def test_la_vista_previa_avisa_que_supera_el_maximo(operador_client, servicio, maximo_1000):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=990)
    contenido = operador_client.get(
        f"/conexiones/{conexion.pk}/ajustar-bw/vista-previa", {"modo": "AUMENTAR", "mbps": "20"}
    ).content.decode()
    assert 'id="previo-sobre-maximo"' in contenido
    assert "supera el máximo de 1" in contenido  # 1 000 Mbps, with the pages' thin space


def test_el_modal_no_da_error_de_base_con_un_mbps_enorme(operador_client, servicio):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=100)
    respuesta = operador_client.post(
        f"/conexiones/{conexion.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": str(2**31)}, **HTMX
    )
    assert respuesta.status_code == 200
    assert "supera el máximo de 100000 Mbps" in respuesta.content.decode()
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 100


@pytest.mark.parametrize("mbps", [2**31 - 100, 2**31, 2**63, 10**30])
def test_un_ajuste_no_llega_a_la_base_por_encima_del_maximo(servicio, mbps):
    """It raised DataError (500) when bw_contratado passed 2³¹−1."""
    conexion = ConexionFactory(servicio=servicio, bw_contratado=200)
    with pytest.raises(ValidationError) as info:
        conexion_ajustar_bw(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR,
            mbps=mbps,
            confirmar_sobresuscripcion=True,
        )
    assert "supera el máximo de 100000 Mbps" in info.value.message_dict["mbps"][0]
    with pytest.raises(ValidationError):
        conexiones_ajustar_bw(
            pedidos=[PedidoAjuste(conexion.pk, bw_nuevo=mbps)], confirmar_sobresuscripcion=True
        )
    conexion.refresh_from_db()
    assert conexion.bw_contratado == 200 and not AjusteBW.objects.exists()


def test_llegar_justo_al_maximo_se_acepta(servicio, maximo_1000):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=900)
    conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=100)
    assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 1000


# --- Scheduled changes -----------------------------------------------------------------------


def test_un_ajuste_programado_que_supera_el_maximo_se_rechaza_al_programarlo(
    servicio, maximo_1000
):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=900)
    with pytest.raises(ValidationError) as info:
        ajuste_programado_crear(
            conexion=conexion,
            modo=ModoAjuste.AUMENTAR,
            mbps=200,
            inicio=timezone.now() + timedelta(days=1),
        )
    assert "supera el máximo de 1000 Mbps" in info.value.message_dict["mbps"][0]
    assert not AjusteProgramado.objects.exists()


def test_el_programador_falla_con_el_motivo_si_al_aplicar_supera_el_maximo(
    servicio, maximo_1000, time_machine
):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=500)
    ahora = timezone.now()
    programado = ajuste_programado_crear(
        conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=400, inicio=ahora + timedelta(hours=1)
    )
    conexion_ajustar_bw(conexion=conexion, modo=ModoAjuste.AUMENTAR, mbps=300)  # now 800
    time_machine.move_to(ahora + timedelta(hours=1, seconds=30), tick=False)
    ajustes_programados_aplicar()
    programado.refresh_from_db()
    assert programado.estado == EstadoAjusteProgramado.FALLIDO
    assert "supera el máximo de 1000 Mbps" in programado.nota
    assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 800


# --- Imports ---------------------------------------------------------------------------------


def test_la_importacion_de_servicios_rechaza_la_capacidad(tmp_path, maximo_1000):
    from proveedores.factories import ProveedorFactory

    proveedor = ProveedorFactory()
    ruta = escribir_csv(
        tmp_path / "servicios.csv",
        [
            ["proveedor", "codigo", "modalidad", "capacidad_contratada"],
            [proveedor.nombre, "CIR-9", "GPON", str(ENORME)],
        ],
    )
    _, error = importar("servicios", ruta, esperar_error=True)
    assert (
        f"línea 2, columna «capacidad_contratada»: {ENORME} Mbps supera el máximo de 10000 Mbps"
        in error
    )
    assert not ServicioProveedor.objects.exists()


def test_la_importacion_de_una_conexion_nueva_rechaza_el_bw(tmp_path, servicio):
    cliente = ClienteCorpFactory(cid="700")
    ruta = escribir_csv(
        tmp_path / "conexiones.csv",
        [
            ["cliente_ruc", "tipo_enlace", "bw_contratado"],
            [cliente.ruc, "Internet", str(ENORME)],
        ],
    )
    _, error = importar("conexiones", ruta, esperar_error=True)
    assert "columna «bw_contratado»: 99999999999999 Mbps supera el máximo de 100000" in error
    assert not Conexion.objects.exists()


# --- API -------------------------------------------------------------------------------------


@pytest.fixture
def api(usuario_operador):
    return cliente_con_token(usuario_operador)


def test_la_api_rechaza_crear_con_bw_enorme(api, servicio):
    cliente = ClienteCorpFactory(cid="701")
    payload = {
        "cliente_id": cliente.pk,
        "servicio_id": servicio.pk,
        "tipo_enlace": "Internet",
        "bw_contratado": ENORME,
    }
    respuesta = api.post("/v1/conexiones", payload)
    assert respuesta.status_code == 400, respuesta.content
    errores = json.loads(respuesta.content)
    assert "supera el máximo de 100000 Mbps" in errores["bw_contratado"][0]
    assert not Conexion.objects.exists()


def test_la_api_ajustar_bw_responde_400(api, servicio, maximo_1000):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=900)
    respuesta = api.post(
        f"/v1/conexiones/{conexion.pk}/ajustar-bw", {"modo": "AUMENTAR", "mbps": 2**40}
    )
    assert respuesta.status_code == 400, respuesta.content
    assert "supera el máximo de 1000 Mbps" in json.loads(respuesta.content)["mbps"][0]
    assert Conexion.objects.get(pk=conexion.pk).bw_contratado == 900


def test_la_api_rechaza_un_ajuste_programado_que_supera_el_maximo(api, servicio, maximo_1000):
    conexion = ConexionFactory(servicio=servicio, bw_contratado=900)
    inicio = (timezone.now() + timedelta(days=1)).isoformat()
    respuesta = api.post(
        f"/v1/conexiones/{conexion.pk}/ajustes-programados",
        {"modo": "AUMENTAR", "mbps": 500, "inicio": inicio},
    )
    assert respuesta.status_code == 400, respuesta.content
    assert "supera el máximo de 1000 Mbps" in json.loads(respuesta.content)["mbps"][0]


# --- The database ----------------------------------------------------------------------------


class TestBase:
    """The check constraints hold the ceiling whatever writes around validation."""

    @pytest.mark.parametrize("campo", ["bw_contratado", "bw_utilizado"])
    @pytest.mark.parametrize("valor", [BW_TECHO_MBPS + 1, -1])
    def test_update_por_queryset(self, campo, valor):
        conexion = ConexionFactory(bw_contratado=100)
        with pytest.raises(IntegrityError), transaction.atomic():
            Conexion.objects.filter(pk=conexion.pk).update(**{campo: valor})
        assert getattr(Conexion.objects.get(pk=conexion.pk), campo) in (100, 0)

    def test_bulk_update_y_bulk_create(self):
        conexion = ConexionFactory(bw_contratado=100)
        conexion.bw_contratado = BW_TECHO_MBPS + 1
        with pytest.raises(IntegrityError), transaction.atomic():
            Conexion.objects.bulk_update([conexion], ["bw_contratado"])
        otra = ConexionFactory.build(cliente=conexion.cliente, servicio=None, nodo_a=None)
        otra.nodo_b, otra.bw_contratado = None, BW_TECHO_MBPS + 1
        with pytest.raises(IntegrityError), transaction.atomic():
            Conexion.objects.bulk_create([otra])

    def test_el_techo_se_acepta(self):
        conexion = ConexionFactory(bw_contratado=100)
        Conexion.objects.filter(pk=conexion.pk).update(
            bw_contratado=BW_TECHO_MBPS, bw_utilizado=BW_TECHO_MBPS
        )
        assert Conexion.objects.get(pk=conexion.pk).bw_disponible == 0

    def test_capacidad_del_servicio(self):
        servicio = ServicioProveedorFactory(capacidad_contratada=100)
        with pytest.raises(IntegrityError), transaction.atomic():
            ServicioProveedor.objects.filter(pk=servicio.pk).update(
                capacidad_contratada=CAPACIDAD_TECHO_MBPS + 1
            )
        ServicioProveedor.objects.filter(pk=servicio.pk).update(
            capacidad_contratada=CAPACIDAD_TECHO_MBPS
        )



def test_el_chequeo_rechaza_un_maximo_por_encima_del_techo(settings):
    settings.BW_MAXIMO_MBPS = BW_TECHO_MBPS
    assert verificar_bw_maximo() == []
    settings.BW_MAXIMO_MBPS = BW_TECHO_MBPS + 1
    (error,) = verificar_bw_maximo()
    assert error.id == "isp_portal.E001"
    settings.BW_MAXIMO_MBPS = 0
    assert verificar_bw_maximo()


def test_la_migracion_se_niega_con_filas_por_encima_del_techo(servicio):
    """What migration 0013 runs before adding the constraints, on the real model."""
    ConexionFactory(servicio=servicio, bw_contratado=100)
    exigir_maximo(Conexion, "bw_contratado", 100)  # at the bound: fine
    with pytest.raises(RuntimeError, match=r"supera 99 Mbps en: id \d+ \(100\)"):
        exigir_maximo(Conexion, "bw_contratado", 99)


@pytest.mark.django_db(transaction=True)
def test_la_busqueda_sigue_tras_rehacer_la_migracion_de_restricciones():
    """SQLite rebuilds the connections' table for migration 0013's constraints: the search
    triggers (conexiones.busqueda) must survive it, on the way back as well as forward."""
    # Made with today's models, then carried through the rebuilds both ways.
    conexion = ConexionFactory(cid_enlace="ANTES-1")
    try:
        call_command("migrate", "conexiones", "0012", verbosity=0)
        call_command("migrate", "proveedores", "0005", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    Conexion.objects.filter(pk=conexion.pk).update(cid_enlace="DESPUES-1")
    cliente = conexion.cliente
    type(cliente).objects.filter(pk=cliente.pk).update(razon_social="Razón Renombrada SAC")
    ServicioProveedor.objects.filter(pk=conexion.servicio_id).update(codigo="CIR-NUEVO")
    busqueda = Conexion.objects.get(pk=conexion.pk).busqueda
    assert " despues 1 " in busqueda and "razon renombrada" in busqueda and "cir nuevo" in busqueda
    with pytest.raises(IntegrityError), transaction.atomic():
        Conexion.objects.filter(pk=conexion.pk).update(bw_contratado=BW_TECHO_MBPS + 1)
