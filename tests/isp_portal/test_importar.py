"""manage.py importar: round trips with the list exports, encodings, validation, ledger."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.importacion import CLIENTE_COLUMNS
from clientes.models import ClienteCorp, Sede
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.importacion import CONEXION_COLUMNS, NODO_COLUMNS
from conexiones.models import AjusteBW, Conexion, Equipo, Nodo
from conexiones.selectors import servicios_con_capacidad
from isp_portal.datos_demo import ruc_valido
from isp_portal.tables import export_rows
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from proveedores.importacion import PROVEEDOR_COLUMNS, SERVICIO_COLUMNS
from proveedores.models import Proveedor, ServicioProveedor

pytestmark = pytest.mark.django_db

CABECERA_CLIENTES = list(CLIENTE_COLUMNS)


def importar(*args, esperar_error: bool = False):
    """Run the command; (stdout, stderr). With esperar_error, assert it fails."""
    out, err = io.StringIO(), io.StringIO()
    if esperar_error:
        with pytest.raises(CommandError) as info:
            call_command("importar", *map(str, args), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue() + str(info.value)
    call_command("importar", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def escribir_csv(ruta, filas, *, delimitador=",", codificacion="utf-8"):
    with open(ruta, "w", encoding=codificacion, newline="") as archivo:
        csv.writer(archivo, delimiter=delimitador).writerows(filas)
    return ruta


def fila_cliente(i: int, **cambios) -> list:
    datos = {
        "cid": str(5000 + i),
        "cod_erp": f"ERP-{i}",
        "razon_social": f"Empresa {i} S.A.C.",
        "ruc": ruc_valido(700000 + i),
        "responsable": "Ana Pérez",
        "telefono": "",
        "correo": "",
        "fecha_activacion": "2025-06-01",
        "is_active": "1",
        **cambios,
    }
    return [datos[c] for c in CABECERA_CLIENTES]


def resumen(salida: str) -> str:
    return next(linea for linea in salida.splitlines() if "creados:" in linea)


# --- round trips: an export re-imports with no change ------------------------------------


def exportar_a_archivo(tmp_path, nombre, respuesta):
    ruta = tmp_path / nombre
    ruta.write_bytes(b"".join(respuesta.streaming_content))
    return ruta


def test_exportacion_de_la_lista_de_clientes_reimporta_sin_cambios(lectura_client, tmp_path):
    ClienteCorpFactory.create_batch(12)
    ruta = exportar_a_archivo(
        tmp_path, "clientes.csv", lectura_client.get("/clientes_corporativo/?exportar=csv")
    )
    salida, _ = importar("clientes", ruta)
    assert "creados: 0 · actualizados: 0 · sin cambios: 12 · con error: 0" in salida


def test_exportacion_de_sedes_reimporta_sin_cambios(lectura_client, tmp_path):
    cliente = ClienteCorpFactory()
    SedeFactory.create_batch(4, cliente=cliente)
    respuesta = lectura_client.get(f"/clientes_corporativo/{cliente.pk}/sedes/?exportar=csv")
    salida, _ = importar("sedes", exportar_a_archivo(tmp_path, "sedes.csv", respuesta))
    assert "creados: 0 · actualizados: 0 · sin cambios: 4" in salida


def test_exportacion_de_conexiones_reimporta_sin_cambios(lectura_client, tmp_path):
    ConexionFactory.create_batch(5, configuracion_nodo_a="interface Gi0/0\n ip address 10.0.0.1")
    ConexionFactory(servicio=None, nodo_a=None, nodo_b=None, fecha_activacion=None)
    respuesta = lectura_client.get("/conexiones/?exportar=csv")
    salida, _ = importar("conexiones", exportar_a_archivo(tmp_path, "conexiones.csv", respuesta))
    assert "creados: 0 · actualizados: 0 · sin cambios: 6" in salida
    assert not AjusteBW.objects.exists()


@pytest.mark.parametrize(
    ("entidad", "url", "crear"),
    [
        ("proveedores", "/proveedores/", lambda: ProveedorFactory.create_batch(3)),
        (
            "servicios",
            "/proveedores/servicios/",
            lambda: ServicioProveedorFactory.create_batch(3),
        ),
        ("nodos", "/nodos/", lambda: NodoFactory.create_batch(3)),
        (
            "equipos",
            "/equipos/",
            lambda: [EquipoFactory(), EquipoFactory(conexion=ConexionFactory())],
        ),
    ],
)
def test_exportacion_de_cada_lista_reimporta_sin_cambios(
    lectura_client, tmp_path, entidad, url, crear
):
    objetos = crear()
    respuesta = lectura_client.get(f"{url}?exportar=csv")
    assert respuesta.status_code == 200
    salida, _ = importar(entidad, exportar_a_archivo(tmp_path, f"{entidad}.csv", respuesta))
    assert f"creados: 0 · actualizados: 0 · sin cambios: {len(objetos)}" in salida


@pytest.mark.parametrize(
    ("entidad", "modelo", "columnas", "crear"),
    [
        ("servicios", ServicioProveedor, SERVICIO_COLUMNS, ServicioProveedorFactory.create_batch),
        ("conexiones", Conexion, CONEXION_COLUMNS, ConexionFactory.create_batch),
    ],
)
def test_export_rows_reimporta_sin_cambios(tmp_path, entidad, modelo, columnas, crear):
    crear(3)
    ruta = escribir_csv(tmp_path / f"{entidad}.csv", export_rows(modelo.objects.all(), columnas))
    salida, _ = importar(entidad, ruta)
    assert "creados: 0 · actualizados: 0 · sin cambios: 3" in salida


@pytest.mark.parametrize(
    ("entidad", "modelo", "columnas", "crear"),
    [
        ("clientes", ClienteCorp, CLIENTE_COLUMNS, lambda: ClienteCorpFactory.create_batch(3)),
        ("proveedores", Proveedor, PROVEEDOR_COLUMNS, lambda: ProveedorFactory.create_batch(3)),
        ("nodos", Nodo, NODO_COLUMNS, lambda: NodoFactory.create_batch(3)),
    ],
)
def test_exportacion_en_una_base_vacia_crea_las_filas(tmp_path, entidad, modelo, columnas, crear):
    crear()
    # Cells are read stripped: factory addresses may end in a space.
    antes = {
        tuple(str(v).strip() for v in fila) for fila in export_rows(modelo.objects.all(), columnas)
    }
    ruta = escribir_csv(tmp_path / f"{entidad}.csv", export_rows(modelo.objects.all(), columnas))
    modelo.objects.all().delete()
    salida, _ = importar(entidad, ruta)
    assert "creados: 3 · actualizados: 0" in salida
    despues = {tuple(map(str, fila)) for fila in export_rows(modelo.objects.all(), columnas)}
    assert despues == antes


# --- file formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codificacion", "delimitador"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("latin-1", ";"), ("latin-1", ",")],
)
def test_codificaciones_y_delimitadores(tmp_path, codificacion, delimitador):
    filas = [CABECERA_CLIENTES, fila_cliente(1, razon_social="Compañía Peruana Ñandú S.A.")]
    ruta = escribir_csv(
        tmp_path / "c.csv", filas, delimitador=delimitador, codificacion=codificacion
    )
    salida, _ = importar("clientes", ruta)
    assert "creados: 1" in salida
    assert ClienteCorp.objects.get().razon_social == "Compañía Peruana Ñandú S.A."


def test_delimitador_explicito(tmp_path):
    filas = [CABECERA_CLIENTES, fila_cliente(1, razon_social="Uno, Dos y Tres S.A.")]
    ruta = escribir_csv(tmp_path / "c.csv", filas, delimitador="|")
    importar("clientes", ruta, "--delimitador", "|")
    assert ClienteCorp.objects.get().razon_social == "Uno, Dos y Tres S.A."


def test_xlsx_con_hoja_elegida(tmp_path):
    from openpyxl import Workbook

    libro = Workbook()
    libro.active.title = "Notas"
    libro.active.append(["nada que importar"])
    hoja = libro.create_sheet("Clientes")
    hoja.append(["CID", "Código ERP", "Razón Social", "RUC", "Fecha de activación", "Activo"])
    hoja.append([9001, "ERP-1", "Minera Andina S.A.", 20100017491, "15/03/2024", "sí"])
    ruta = tmp_path / "clientes.xlsx"
    libro.save(ruta)

    salida, _ = importar("clientes", ruta, "--hoja", "Clientes")

    assert "creados: 1" in salida
    cliente = ClienteCorp.objects.get()
    assert (cliente.cid, cliente.ruc, str(cliente.fecha_activacion)) == (
        "9001",
        "20100017491",
        "2024-03-15",
    )
    _, error = importar("clientes", ruta, "--hoja", "Otra", esperar_error=True)
    assert "no tiene la hoja «Otra»" in error


def test_exportacion_xlsx_de_la_lista_reimporta_sin_cambios(lectura_client, tmp_path):
    ClienteCorpFactory.create_batch(3, fecha_activacion="2024-01-31")
    ruta = tmp_path / "clientes.xlsx"
    ruta.write_bytes(lectura_client.get("/clientes_corporativo/?exportar=xlsx").getvalue())
    salida, _ = importar("clientes", ruta)
    assert "creados: 0 · actualizados: 0 · sin cambios: 3" in salida


# --- validation ----------------------------------------------------------------------------


def test_un_archivo_con_una_fila_mala_no_escribe_nada(tmp_path):
    filas = [CABECERA_CLIENTES] + [fila_cliente(i) for i in range(3000)]
    filas[2500] = fila_cliente(2499, ruc="20100017492")  # line 2501: wrong check digit
    ruta = escribir_csv(tmp_path / "clientes.csv", filas)

    salida, error = importar("clientes", ruta, esperar_error=True)

    assert ClienteCorp.objects.count() == 0
    assert (
        "línea 2501, columna «ruc»: El RUC 20100017492 no es válido: su dígito verificador "
        "no corresponde." in error
    )
    assert "con error: 1" in salida
    assert "no se guardó ningún cambio" in error


def test_se_informan_todas_las_filas_malas(tmp_path):
    filas = [
        CABECERA_CLIENTES,
        fila_cliente(1, ruc="123"),
        fila_cliente(2, razon_social=""),
        fila_cliente(3, cid="A-1"),
        fila_cliente(4, fecha_activacion="31/02/2024"),
        fila_cliente(5, is_active="quizás"),
        fila_cliente(6, razon_social="x" * 201),
        fila_cliente(7),
        fila_cliente(7, cid="42"),
        fila_cliente(8, cid="5001"),  # the CID of line 2
    ]
    _, error = importar("clientes", escribir_csv(tmp_path / "c.csv", filas), esperar_error=True)
    assert "línea 2, columna «ruc»: El RUC debe tener 11 dígitos (tiene 3)." in error
    assert "línea 3, columna «razon_social»: Este campo no puede estar vacío." in error
    assert "línea 4, columna «cid»: El CID solo admite dígitos del 0 al 9." in error
    assert "línea 5, columna «fecha_activacion»: Fecha no válida «31/02/2024»" in error
    assert "línea 6, columna «is_active»: Valor «quizás» no válido" in error
    assert (
        "línea 7, columna «razon_social»: Asegúrese de que este valor tenga menos de 200" in error
    )
    assert "línea 9, columna «ruc»: Duplicado: la línea 8 ya trae ruc" in error
    assert "línea 10, columna «cid»: Ya existe un cliente con este CID. (línea 2" not in error
    assert ClienteCorp.objects.count() == 0


def test_cid_de_otro_cliente_de_la_base(tmp_path):
    ClienteCorpFactory(cid="777")
    filas = [CABECERA_CLIENTES, fila_cliente(1, cid="777")]
    _, error = importar("clientes", escribir_csv(tmp_path / "c.csv", filas), esperar_error=True)
    assert "línea 2, columna «cid»: Ya existe un cliente con este CID." in error


def test_falta_una_columna_obligatoria(tmp_path):
    ruta = escribir_csv(tmp_path / "c.csv", [["ruc", "cid"], ["20100017491", "1"]])
    _, error = importar("clientes", ruta, esperar_error=True)
    assert "Faltan columnas obligatorias en «c.csv»: razon_social." in error


def test_encabezados_con_tildes_mayusculas_y_espacios(tmp_path):
    ruta = escribir_csv(
        tmp_path / "c.csv",
        [
            [" RAZÓN SOCIAL ", "Ruc", "cid", "Código ERP", "Is Active", "Otra cosa"],
            ["Minera Andina S.A.", "20 100 017 491", "9001", "ERP-9", "no", "x"],
        ],
    )
    _, avisos = importar("clientes", ruta)
    cliente = ClienteCorp.objects.get()
    assert (cliente.ruc, cliente.cod_erp, cliente.is_active) == ("20100017491", "ERP-9", False)
    assert "Columna desconocida «Otra cosa»" in avisos


def test_relacion_inexistente_y_ubigeo_invalido(tmp_path):
    ruta = escribir_csv(
        tmp_path / "sedes.csv",
        [
            ["ruc", "oficina", "direccion", "departamento", "provincia"],
            ["20100017491", "Central", "Av. Uno 1", "Lima", "Lima"],
        ],
    )
    _, error = importar("sedes", ruta, esperar_error=True)
    assert "línea 2, columna «ruc»: No existe un cliente con RUC 20100017491." in error

    ClienteCorpFactory(ruc="20100017491")
    escribir_csv(
        ruta,
        [
            ["ruc", "oficina", "direccion", "departamento", "provincia"],
            ["20100017491", "Central", "Av. Uno 1", "Cusco", "Arequipa"],
        ],
    )
    _, error = importar("sedes", ruta, esperar_error=True)
    assert "columna «provincia»: «Arequipa» no es una provincia de Cusco." in error


def test_ubigeo_se_guarda_con_la_grafia_canonica(tmp_path):
    cliente = ClienteCorpFactory()
    ruta = escribir_csv(
        tmp_path / "sedes.csv",
        [
            ["RUC", "Oficina", "Dirección", "Departamento", "Provincia", "Distrito"],
            [cliente.ruc, "Huaraz", "Jr. Sol 1", "ANCASH", "huaraz", "independencia"],
        ],
    )
    importar("sedes", ruta)
    sede = Sede.objects.get()
    assert (sede.departamento, sede.provincia, sede.distrito) == (
        "Áncash",
        "Huaraz",
        "Independencia",
    )


# --- upserts, dry run, idempotence ---------------------------------------------------------


def test_actualiza_por_ruc_e_importar_dos_veces_no_cambia_nada(tmp_path):
    existente = ClienteCorpFactory(ruc=ruc_valido(700001), cid="5001", razon_social="Vieja S.A.")
    filas = [CABECERA_CLIENTES, fila_cliente(1), fila_cliente(2)]
    ruta = escribir_csv(tmp_path / "c.csv", filas)

    salida, _ = importar("clientes", ruta)
    assert "creados: 1 · actualizados: 1 · sin cambios: 0" in salida
    existente.refresh_from_db()
    assert existente.razon_social == "Empresa 1 S.A.C."

    salida, _ = importar("clientes", ruta)
    assert "creados: 0 · actualizados: 0 · sin cambios: 2" in salida


def test_dry_run_muestra_diferencias_y_no_escribe(tmp_path):
    ClienteCorpFactory(ruc="20100017491", cid="9001", razon_social="A", responsable="")
    filas = [
        CABECERA_CLIENTES,
        fila_cliente(1),
        ["9001", "", "B", "20100017491", "", "", "", "", "1"],
    ]
    salida, _ = importar("clientes", escribir_csv(tmp_path / "c.csv", filas), "--dry-run")

    assert "línea 3 (ruc 20100017491): razon_social: 'A' → 'B'" in salida
    assert "línea 2 (ruc " in salida and ": nuevo" in salida
    assert "creados: 1 · actualizados: 1" in salida
    assert "no se guardó ningún cambio" in salida
    assert ClienteCorp.objects.get().razon_social == "A"
    assert ClienteCorp.objects.count() == 1


def test_proveedor_por_ruc_o_por_nombre(tmp_path):
    sin_ruc = ProveedorFactory(nombre="Andes Net", ruc="")
    con_ruc = ProveedorFactory(nombre="Carrier Uno")
    ruta = escribir_csv(
        tmp_path / "p.csv",
        [
            ["nombre", "ruc", "contacto"],
            ["Carrier Uno Renombrado", con_ruc.ruc, ""],
            ["Andes Net", ruc_valido(990001), "NOC"],
        ],
    )
    salida, _ = importar("proveedores", ruta)
    assert "creados: 0 · actualizados: 2" in salida
    con_ruc.refresh_from_db()
    sin_ruc.refresh_from_db()
    assert con_ruc.nombre == "Carrier Uno Renombrado"
    assert sin_ruc.ruc == ruc_valido(990001)


# --- connections ---------------------------------------------------------------------------


def test_fuente_antigua_inactivo_es_suspendido(tmp_path):
    cliente = ClienteCorpFactory(cid="257")
    servicio = ServicioProveedorFactory(codigo="CIR-1")
    NodoFactory(nombre="POP-LIMA")
    ruta = escribir_csv(
        tmp_path / "enlaces.csv",
        [
            [
                "cid",
                "cliente_ruc",
                "proveedor",
                "servicio_codigo",
                "tipo_enlace",
                "enlace_estado",
                "enlace_fecha_activacion",
                "bw_contratado",
                "departamento_enlace",
                "provincia_enlace",
                "nodo_a_nombre",
            ],
            [
                "257001",
                cliente.ruc,
                servicio.proveedor.nombre,
                "CIR-1",
                "internet",
                "INACTIVO",
                "01/06/2025",
                "500",
                "lima",
                "LIMA",
                "POP-LIMA",
            ],
        ],
    )
    importar("conexiones", ruta)
    conexion = Conexion.objects.get()
    assert conexion.estado == EstadoConexion.SUSPENDIDO
    assert (conexion.cid_enlace, conexion.bw_contratado, conexion.tipo_enlace) == (
        "257001",
        500,
        "Internet",
    )
    assert conexion.servicio == servicio
    assert not AjusteBW.objects.exists()  # created with its bw: no adjustment


def test_cambio_de_bw_deja_ajustes_en_el_libro(tmp_path):
    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    uno = ConexionFactory(servicio=servicio, bw_contratado=100)
    dos = ConexionFactory(servicio=servicio, bw_contratado=200)
    filas = list(export_rows(Conexion.objects.order_by("pk"), CONEXION_COLUMNS))
    indice = filas[0].index("bw_contratado")
    filas[1][indice] = 300  # uno: 100 → 300
    filas[2][indice] = 150  # dos: 200 → 150
    ruta = escribir_csv(tmp_path / "subidas.csv", filas)

    salida, _ = importar("conexiones", ruta)

    assert "actualizados: 2" in salida
    ajustes = {a.conexion_id: a for a in AjusteBW.objects.all()}
    primero, segundo = ajustes[uno.pk], ajustes[dos.pk]
    assert (primero.modo, primero.mbps, primero.bw_anterior, primero.bw_resultante) == (
        ModoAjuste.AUMENTAR,
        200,
        100,
        300,
    )
    assert (primero.servicio_disponible_anterior, primero.servicio_disponible_resultante) == (
        700,
        500,
    )
    assert (segundo.modo, segundo.mbps, segundo.bw_anterior, segundo.bw_resultante) == (
        ModoAjuste.DISMINUIR,
        50,
        200,
        150,
    )
    assert (segundo.servicio_disponible_anterior, segundo.servicio_disponible_resultante) == (
        500,
        550,
    )
    assert {a.motivo for a in ajustes.values()} == {"importación subidas.csv"}
    assert {a.servicio_id for a in ajustes.values()} == {servicio.pk}
    uno.refresh_from_db()
    assert (uno.bw_contratado, uno.bw_disponible) == (300, 300)
    assert servicios_con_capacidad().get().capacidad_disponible == 550

    salida, _ = importar("conexiones", ruta)
    assert "sin cambios: 2" in salida
    assert AjusteBW.objects.count() == 2


def test_bw_de_una_conexion_en_baja_o_a_cero_es_un_error(tmp_path):
    ConexionFactory(cid_enlace="100001", estado=EstadoConexion.BAJA, bw_contratado=100)
    ConexionFactory(cid_enlace="100002", bw_contratado=100)
    filas = list(export_rows(Conexion.objects.order_by("cid_enlace"), CONEXION_COLUMNS))
    indice = filas[0].index("bw_contratado")
    filas[1][indice] = 200
    filas[2][indice] = 0
    _, error = importar("conexiones", escribir_csv(tmp_path / "c.csv", filas), esperar_error=True)
    assert "línea 2, columna «bw_contratado»: Una conexión en BAJA no se puede ajustar." in error
    minimo = "Ingrese un número entero de Mbps mayor que cero."
    assert f"línea 3, columna «bw_contratado»: {minimo}" in error
    assert not AjusteBW.objects.exists()
    assert sorted(Conexion.objects.values_list("bw_contratado", flat=True)) == [100, 100]


def test_nodos_iguales_y_servicio_inexistente(tmp_path):
    cliente = ClienteCorpFactory()
    NodoFactory(nombre="N1")
    ruta = escribir_csv(
        tmp_path / "c.csv",
        [
            ["cid_enlace", "cliente_ruc", "tipo_enlace", "nodo_a", "nodo_b", "proveedor"],
            ["1", cliente.ruc, "VPN", "N1", "N1", ""],
            ["2", cliente.ruc, "VPN", "N1", "N2", ""],
        ],
    )
    _, error = importar("conexiones", ruta, esperar_error=True)
    assert "línea 2, columna «nodo_b»: El nodo A y el nodo B deben ser distintos." in error
    assert "línea 3, columna «nodo_b»: No existe un nodo con nombre «N2»." in error


def test_equipo_en_una_conexion_por_cid(tmp_path):
    conexion = ConexionFactory(cid_enlace="257001")
    ruta = escribir_csv(
        tmp_path / "e.csv",
        [["serie", "tipo", "marca", "modelo", "cid"], ["SN1", "router", "MikroTik", "X", "257001"]],
    )
    importar("equipos", ruta)
    assert Equipo.objects.get().conexion == conexion


def test_entidad_o_archivo_desconocidos(tmp_path):
    _, error = importar("clientes", tmp_path / "no-existe.csv", esperar_error=True)
    assert "No se encuentra el archivo" in error
    (tmp_path / "datos.json").write_text("{}")
    _, error = importar("clientes", tmp_path / "datos.json", esperar_error=True)
    assert "use un archivo .csv o .xlsx" in error


def test_dry_run_de_un_cambio_de_bw_no_deja_ajustes(tmp_path):
    ConexionFactory(bw_contratado=100)
    filas = list(export_rows(Conexion.objects.all(), CONEXION_COLUMNS))
    filas[1][filas[0].index("bw_contratado")] = 120
    salida, _ = importar("conexiones", escribir_csv(tmp_path / "c.csv", filas), "--dry-run")
    assert "bw_contratado: 100 → 120" in salida
    assert not AjusteBW.objects.exists()
    assert Conexion.objects.get().bw_contratado == 100


def test_cliente_de_la_fuente_por_cid(tmp_path):
    cliente = ClienteCorpFactory(cid="257")
    ruta = escribir_csv(
        tmp_path / "sedes.csv",
        [["cliente_id", "oficina", "direccion"], ["257", "Central", "Av. Uno 1"]],
    )
    importar("sedes", ruta)
    salida, _ = importar("sedes", ruta)  # same client: no change
    assert Sede.objects.get().cliente == cliente
    assert "sin cambios: 1" in salida


def test_sin_filas_ni_cambios(tmp_path):
    ruta = escribir_csv(tmp_path / "c.csv", [CABECERA_CLIENTES])
    salida, _ = importar("clientes", ruta)
    assert "creados: 0 · actualizados: 0 · sin cambios: 0 · con error: 0" in salida


def test_linea_fisica_despues_de_una_celda_de_varias_lineas(tmp_path):
    cliente = ClienteCorpFactory()
    ruta = escribir_csv(
        tmp_path / "c.csv",
        [
            ["cid_enlace", "cliente_ruc", "tipo_enlace", "configuracion_nodo_a"],
            ["1", cliente.ruc, "VPN", "interface Gi0/0\n ip address 10.0.0.1\n!"],
            ["2", cliente.ruc, "Telefonía", ""],
        ],
    )
    _, error = importar("conexiones", ruta, esperar_error=True)
    assert "línea 5, columna «tipo_enlace»: Valor 'Telefonía' no es una opción válida." in error


def _consultas_de_importar(ruta) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as consultas:
        importar("conexiones", ruta)
    return len(consultas)


def test_consultas_por_lote_no_crecen_con_las_filas(tmp_path):
    # 30 rows (and their history rows) stay within one SQLite INSERT (999 parameters), so
    # only the lookups count.
    servicio = ServicioProveedorFactory(capacidad_contratada=100_000)
    nodos = NodoFactory.create_batch(2)
    clientes = ClienteCorpFactory.create_batch(5)

    def archivo(nombre, n, bw):
        filas = [list(CONEXION_COLUMNS)]
        for i in range(n):
            datos = {
                "cid_enlace": f"{nombre}{i:04d}",
                "cliente_ruc": clientes[i % 5].ruc,
                "proveedor": servicio.proveedor.nombre,
                "servicio_codigo": servicio.codigo,
                "tipo_enlace": "Internet",
                "estado": "ACTIVO",
                "bw_contratado": bw,
                "nodo_a": nodos[0].nombre,
                "nodo_b": nodos[1].nombre,
            }
            filas.append([datos.get(c, "") for c in CONEXION_COLUMNS])
        return escribir_csv(tmp_path / f"{nombre}-{bw}.csv", filas)

    tamanos = (("A", 3), ("B", 30))
    creacion = [_consultas_de_importar(archivo(n, total, 10)) for n, total in tamanos]
    ajuste = [_consultas_de_importar(archivo(n, total, 20)) for n, total in tamanos]
    assert creacion[0] == creacion[1]
    assert ajuste[0] == ajuste[1]
    assert AjusteBW.objects.count() == 33


def test_csv_mal_formado(tmp_path):
    ruta = tmp_path / "malo.csv"
    # A field past the reader's limit (10 MB), as an unclosed quote swallowing the file would.
    ruta.write_bytes(b'ruc,razon_social,cid\n20100017491,"' + b"x" * ((10 << 20) + 1) + b'",1\n')
    _, error = importar("clientes", ruta, esperar_error=True)
    assert "no es un CSV válido cerca de la línea 2" in error


def test_caracteres_nulos_son_un_error_de_la_fila(tmp_path):
    filas = [CABECERA_CLIENTES, fila_cliente(1, razon_social="Empresa\x00 S.A."), fila_cliente(2)]
    ruta = escribir_csv(tmp_path / "nulos.csv", filas)
    _, error = importar("clientes", ruta, esperar_error=True)
    assert "línea 2, columna «razon_social»: Los caracteres nulos no están permitidos." in error
    assert not ClienteCorp.objects.exists()


# --- batches: each one is compared while the one before is written ----------------------


def test_lotes_encadenados_escriben_cada_fila_y_su_historial(tmp_path):
    from isp_portal.importacion import importar as importar_archivo

    existentes = [
        ClienteCorpFactory(ruc=ruc_valido(700000 + i), cid=str(5000 + i)) for i in range(0, 10, 2)
    ]
    filas = [CABECERA_CLIENTES] + [fila_cliente(i, responsable=f"R{i}") for i in range(10)]
    ruta = escribir_csv(tmp_path / "lotes.csv", filas)

    resultado = importar_archivo(entidad="clientes", ruta=ruta, tam_lote=3)

    assert (resultado.creados, resultado.actualizados, resultado.errores) == (5, 5, [])
    guardados = {c.ruc: c for c in ClienteCorp.objects.all()}
    assert len(guardados) == 10
    for i in range(10):
        cliente = guardados[ruc_valido(700000 + i)]
        assert (cliente.razon_social, cliente.responsable) == (f"Empresa {i} S.A.C.", f"R{i}")
        tipos = list(cliente.history.order_by("history_id").values_list("history_type", flat=True))
        assert tipos == (["+", "~"] if i % 2 == 0 else ["+"])
        assert cliente.history.latest("history_id").responsable == f"R{i}"
    assert {c.pk for c in existentes} <= {c.pk for c in guardados.values()}

    again = importar_archivo(entidad="clientes", ruta=ruta, tam_lote=3)
    assert (again.creados, again.actualizados, again.sin_cambios) == (0, 0, 10)


def test_un_error_en_un_lote_tardio_no_deja_nada_de_los_anteriores(tmp_path):
    from isp_portal.importacion import importar as importar_archivo

    filas = [CABECERA_CLIENTES] + [fila_cliente(i) for i in range(10)]
    filas[9] = fila_cliente(8, cid="x")  # line 10, in the third batch of 3 rows
    ruta = escribir_csv(tmp_path / "tarde.csv", filas)

    resultado = importar_archivo(entidad="clientes", ruta=ruta, tam_lote=3)

    assert resultado.errores == [(10, "cid", "El CID solo admite dígitos del 0 al 9.")]
    assert not resultado.escrito
    assert not ClienteCorp.objects.exists()
    assert not ClienteCorp.history.exists()


def test_ajustes_de_bw_en_varios_lotes_encadenan_el_disponible(tmp_path):
    from isp_portal.importacion import importar as importar_archivo

    servicio = ServicioProveedorFactory(capacidad_contratada=1000)
    conexiones = [ConexionFactory(servicio=servicio, bw_contratado=100) for _ in range(5)]
    filas = list(export_rows(Conexion.objects.order_by("pk"), CONEXION_COLUMNS))
    indice = filas[0].index("bw_contratado")
    for fila in filas[1:]:
        fila[indice] = 110
    ruta = escribir_csv(tmp_path / "bw.csv", filas)

    resultado = importar_archivo(entidad="conexiones", ruta=ruta, tam_lote=2)

    assert resultado.actualizados == 5
    ajustes = list(AjusteBW.objects.order_by("pk"))
    assert [a.conexion_id for a in ajustes] == [c.pk for c in conexiones]
    disponibles = [
        (a.servicio_disponible_anterior, a.servicio_disponible_resultante) for a in ajustes
    ]
    assert disponibles == [
        (500, 490),
        (490, 480),
        (480, 470),
        (470, 460),
        (460, 450),
    ]
    for conexion in conexiones:
        assert conexion.history.latest("history_id").bw_contratado == 110
