"""Imports obey the connection rules of conexiones.services, as the forms do: the load on a
provider service, the bandwidth rules with their ledger and history, the CID sequence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory
from conexiones.importacion import CONEXION_COLUMNS
from conexiones.models import AjusteBW, Conexion
from conexiones.selectors import servicios_con_capacidad
from isp_portal.tables import export_rows
from proveedores.factories import ServicioProveedorFactory
from tests.isp_portal.test_importar import escribir_csv, importar

pytestmark = pytest.mark.django_db

PERMITIR = "--permitir-sobresuscripcion"


@pytest.fixture
def servicio():
    return ServicioProveedorFactory(codigo="CIR-1", capacidad_contratada=1000)


def exportadas(**cambios_por_cid) -> list[list]:
    """The connections' export (ordered by CID), with {cid: {column: value}} changed."""
    filas = list(export_rows(Conexion.objects.order_by("cid_enlace"), CONEXION_COLUMNS))
    for fila in filas[1:]:
        for columna, valor in cambios_por_cid.get(fila[0], {}).items():
            fila[filas[0].index(columna)] = valor
    return filas


def nueva(servicio, cliente, **valores) -> list:
    datos = {
        "cliente_ruc": cliente.ruc,
        "proveedor": servicio.proveedor.nombre,
        "servicio_codigo": servicio.codigo,
        "tipo_enlace": "Internet",
        "estado": "ACTIVO",
        **valores,
    }
    return [datos.get(c, "") for c in CONEXION_COLUMNS]


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible


# --- oversubscription -------------------------------------------------------------------------


def test_un_aumento_que_sobresuscribe_falla_y_no_escribe_nada(tmp_path, servicio):
    ConexionFactory(cid_enlace="100001", servicio=servicio, bw_contratado=500)
    ConexionFactory(cid_enlace="100002", servicio=servicio, bw_contratado=300)
    filas = exportadas(**{"100001": {"bw_contratado": 600}, "100002": {"bw_contratado": 450}})
    ruta = escribir_csv(tmp_path / "subidas.csv", filas)

    _, error = importar("conexiones", ruta, esperar_error=True)

    assert (
        "línea 3, columna «bw_contratado»: sobresuscribe el servicio CIR-1 en 50 Mbps "
        "(para aceptarlo, importe con --permitir-sobresuscripcion)." in error
    )
    assert "línea 2" not in error  # 500 → 600 still fits (100 left, then −50)
    assert "no se guardó ningún cambio" in error
    assert not AjusteBW.objects.exists()
    assert sorted(Conexion.objects.values_list("bw_contratado", flat=True)) == [300, 500]
    assert not Conexion.history.filter(history_type="~").exists()


def test_con_permiso_la_sobresuscripcion_deja_ajustes_encadenados(tmp_path, servicio):
    uno = ConexionFactory(cid_enlace="100001", servicio=servicio, bw_contratado=500)
    dos = ConexionFactory(cid_enlace="100002", servicio=servicio, bw_contratado=300)
    filas = exportadas(**{"100001": {"bw_contratado": 600}, "100002": {"bw_contratado": 450}})
    ruta = escribir_csv(tmp_path / "subidas.csv", filas)

    salida, _ = importar("conexiones", ruta, PERMITIR)

    assert "actualizados: 2" in salida
    primero, segundo = AjusteBW.objects.order_by("pk")
    assert (primero.conexion_id, primero.bw_anterior, primero.bw_resultante) == (uno.pk, 500, 600)
    assert (segundo.conexion_id, segundo.bw_anterior, segundo.bw_resultante) == (dos.pk, 300, 450)
    # Each ledger row starts where the one before left the service.
    assert (primero.servicio_disponible_anterior, primero.servicio_disponible_resultante) == (
        200,
        100,
    )
    assert (segundo.servicio_disponible_anterior, segundo.servicio_disponible_resultante) == (
        100,
        -50,
    )
    assert {a.motivo for a in (primero, segundo)} == {"importación subidas.csv"}
    assert (primero.modo, segundo.modo) == (ModoAjuste.AUMENTAR, ModoAjuste.AUMENTAR)
    assert disponible(servicio) == -50


def test_una_conexion_nueva_que_sobresuscribe_es_un_error_de_su_fila(tmp_path, servicio):
    cliente = ClienteCorpFactory()
    ConexionFactory(servicio=servicio, bw_contratado=900)
    filas = [
        list(CONEXION_COLUMNS),
        nueva(servicio, cliente, cid_enlace="N-1", bw_contratado=50),
        nueva(servicio, cliente, cid_enlace="N-2", bw_contratado=80),
        nueva(servicio, cliente, cid_enlace="N-3", bw_contratado=10, estado="BAJA"),
    ]
    ruta = escribir_csv(tmp_path / "nuevas.csv", filas)

    _, error = importar("conexiones", ruta, esperar_error=True)

    assert "línea 3, columna «bw_contratado»: sobresuscribe el servicio CIR-1 en 30 Mbps" in error
    assert "línea 2" not in error and "línea 4" not in error  # BAJA takes no capacity
    assert Conexion.objects.count() == 1

    importar("conexiones", ruta, PERMITIR)
    assert Conexion.objects.count() == 4
    assert disponible(servicio) == -30
    assert not AjusteBW.objects.exists()  # created with their bandwidth: no adjustment


def test_mover_o_reactivar_una_conexion_carga_su_servicio(tmp_path, servicio):
    otro = ServicioProveedorFactory(codigo="CIR-2", capacidad_contratada=1000)
    ConexionFactory(servicio=servicio, bw_contratado=950)
    ConexionFactory(cid_enlace="200001", servicio=otro, bw_contratado=100)
    ConexionFactory(
        cid_enlace="200002", servicio=servicio, bw_contratado=100, estado=EstadoConexion.BAJA
    )
    filas = exportadas(
        **{
            "200001": {"servicio_codigo": "CIR-1", "proveedor": servicio.proveedor.nombre},
            "200002": {"estado": "ACTIVO"},
        }
    )
    ruta = escribir_csv(tmp_path / "movidas.csv", filas)

    _, error = importar("conexiones", ruta, esperar_error=True)

    lineas = {fila[0]: n for n, fila in enumerate(filas, start=1)}
    assert (
        f"línea {lineas['200001']}, columna «bw_contratado»: sobresuscribe el servicio CIR-1 en 50"
        in error
    )
    assert (
        f"línea {lineas['200002']}, columna «bw_contratado»: sobresuscribe el servicio CIR-1 en 150"
        in error
    )
    assert Conexion.objects.get(cid_enlace="200001").servicio == otro

    importar("conexiones", ruta, PERMITIR)
    assert Conexion.objects.get(cid_enlace="200001").servicio == servicio
    assert disponible(servicio) == -150


# --- the other bandwidth rules, and the history -----------------------------------------------


def test_baja_y_piso_de_1_mbps_tambien_con_permiso(tmp_path, servicio):
    ConexionFactory(cid_enlace="100001", estado=EstadoConexion.BAJA, bw_contratado=100)
    ConexionFactory(cid_enlace="100002", servicio=servicio, bw_contratado=100)
    filas = exportadas(**{"100001": {"bw_contratado": 200}, "100002": {"bw_contratado": 0}})
    ruta = escribir_csv(tmp_path / "c.csv", filas)

    _, error = importar("conexiones", ruta, PERMITIR, esperar_error=True)

    assert "línea 2, columna «bw_contratado»: Una conexión en BAJA no se puede ajustar." in error
    assert "línea 3, columna «bw_contratado»: La conexión no puede quedar por debajo de 1" in error
    assert not AjusteBW.objects.exists()


def test_bw_por_encima_del_maximo_es_un_error_de_la_celda(tmp_path, servicio, settings):
    settings.BW_MAXIMO_MBPS = 1000
    ConexionFactory(cid_enlace="100001", servicio=servicio, bw_contratado=100)
    filas = exportadas(**{"100001": {"bw_contratado": 1001, "bw_utilizado": 2000}})
    _, error = importar("conexiones", escribir_csv(tmp_path / "c.csv", filas), esperar_error=True)
    # The model fields' bound (BW_MAXIMO_MBPS), read when the import runs.
    assert (
        "línea 2, columna «bw_contratado»: 1001 Mbps supera el máximo de 1000 Mbps por conexión."
        in error
    )
    assert (
        "línea 2, columna «bw_utilizado»: 2000 Mbps supera el máximo de 1000 Mbps por conexión."
        in error
    )
    conexion = Conexion.objects.get(cid_enlace="100001")
    assert (conexion.bw_contratado, conexion.bw_utilizado) == (100, 0)


def test_el_cambio_de_bw_queda_en_el_historial_con_su_motivo(tmp_path, servicio):
    conexion = ConexionFactory(cid_enlace="100001", servicio=servicio, bw_contratado=100)
    filas = exportadas(**{"100001": {"bw_contratado": 250, "locacion": "Piso 3"}})
    importar("conexiones", escribir_csv(tmp_path / "mayo.csv", filas))

    versiones = list(conexion.history.order_by("history_id"))
    ultima = versiones[-1]
    assert (ultima.bw_contratado, ultima.history_change_reason) == (250, "importación mayo.csv")
    assert {v.locacion for v in versiones[1:]} == {"Piso 3"}
    assert all(v.history_change_reason == "importación mayo.csv" for v in versiones[1:])
    conexion.refresh_from_db()
    assert (conexion.bw_contratado, conexion.locacion) == (250, "Piso 3")
    assert AjusteBW.objects.get().bw_resultante == 250


# --- the CID sequence ---------------------------------------------------------------------------


def test_una_conexion_sin_cid_recibe_el_siguiente_de_su_cliente(tmp_path, servicio):
    cliente = ClienteCorpFactory(cid="257")
    otro = ClienteCorpFactory(cid="31")
    ConexionFactory(cliente=cliente, cid_enlace="257001", servicio=servicio, bw_contratado=10)
    filas = [
        list(CONEXION_COLUMNS),
        nueva(servicio, cliente, bw_contratado=10),
        nueva(servicio, cliente, cid_enlace="257002", bw_contratado=10),
        nueva(servicio, otro, bw_contratado=10),
        nueva(servicio, cliente, bw_contratado=10),
    ]
    ruta = escribir_csv(tmp_path / "sin-cid.csv", filas)

    salida, _ = importar("conexiones", ruta, "--dry-run")
    assert "creados: 4" in salida
    assert Conexion.objects.count() == 1

    importar("conexiones", ruta)

    por_cliente = {
        c: sorted(Conexion.objects.filter(cliente=c).values_list("cid_enlace", flat=True))
        for c in (cliente, otro)
    }
    assert por_cliente == {cliente: ["257001", "257002", "257003", "257004"], otro: ["31001"]}


def test_un_cid_asignado_que_el_archivo_trae_despues_es_un_duplicado(tmp_path, servicio):
    from isp_portal.importacion import importar as importar_archivo

    cliente = ClienteCorpFactory(cid="257")
    filas = [
        list(CONEXION_COLUMNS),
        nueva(servicio, cliente),
        nueva(servicio, cliente, cid_enlace="257001"),
    ]
    ruta = escribir_csv(tmp_path / "c.csv", filas)

    resultado = importar_archivo(entidad="conexiones", ruta=ruta, tam_lote=1)

    assert resultado.errores == [
        (3, "cid_enlace", "Duplicado: la línea 2 ya trae cid_enlace 257001.")
    ]
    assert not Conexion.objects.exists()


def test_un_aumento_cuenta_las_reversiones_pendientes(tmp_path, servicio, admin_user):
    """Issue 21: capacity a running temporary decrease freed comes back at its fin."""
    from conexiones.services import ajuste_programado_crear

    uno = ConexionFactory(cid_enlace="100001", servicio=servicio, bw_contratado=500)
    ConexionFactory(cid_enlace="100002", servicio=servicio, bw_contratado=400)
    ajuste_programado_crear(
        conexion=uno,
        modo="DISMINUIR",
        mbps=100,
        fin=timezone.now() + timedelta(days=2),
        usuario=admin_user,
    )  # 200 available until its fin, 100 after
    filas = exportadas(**{"100002": {"bw_contratado": 550}})
    ruta = escribir_csv(tmp_path / "subida.csv", filas)

    _, error = importar("conexiones", ruta, esperar_error=True)

    assert (
        "línea 3, columna «bw_contratado»: sobresuscribe el servicio CIR-1 en 50 Mbps cuando "
        "se reviertan los cambios temporales en curso (100 Mbps por devolver) (para "
        "aceptarlo, importe con --permitir-sobresuscripcion)." in error
    )
    importar("conexiones", ruta, PERMITIR)
    assert Conexion.objects.get(cid_enlace="100002").bw_contratado == 550
