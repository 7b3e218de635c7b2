"""CIDs are ASCII: a client's CID digits 0-9, a connection's letters, digits, "-", "_" and ".".

Full-width and other compatibility characters become ASCII (NFKC, the fields' to_python) in
every entry point; what NFKC leaves ("٣٣٣", Arabic-Indic digits) is refused in Spanish; the
suggested connection CID is never built from anything else; migrations fix stored values.
"""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clientes.factories import ClienteCorpFactory
from clientes.models import ClienteCorp
from conexiones.factories import ConexionFactory
from conexiones.models import Conexion
from conexiones.services import conexion_crear, conexion_siguiente_cid
from isp_portal.migraciones import corregir_cids
from proveedores.factories import ServicioProveedorFactory
from tests.api.conftest import cliente_con_token
from tests.conexiones.services import datos_conexion
from tests.conexiones.test_views import datos_formulario
from tests.isp_portal.test_importar import escribir_csv, importar

pytestmark = pytest.mark.django_db

RUC_VALIDO = "20100017491"
SOLO_DIGITOS = "El CID solo admite dígitos del 0 al 9."


def datos_cliente(**cambios) -> dict:
    return {"cid": "9001", "razon_social": "Minera Andina S.A.", "ruc": RUC_VALIDO, **cambios}


def escribir_crudo(objeto, campo: str, valor: str) -> None:
    """Store a value as an old row may hold it: the ORM would write a CID in ASCII (the
    field's to_python also prepares every value it saves or looks up)."""
    tabla = objeto._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tabla} SET {campo} = %s WHERE id = %s", [valor, objeto.pk])


# --- Client CID ---------------------------------------------------------------------------------


class TestClienteFormulario:
    def test_digitos_de_ancho_completo_se_guardan_en_ascii(self, operador_client):
        respuesta = operador_client.post("/clientes_corporativo/nuevo", datos_cliente(cid="１３１"))
        assert respuesta.status_code == 302, respuesta.context["form"].errors
        assert ClienteCorp.objects.get().cid == "131"

    @pytest.mark.parametrize("cid", ["٣٣٣", "۱۲۳", "१२३", "12a"])
    def test_otros_digitos_se_rechazan_junto_al_campo(self, operador_client, cid):
        respuesta = operador_client.post("/clientes_corporativo/nuevo", datos_cliente(cid=cid))
        assert respuesta.status_code == 200
        assert respuesta.context["form"].errors["cid"] == [SOLO_DIGITOS]
        assert not ClienteCorp.objects.exists()

    def test_el_repetido_se_reconoce_tras_normalizar(self, operador_client):
        ClienteCorpFactory(cid="131", razon_social="Primera S.A.")
        respuesta = operador_client.post(
            "/clientes_corporativo/nuevo", datos_cliente(cid="１３１", ruc="20131312955")
        )
        assert respuesta.status_code == 200
        assert "«Primera S.A.»" in respuesta.context["form"].errors["cid"][0]


class TestClienteImportacion:
    def test_normaliza_y_rechaza_por_fila(self, tmp_path):
        ruta = escribir_csv(
            tmp_path / "clientes.csv",
            [
                ["cid", "razon_social", "ruc"],
                ["１３１", "Uno S.A.", RUC_VALIDO],
                ["٣٣٣", "Dos S.A.", "20131312955"],
            ],
        )
        _, error = importar("clientes", ruta, esperar_error=True)
        assert f"línea 3, columna «cid»: {SOLO_DIGITOS}" in error
        assert not ClienteCorp.objects.exists()  # the file is refused whole
        ruta = escribir_csv(
            tmp_path / "clientes.csv",
            [["cid", "razon_social", "ruc"], ["１３１", "Uno S.A.", RUC_VALIDO]],
        )
        importar("clientes", ruta)
        assert ClienteCorp.objects.get().cid == "131"


class TestClienteAPI:
    def test_normaliza_y_rechaza(self, usuario_operador):
        api = cliente_con_token(usuario_operador)
        mala = api.post("/v1/clientes-corporativo/crear", datos_cliente(cid="٣٣٣"))
        assert mala.status_code == 400
        assert json.loads(mala.content)["cid"] == [SOLO_DIGITOS]
        buena = api.post("/v1/clientes-corporativo/crear", datos_cliente(cid="１３１"))
        assert buena.status_code == 201, buena.content
        assert json.loads(buena.content)["cid"] == "131" == ClienteCorp.objects.get().cid


# --- Connection CID -----------------------------------------------------------------------------


class TestConexion:
    def test_formulario(self, operador_client):
        data = datos_formulario(cid_enlace="ＸＹ－１３１")
        respuesta = operador_client.post("/conexiones/nueva", data)
        assert respuesta.status_code == 302, respuesta.context["form"].errors
        assert Conexion.objects.get().cid_enlace == "XY-131"

    @pytest.mark.parametrize("cid", ["٣٣٣001", "A B", "257/001", "Ñ-1"])
    def test_formulario_rechaza(self, operador_client, cid):
        respuesta = operador_client.post("/conexiones/nueva", datos_formulario(cid_enlace=cid))
        assert respuesta.status_code == 200
        assert "El CID solo admite letras sin tilde" in (
            respuesta.context["form"].errors["cid_enlace"][0]
        )
        assert not Conexion.objects.exists()

    def test_importacion(self, tmp_path):
        cliente = ClienteCorpFactory(cid="800")
        ruta = escribir_csv(
            tmp_path / "conexiones.csv",
            [
                ["cid_enlace", "cliente_ruc", "tipo_enlace", "bw_contratado"],
                ["８００００１", cliente.ruc, "Internet", "10"],
                ["٨٠٠٠٠٢", cliente.ruc, "Internet", "10"],
            ],
        )
        _, error = importar("conexiones", ruta, esperar_error=True)
        assert "línea 3, columna «cid_enlace»: El CID solo admite letras sin tilde" in error
        assert "línea 2" not in error
        ruta = escribir_csv(
            tmp_path / "conexiones.csv",
            [
                ["cid_enlace", "cliente_ruc", "tipo_enlace", "bw_contratado"],
                ["８００００１", "８００", "Internet", "10"],  # the client by its CID
            ],
        )
        importar("conexiones", ruta)
        assert Conexion.objects.get().cid_enlace == "800001"

    def test_api(self, usuario_operador):
        api = cliente_con_token(usuario_operador)
        cliente = ClienteCorpFactory(cid="801")
        payload = {"cliente_id": cliente.pk, "tipo_enlace": "Internet", "bw_contratado": 10}
        mala = api.post("/v1/conexiones", {**payload, "cid": "٨٠١٠٠١"})
        assert mala.status_code == 400, mala.content
        assert "El CID solo admite letras sin tilde" in json.loads(mala.content)["cid"][0]
        buena = api.post("/v1/conexiones", {**payload, "cid": "８０１００１"})
        assert buena.status_code == 201, buena.content
        assert json.loads(buena.content)["cid_enlace"] == "801001"


# --- The suggested CID --------------------------------------------------------------------------


class TestCidSugerido:
    def guardado_sin_validar(self, cid: str) -> ClienteCorp:
        """A client whose CID was stored before the rule (or around validation)."""
        cliente = ClienteCorpFactory(cid="1")
        escribir_crudo(cliente, "cid", cid)
        cliente.refresh_from_db()
        return cliente

    def test_el_orm_guarda_y_busca_en_ascii(self):
        cliente = ClienteCorpFactory(cid="１３２")
        assert ClienteCorp.objects.values_list("cid", flat=True).get(pk=cliente.pk) == "132"
        ClienteCorp.objects.filter(pk=cliente.pk).update(cid="１３３")
        assert ClienteCorp.objects.get(cid="１３３").cid == "133"

    def test_un_cid_de_ancho_completo_propone_en_ascii(self):
        cliente = self.guardado_sin_validar("１３１")
        ConexionFactory(cliente=cliente, cid_enlace="131001")
        assert conexion_siguiente_cid(cliente=cliente) == "131002"

    def test_un_cid_con_otros_digitos_no_propone_nada(self, operador_client):
        cliente = self.guardado_sin_validar("٣٣٣")
        assert conexion_siguiente_cid(cliente=cliente) == ""
        respuesta = operador_client.get(f"/conexiones/cid-sugerido/?cliente={cliente.pk}")
        assert "٣" not in respuesta.content.decode()

    def test_ni_asigna_uno_al_crear(self):
        cliente = self.guardado_sin_validar("٣٣٣")
        servicio = ServicioProveedorFactory(capacidad_contratada=1000)
        with pytest.raises(ValidationError) as info:
            conexion_crear(datos=datos_conexion(cliente, servicio, bw_contratado=10))
        assert "El CID del cliente («٣٣٣») no es válido" in info.value.message_dict["cid_enlace"][0]
        assert not Conexion.objects.exists()
        # With its own CID it can be created.
        conexion_crear(datos=datos_conexion(cliente, servicio, bw_contratado=10, cid_enlace="X1"))

    def test_ni_en_la_importacion(self, tmp_path):
        cliente = self.guardado_sin_validar("٣٣٣")
        ruta = escribir_csv(
            tmp_path / "conexiones.csv",
            [["cliente_ruc", "tipo_enlace", "bw_contratado"], [cliente.ruc, "Internet", "10"]],
        )
        _, error = importar("conexiones", ruta, esperar_error=True)
        assert "línea 2, columna «cid_enlace»: El CID del cliente («٣٣٣») no es válido" in error
        assert not Conexion.objects.exists()

    def test_una_secuencia_con_otros_digitos_no_cuenta(self):
        cliente = ClienteCorpFactory(cid="257")
        conexion = ConexionFactory(cliente=cliente, cid_enlace="257001")
        escribir_crudo(conexion, "cid_enlace", "257٠٠٩")  # int() reads it as 9
        assert conexion_siguiente_cid(cliente=cliente) == "257001"


# --- The data migrations' step ------------------------------------------------------------------


class TestCorregirCids:
    def test_corrige_lo_inequivoco_y_reporta_el_resto(self):
        clientes = ClienteCorpFactory.create_batch(5)
        valores = ["１３１", "٣٣٣", "0257 ", "１３１ ", "500"]
        for cliente, valor in zip(clientes, valores, strict=True):
            escribir_crudo(cliente, "cid", valor)
        salida = io.StringIO()
        corregidos, dejados = corregir_cids(
            ClienteCorp, "cid", r"[0-9]+", escribir=lambda t: salida.write(t + "\n")
        )
        assert (corregidos, dejados) == (2, 2)
        assert [c.cid for c in ClienteCorp.objects.order_by("pk")] == [
            "131",
            "٣٣٣",
            "0257",
            "１３１ ",  # its ASCII form is taken by the first
            "500",
        ]
        texto = salida.getvalue()
        assert "clientes.ClienteCorp.cid: 2 corregidos, 2 por revisar a mano." in texto
        assert f"id {clientes[0].pk}: «１３１» → «131»" in texto
        assert f"id {clientes[1].pk}: «٣٣٣» sin corregir: tiene caracteres no admitidos." in texto
        assert f"id {clientes[3].pk}: «１３１ » sin corregir: «131» ya existe." in texto

    def test_cids_de_conexion_y_su_busqueda(self):
        conexiones = ConexionFactory.create_batch(2)
        escribir_crudo(conexiones[0], "cid_enlace", "ＬＩＭ－００１")
        escribir_crudo(conexiones[1], "cid_enlace", "LIM 002")
        salida = []
        assert corregir_cids(
            Conexion, "cid_enlace", r"[A-Za-z0-9._-]+", escribir=salida.append
        ) == (1, 1)
        corregida = Conexion.objects.get(pk=conexiones[0].pk)
        assert corregida.cid_enlace == "LIM-001" and "lim-001" in corregida.busqueda
        assert Conexion.objects.get(pk=conexiones[1].pk).cid_enlace == "LIM 002"

    def test_sin_nada_que_corregir_no_escribe(self):
        ClienteCorpFactory(cid="257")
        salida = []
        assert corregir_cids(ClienteCorp, "cid", r"[0-9]+", escribir=salida.append) == (0, 0)
        assert salida == []
