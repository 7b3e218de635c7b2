"""Search as operators type: case, accents and word order do not matter; each word must match
somewhere. The same results on SQLite and PostgreSQL (the suite runs on both)."""

import pytest

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import Conexion
from isp_portal.busqueda import normalizar, palabras
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory

pytestmark = pytest.mark.django_db


def encontrados(client, url, texto) -> set[int]:
    response = client.get(url, {"busqueda": texto})
    assert response.status_code == 200
    return {obj.pk for obj in response.context["object_list"]}


def test_normalizar():
    assert normalizar("Clínica HUASCARÁN Ñaña Güemes") == "clinica huascaran nana guemes"
    assert palabras("  Huascarán   Agroindustrias ") == ["huascaran", "agroindustrias"]


class TestClientes:
    URL = "/clientes_corporativo/"

    @pytest.fixture
    def huascaran(self):
        ClienteCorpFactory(razon_social="Minera Andina S.A.")
        return ClienteCorpFactory(
            razon_social="Clínica Huascarán Agroindustrias S.A.C.",
            ruc="20100017491",
            cid="7001",
            cod_erp="ERP-HUA",
        )

    @pytest.mark.parametrize(
        "texto",
        [
            "clinica",
            "HUASCARAN",
            "CLÍNICA",
            "Huascarán Agroindustrias",
            "agroindustrias huascaran",
            "huasc clin",
            "20100017491",
            "20 100 017 491",
            "7001",
            "erp-hua",
            "Clínica 2010",  # a word of the name and part of the RUC
        ],
    )
    def test_encuentra(self, lectura_client, huascaran, texto):
        assert encontrados(lectura_client, self.URL, texto) == {huascaran.pk}

    @pytest.mark.parametrize("texto", ["clinica andina", "huascaran zzz"])
    def test_cada_palabra_debe_coincidir(self, lectura_client, huascaran, texto):
        assert encontrados(lectura_client, self.URL, texto) == set()

    def test_la_caja_de_clientes_del_formulario_usa_la_misma_busqueda(
        self, operador_client, huascaran
    ):
        contenido = operador_client.get(
            "/conexiones/clientes-buscar/", {"q": "agroindustrias CLINICA"}
        ).content.decode()
        assert f'<option value="{huascaran.pk}">' in contenido


class TestConexiones:
    URL = "/conexiones/"

    @pytest.fixture
    def conexion(self):
        ConexionFactory(locacion="Lima - Miraflores")
        return ConexionFactory(
            cid_enlace="257001",
            locacion="Yungay - Quillo",
            cliente=ClienteCorpFactory(razon_social="Clínica Huascarán S.A.", ruc="20131312955"),
            servicio=ServicioProveedorFactory(codigo="CIR-ANC-777"),
            nodo_a=NodoFactory(nombre="POP-CARAZ-01"),
            nodo_b=NodoFactory(nombre="OLT-YUNGAY-02"),
        )

    @pytest.mark.parametrize(
        "texto",
        [
            "257001",
            "clinica huascaran",
            "HUASCARÁN",
            "20131312955",
            "yungay quillo",
            "quillo yungay",
            "cir-anc-777",
            "pop-caraz",
            "olt-yungay",
            "caraz clinica",  # a node's word and the client's
        ],
    )
    def test_encuentra(self, lectura_client, conexion, texto):
        assert encontrados(lectura_client, self.URL, texto) == {conexion.pk}

    def test_cada_palabra_debe_coincidir(self, lectura_client, conexion):
        assert encontrados(lectura_client, self.URL, "quillo miraflores") == set()


class TestDocumentoDeLaConexion:
    """Conexion.busqueda follows its own changes and those of its client, service and nodes,
    whoever writes them (the database keeps it)."""

    def documento(self, conexion) -> str:
        return Conexion.objects.values_list("busqueda", flat=True).get(pk=conexion.pk)

    def test_al_crear(self):
        conexion = ConexionFactory(cid_enlace="X-1", locacion="Cusco - Urubamba")
        assert "x-1" in self.documento(conexion) and "urubamba" in self.documento(conexion)

    def test_en_escrituras_masivas(self):
        base = ConexionFactory()
        (nueva,) = Conexion.objects.bulk_create(
            [
                Conexion(
                    cid_enlace="MASIVA-1",
                    cliente=base.cliente,
                    tipo_enlace=base.tipo_enlace,
                    locacion="Piura - Sullana",
                )
            ]
        )
        assert "sullana" in self.documento(nueva)
        Conexion.objects.filter(pk=nueva.pk).update(locacion="Tumbes - Zarumilla")
        assert "zarumilla" in self.documento(nueva) and "sullana" not in self.documento(nueva)

    def test_renombrar_el_cliente(self):
        conexion = ConexionFactory(cliente=ClienteCorpFactory(razon_social="Antigua S.A."))
        cliente = conexion.cliente
        cliente.razon_social = "Nueva Razón S.A."
        cliente.save()
        assert "nueva razon" in self.documento(conexion)
        assert "antigua" not in self.documento(conexion)

    def test_renombrar_el_servicio_y_los_nodos(self):
        conexion = ConexionFactory(servicio=ServicioProveedorFactory(codigo="CIR-VIEJO"))
        conexion.servicio.codigo = "CIR-NUEVO"
        conexion.servicio.save()
        conexion.nodo_b.nombre = "NODO-RENOMBRADO"
        conexion.nodo_b.save()
        documento = self.documento(conexion)
        assert "cir-nuevo" in documento and "cir-viejo" not in documento
        assert "nodo-renombrado" in documento

    def test_cambiar_de_cliente(self):
        conexion = ConexionFactory(cliente=ClienteCorpFactory(razon_social="Primero S.A."))
        Conexion.objects.filter(pk=conexion.pk).update(
            cliente=ClienteCorpFactory(razon_social="Segundo S.A.")
        )
        assert "segundo" in self.documento(conexion) and "primero" not in self.documento(conexion)


@pytest.mark.parametrize(
    ("url", "crear", "texto"),
    [
        (
            "/nodos/",
            lambda: NodoFactory(nombre="POP-ABANCAY", departamento="Apurímac", provincia="Abancay"),
            "apurimac",
        ),
        (
            "/proveedores/servicios/",
            lambda: ServicioProveedorFactory(
                codigo="CIR-1", departamento="Huánuco", provincia="Leoncio Prado"
            ),
            "leoncio huanuco",
        ),
        ("/equipos/", lambda: EquipoFactory(marca="Huawei", modelo="NE40E-X8"), "huawei ne40"),
        ("/proveedores/", lambda: ProveedorFactory(nombre="Telefónica del Perú"), "TELEFONICA"),
    ],
)
def test_otras_listas(lectura_client, url, crear, texto):
    objeto = crear()
    assert encontrados(lectura_client, url, texto) == {objeto.pk}
