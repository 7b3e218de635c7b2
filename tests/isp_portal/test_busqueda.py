"""Search as operators type: case, accents, punctuation and word order do not matter; each
word must match somewhere (a number from its start). The same results on SQLite and
PostgreSQL (the suite runs on both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientes.factories import ClienteCorpFactory
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import Conexion
from isp_portal.busqueda import UNEN, documento, normalizar, palabras
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from tests.api.conftest import cliente_con_token

pytestmark = pytest.mark.django_db


def encontrados(client, url, texto) -> set[int]:
    response = client.get(url, {"busqueda": texto})
    assert response.status_code == 200
    return {obj.pk for obj in response.context["object_list"]}


def test_normalizar():
    assert normalizar("Clínica HUASCARÁN Ñaña Güemes") == "clinica huascaran nana guemes"
    assert palabras("  Huascarán   Agroindustrias ") == ["huascaran", "agroindustrias"]
    assert normalizar("Minera Qollqa 007 S.A.C.") == "minera qollqa 007 sac"
    assert normalizar("D'Onofrio E.I.R.L. — 20.100.017.491") == "donofrio eirl 20100017491"
    assert normalizar("CIR-ANC-777 / POP_Caraz (Nº 2)") == "cir anc 777 pop caraz no 2"
    assert documento("¡S.A.C.!") == " sac "


TEXTOS = [
    "Clínica HUASCARÁN S.A.C.",
    "D'Onofrio E.I.R.L. — 20.100.017.491",
    "CIR-ANC-777 / POP_Caraz (Nº 2)",
    "Ñandú Øresund Łódź Đakovo ÀÉÎÕÜ ÿ ç",
    "tab\tsalto\nfin   espacios",
    "中文 ελληνικά ß æ ﬁ ① ²",
    # ASCII and the Latin blocks, one by one.
    "".join(chr(codigo) + " " for codigo in range(0x20, 0x250)) + UNEN,
    "".join(chr(codigo) for codigo in range(0x20, 0x250)),
    "",
]


@pytest.mark.parametrize("texto", TEXTOS)
def test_la_base_normaliza_como_python(texto):
    """The rule is one: isp_normalizar (PostgreSQL's, generated from it, or SQLite's, which
    is Python's) gives what isp_portal.busqueda.documento gives."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT isp_normalizar(%s)", [texto])
        assert cursor.fetchone()[0] == documento(texto)


CLAVES = ["exacto", "enteras", *(f"parcial{n}" for n in range(12)), "prefijo", "dentro"]


class TestOrden:
    """The issue's example: the whole razón social as it reads finds that client first, and
    a number matches from its start ("007" is not inside a RUC, a CID or an ERP code)."""

    TEXTO = "Minera Qollqa 007 S.A.C."

    @pytest.fixture
    def clientes(self):
        return {
            "exacto": ClienteCorpFactory(razon_social="Minera Qollqa 007 S.A.C."),
            # Every word whole, not as a phrase.
            "enteras": ClienteCorpFactory(razon_social="Qollqa Minera 007 SAC"),
            # Partial matches whose names sort first: a page of them without the ranking.
            **{
                f"parcial{n}": ClienteCorpFactory(
                    razon_social=f"Agro Minera Qollqa 0071 S.A.C. {n}"
                )
                for n in range(12)
            },
            "prefijo": ClienteCorpFactory(razon_social="Mineras Qollqa 007 S.A.C."),
            # "007" only inside its RUC, CID and ERP code: not a match.
            "dentro": ClienteCorpFactory(
                razon_social="Minera Qollqa S.A.C.",
                ruc="20100700711",
                cid="81007",
                cod_erp="ERP-1007",
            ),
        }

    def test_lista_de_clientes(self, lectura_client, clientes):
        response = lectura_client.get("/clientes_corporativo/", {"busqueda": self.TEXTO})
        assert response.context["paginator"].count == 15
        filas = list(response.context["object_list"])
        assert filas[:2] == [clientes["exacto"], clientes["enteras"]]
        # Then the partial matches in the list's order (razón social).
        parciales = [c for c in clientes.values() if c.razon_social.startswith(("Agro", "Mineras"))]
        esperados = sorted(parciales, key=lambda c: (c.razon_social, c.pk))[:8]
        assert filas[2:] == esperados
        assert clientes["dentro"] not in filas

    def test_la_api_y_la_caja_de_clientes(self, usuario_lectura, operador_client, clientes):
        api = cliente_con_token(usuario_lectura)
        datos = api.get("/v1/clientes-corporativo/listar", {"busqueda": self.TEXTO}).json()
        assert [c["id"] for c in datos["results"][:2]] == [
            clientes["exacto"].pk,
            clientes["enteras"].pk,
        ]
        contenido = operador_client.get(
            "/conexiones/clientes-buscar/", {"q": self.TEXTO}
        ).content.decode()
        assert contenido.index(f'value="{clientes["exacto"].pk}"') < contenido.index(
            f'value="{clientes["enteras"].pk}"'
        )

    def test_una_columna_elegida_manda(self, lectura_client, clientes):
        response = lectura_client.get(
            "/clientes_corporativo/", {"busqueda": self.TEXTO, "orden": "razon_social"}
        )
        nombres = [c.razon_social for c in response.context["object_list"]]
        assert nombres == sorted(nombres)

    def test_la_lista_de_conexiones(self, lectura_client, clientes):
        exacta = ConexionFactory(cliente=clientes["exacto"], locacion="Cusco - Wanchaq")
        for n in range(12):
            ConexionFactory(cliente=clientes[f"parcial{n}"])
        ConexionFactory(cliente=clientes["dentro"])
        response = lectura_client.get("/conexiones/", {"busqueda": self.TEXTO})
        filas = list(response.context["object_list"])
        assert filas[0] == exacta
        assert response.context["paginator"].count == 13

    @pytest.mark.parametrize(
        ("texto", "claves"),
        [
            ("007", {"exacto", "enteras", "prefijo"} | {f"parcial{n}" for n in range(12)}),
            ("sac 2010070", {"dentro"}),  # the RUC from its start
            ("sac 0700711", set()),
            ("ERP-1007", {"dentro"}),
            ("sac 1007", {"dentro"}),  # its ERP code's number from its start
            ("sac 81007", {"dentro"}),  # its CID
            ("sac", set(CLAVES)),
        ],
    )
    def test_un_numero_desde_su_inicio(self, lectura_client, clientes, texto, claves):
        assert set(todos(lectura_client, "/clientes_corporativo/", texto)) == {
            clientes[c].pk for c in claves
        }


def todos(client, url, texto) -> list[int]:
    """The pks of every page of a search, in order."""
    pks, pagina = [], 1
    while True:
        response = client.get(url, {"busqueda": texto, "page": pagina})
        pks += [obj.pk for obj in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return pks
        pagina += 1


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
            distrito="Ranrahirca",
            cliente=ClienteCorpFactory(razon_social="Clínica Huascarán S.A.", ruc="20131312955"),
            servicio=ServicioProveedorFactory(
                codigo="CIR-ANC-777", proveedor=ProveedorFactory(nombre="Optical Andes S.A.C.")
            ),
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
            "ranrahirca",  # its distrito
            "optical andes",  # its provider
            "andes sac quillo",
            "clinica huascaran sa",
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
        assert " x 1 " in self.documento(conexion) and "urubamba" in self.documento(conexion)

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
        assert "cir nuevo" in documento and "cir viejo" not in documento
        assert "nodo renombrado" in documento

    def test_renombrar_el_proveedor_o_cambiarlo(self):
        conexion = ConexionFactory(servicio__proveedor=ProveedorFactory(nombre="Carrier Viejo"))
        proveedor = conexion.servicio.proveedor
        proveedor.nombre = "Carrier Nuevo"
        proveedor.save()
        assert "carrier nuevo" in self.documento(conexion)
        servicio = conexion.servicio
        servicio.proveedor = ProveedorFactory(nombre="Otro Carrier")
        servicio.save()
        assert "otro carrier" in self.documento(conexion)
        assert "carrier nuevo" not in self.documento(conexion)

    def test_cambiar_el_distrito(self):
        conexion = ConexionFactory(distrito="Sullana")
        Conexion.objects.filter(pk=conexion.pk).update(distrito="Zarumilla")
        assert " zarumilla " in self.documento(conexion)
        assert "sullana" not in self.documento(conexion)

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


class TestMuchasCoincidencias:
    """More matches than a search counts (MAX_COINCIDENCIAS, lowered here): still the best
    first on every page. PostgreSQL takes the page rank by rank (isp_portal.busqueda.ordenar),
    walking the order's index for a rank many matches have and sorting one few have."""

    GRUPOS = {
        "frase": "Lima - Cercado",
        "enteras": "Cercado - Lima",
        "parcial": "Limatambo - Cercado",
    }

    @pytest.fixture
    def grupos(self, monkeypatch):
        monkeypatch.setattr("isp_portal.busqueda.MAX_COINCIDENCIAS", 20)
        base = ConexionFactory(
            locacion="Piura - Sullana",
            cliente=ClienteCorpFactory(razon_social="Transportes Norte S.A."),
            servicio__proveedor=ProveedorFactory(nombre="Carrier Uno"),
        )
        creadas = Conexion.objects.bulk_create(
            [
                Conexion(
                    cid_enlace=f"M-{n}-{i}",
                    cliente=base.cliente,
                    servicio=base.servicio,
                    nodo_a=base.nodo_a,
                    nodo_b=base.nodo_b,
                    tipo_enlace=base.tipo_enlace,
                    locacion=locacion,
                )
                for n in range(12)
                for i, locacion in enumerate(self.GRUPOS.values())
            ]
        )
        por_grupo = {
            grupo: sorted((c.pk for c in creadas if c.locacion == locacion), reverse=True)
            for grupo, locacion in self.GRUPOS.items()
        }
        return por_grupo

    @pytest.mark.parametrize("densa", [1, 10**6])  # every rank walked, every rank sorted
    @pytest.mark.parametrize(
        ("texto", "orden"),
        [
            ("lima cercado", [["frase"], ["enteras"], ["parcial"]]),
            ("LIMA", [["frase", "enteras"], ["parcial"]]),
            ("lim", [["frase", "enteras", "parcial"]]),
        ],
    )
    def test_el_orden_en_cada_pagina(
        self, usuario_lectura, lectura_client, grupos, monkeypatch, densa, texto, orden
    ):
        monkeypatch.setattr("isp_portal.busqueda.MUESTRA_DENSA", densa)
        esperados = [
            pk
            for rango in orden
            for pk in sorted(sum((grupos[g] for g in rango), []), reverse=True)
        ]
        api = cliente_con_token(usuario_lectura)
        with CaptureQueriesContext(connection) as consultas:
            datos = api.get("/v1/conexiones/listar", {"busqueda": texto, "limit": 100}).json()
        assert datos["mas_de"] is True
        assert [c["enlace_id"] for c in datos["results"]] == esperados
        if connection.vendor == "postgresql":
            assert any("UNION ALL" in c["sql"] for c in consultas.captured_queries)
        pagina = api.get("/v1/conexiones/listar", {"busqueda": texto, "offset": 10, "limit": 15})
        assert [c["enlace_id"] for c in pagina.json()["results"]] == esperados[10:25]
        response = lectura_client.get("/conexiones/", {"busqueda": texto, "page": 2})
        assert [c.pk for c in response.context["object_list"]] == esperados[10:20]

    def test_el_rango_denso_recorre_el_indice_del_orden(self, grupos, plan_postgres, monkeypatch):
        from conexiones.filters import ConexionFilterSet
        from conexiones.selectors import conexion_list
        from isp_portal import busqueda

        # The first 21 matches seen (the groups were written in turn): 14 with "lima" whole,
        # 7 partial.
        monkeypatch.setattr("isp_portal.busqueda.MUESTRA_DENSA", 10)
        filtro = ConexionFilterSet({"busqueda": "lima"}, queryset=conexion_list())
        ordenado = busqueda.ordenar(filtro.qs, ["-pk"])
        plan = plan_postgres(Conexion.objects.filter(pk__in=busqueda.ids(ordenado)[0:10]))
        # The whole-word rank walks the primary key backwards; the partial one is sorted.
        assert "Index Scan Backward using conexiones_conexion_pkey" in plan
        assert "conexion_busqueda_trgm" in plan
