"""Management commands of the first run: cargar_demo and crear_admin."""

import io
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp, Sede
from conexiones.choices import EstadoConexion
from conexiones.models import AjusteBW, Conexion, Equipo, Nodo
from conexiones.selectors import servicios_con_capacidad
from isp_portal import ubigeo
from isp_portal.management.commands import cargar_demo, crear_admin
from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR
from isp_portal.validators import validate_ruc
from proveedores.models import Proveedor, ServicioProveedor

pytestmark = pytest.mark.django_db

MODELOS = [ClienteCorp, Sede, Proveedor, ServicioProveedor, Nodo, Conexion, Equipo, AjusteBW]
CON_UBICACION = [Sede, ServicioProveedor, Nodo, Conexion]
RUCS_DE_CARRIERS = (
    "cargar_demo.CARRIERS (isp_portal/management/commands/cargar_demo.py, lines 33-36) has "
    "4 provider RUCs with a wrong check digit: Internexa 20514977628 (→ …624), Optical "
    "Networks 20519398171 (→ …177), Lumen 20513322279 (→ …276), Gilat 20514012303 "
    "(→ …301). bulk_create skips validation, so the demo providers cannot be saved from "
    "their edit form. Fix: correct the RUCs (or build them with datos_demo.ruc_valido)."
)


def cargar(*args) -> str:
    salida = io.StringIO()
    call_command("cargar_demo", *args, stdout=salida)
    return salida.getvalue()


class TestCargarDemo:
    @pytest.fixture
    def demo(self):
        return cargar()

    def test_crea_filas_de_cada_modelo(self, demo):
        vacios = [m.__name__ for m in MODELOS if not m.objects.exists()]
        assert vacios == []
        assert "Demo cargada" in demo

    def test_conexiones_en_cada_estado(self, demo):
        estados = set(Conexion.objects.values_list("estado", flat=True))
        assert estados == set(EstadoConexion.values)

    def test_rucs_de_clientes_validos(self, demo):
        for ruc in ClienteCorp.objects.values_list("ruc", flat=True):
            validate_ruc(ruc)

    def test_rucs_de_proveedores_validos(self, demo):
        invalidos = []
        for nombre, ruc in Proveedor.objects.exclude(ruc="").values_list("nombre", "ruc"):
            try:
                validate_ruc(ruc)
            except ValidationError:
                invalidos.append((nombre, ruc))
        assert invalidos == []

    @pytest.mark.parametrize("modelo", CON_UBICACION, ids=lambda m: m.__name__)
    def test_ubigeo_valido(self, demo, modelo):
        filas = modelo.objects.values_list("departamento", "provincia", "distrito")
        malos = [fila for fila in filas if fila[0] and not ubigeo.es_distrito_valido(*fila)]
        assert malos == []

    @pytest.mark.parametrize(
        "modelo",
        MODELOS,
        ids=lambda m: m.__name__,
    )
    def test_las_filas_pasan_full_clean(self, demo, modelo):
        for objeto in modelo.objects.all():
            objeto.full_clean()

    def test_cid_de_conexion_sigue_al_cliente(self, demo):
        for cid_enlace, cid in Conexion.objects.values_list("cid_enlace", "cliente__cid"):
            assert re.fullmatch(rf"{cid}\d{{3}}", cid_enlace), (cid_enlace, cid)

    def test_ajustes_son_coherentes_con_las_conexiones(self, demo):
        assert AjusteBW.objects.count() > 0
        for ajuste in AjusteBW.objects.select_related("conexion"):
            assert ajuste.conexion.estado != EstadoConexion.BAJA
            assert ajuste.bw_resultante == ajuste.conexion.bw_contratado
            assert ajuste.servicio_id == ajuste.conexion.servicio_id
        # The last adjustment charged to each service shows its current figure.
        servicios = servicios_con_capacidad().in_bulk()
        ultimo = {}
        for ajuste in AjusteBW.objects.order_by("id"):
            ultimo[ajuste.servicio_id] = ajuste
        for servicio_id, ajuste in ultimo.items():
            assert (
                ajuste.servicio_disponible_resultante == servicios[servicio_id].capacidad_disponible
            )

    def test_codigos_y_cids_en_ascii(self, demo):
        codigos = [
            *Conexion.objects.values_list("cid_enlace", flat=True),
            *ServicioProveedor.objects.values_list("codigo", flat=True),
            *Nodo.objects.values_list("nombre", flat=True),
            *Equipo.objects.values_list("serie", flat=True),
        ]
        assert [c for c in codigos if not c.isascii()] == []

    def test_nombres_de_nodo_con_el_distrito_entero(self, demo):
        for nombre, distrito in Nodo.objects.values_list("nombre", "distrito"):
            assert cargar_demo.ascii_mayusculas(distrito) in nombre, (nombre, distrito)

    def test_cada_enlace_va_por_nodos_de_su_departamento(self, demo):
        filas = Conexion.objects.values_list(
            "departamento", "nodo_a__departamento", "nodo_b__departamento"
        )
        assert [f for f in filas if len(set(f)) != 1] == []

    def test_clientes_con_y_sin_contacto(self, demo):
        con = ClienteCorp.objects.exclude(correo="").exclude(telefono="")
        assert con.count() > ClienteCorp.objects.count() // 2
        assert ClienteCorp.objects.filter(correo="").exists()

    def test_hay_equipos_libres_para_nuevas_conexiones(self, demo):
        assert Equipo.objects.filter(conexion=None).exists()
        assert Equipo.objects.exclude(conexion=None).exists()

    def test_si_vacia_en_base_con_datos_no_hace_nada(self):
        ClienteCorpFactory()
        antes = [m.objects.count() for m in MODELOS]
        salida = cargar("--si-vacia")
        assert "ya tiene datos" in salida
        assert [m.objects.count() for m in MODELOS] == antes

    def test_si_vacia_en_base_vacia_carga(self):
        cargar("--si-vacia", "--clientes", "5", "--conexiones", "10")
        assert ClienteCorp.objects.count() == 5
        assert Conexion.objects.count() == 10

    def test_sin_si_vacia_en_base_con_datos_falla(self):
        ClienteCorpFactory()
        with pytest.raises(CommandError):
            cargar()
        assert ClienteCorp.objects.count() == 1

    @pytest.mark.parametrize("args", [["--clientes", "0"], ["--conexiones", "-1"]])
    def test_argumentos_invalidos(self, args):
        with pytest.raises(CommandError):
            cargar(*args)
        assert not ClienteCorp.objects.exists()

    def test_misma_semilla_mismos_datos(self):
        def huella():
            conexiones = Conexion.objects.order_by("cid_enlace").values_list(
                "cid_enlace", "estado", "tipo_enlace", "bw_contratado", "nodo_a__nombre"
            )
            sedes = (
                ClienteCorp.objects.order_by("cid").values_list("cid").annotate(n=Count("sedes"))
            )
            return list(conexiones), list(sedes)

        cargar("--clientes", "5", "--conexiones", "10", "--semilla", "7")
        primera = huella()
        for modelo in reversed(MODELOS):
            modelo.objects.all().delete()
        cargar("--clientes", "5", "--conexiones", "10", "--semilla", "7")
        assert huella() == primera

    def test_volumen_mediano(self):
        salida = cargar("--clientes", "300", "--conexiones", "600")
        assert ClienteCorp.objects.count() == 300
        assert Conexion.objects.count() == 600
        assert Conexion.objects.values("cid_enlace").distinct().count() == 600
        assert ClienteCorp.objects.values("ruc").distinct().count() == 300
        assert set(Conexion.objects.values_list("estado", flat=True)) == set(EstadoConexion.values)
        assert "300 clientes, 600 conexiones" in salida


class TestCrearAdmin:
    @pytest.fixture
    def archivo(self, tmp_path, monkeypatch):
        ruta = tmp_path / "credenciales"
        monkeypatch.setattr(crear_admin, "ARCHIVO", ruta)
        return ruta

    def ejecutar(self) -> str:
        salida = io.StringIO()
        call_command("crear_admin", stdout=salida)
        return salida.getvalue()

    def test_crea_los_tres_usuarios_e_imprime_el_acceso(self, archivo):
        salida = self.ejecutar()
        clave = archivo.read_text().strip()
        assert clave
        User = get_user_model()
        admin = User.objects.get(username="admin")
        operador = User.objects.get(username="operador")
        lectura = User.objects.get(username="lectura")
        assert admin.is_superuser and admin.is_staff
        assert not operador.is_staff and not operador.is_superuser
        assert not lectura.is_staff and not lectura.is_superuser
        assert list(operador.groups.values_list("name", flat=True)) == [GRUPO_OPERADOR]
        assert list(lectura.groups.values_list("name", flat=True)) == [GRUPO_LECTURA]
        for usuario in (admin, operador, lectura):
            assert usuario.check_password(clave)
            assert re.search(
                rf"Usuario: {usuario.username}\s+Contraseña: {re.escape(clave)}", salida
            )

    def test_el_archivo_de_credenciales_es_privado(self, archivo):
        self.ejecutar()
        assert stat.S_IMODE(archivo.stat().st_mode) == 0o600

    def test_segunda_ejecucion_imprime_la_misma_clave(self, archivo):
        primera = self.ejecutar()
        segunda = self.ejecutar()
        assert primera == segunda
        assert (
            get_user_model().objects.filter(username__in=["admin", "operador", "lectura"]).count()
            == 3
        )

    def test_reutiliza_la_clave_del_archivo(self, archivo):
        archivo.write_text("clave-conocida-123\n")
        salida = self.ejecutar()
        assert "clave-conocida-123" in salida
        assert (
            get_user_model().objects.get(username="operador").check_password("clave-conocida-123")
        )

    def test_no_cambia_la_clave_de_un_usuario_existente(self, archivo, django_user_model):
        django_user_model.objects.create_user("admin", password="propia-del-admin")
        self.ejecutar()
        assert django_user_model.objects.get(username="admin").check_password("propia-del-admin")

    def test_los_usuarios_creados_pueden_ingresar(self, archivo, client):
        self.ejecutar()
        clave = archivo.read_text().strip()
        respuesta = client.post("/login/", {"username": "operador", "password": clave})
        assert respuesta.status_code == 302
        assert respuesta["Location"] == "/"
