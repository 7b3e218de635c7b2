"""The back office: every registered model's pages open for a superuser in bounded queries."""

import copy
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.models import ClienteCorp
from conexiones.choices import ModoAjuste
from conexiones.factories import (
    AjusteProgramadoFactory,
    ConexionFactory,
    EquipoFactory,
    NodoFactory,
)
from conexiones.models import AjusteBW, Conexion
from proveedores.factories import ProveedorFactory, ServicioProveedorFactory
from tests.conftest import filas_compartidas

pytestmark = pytest.mark.django_db

MODELOS = sorted(admin.site._registry, key=lambda m: m._meta.label)
PAGINAS = ["changelist", "add", "change"]
# One bound for every page; it must hold with 3 rows and with 30.
MAX_CONSULTAS = 20


def etiqueta(modelo) -> str:
    return modelo._meta.label_lower


# Change pages whose inlines run one query per inline row (product bugs, see reasons).
N_MAS_1: dict[str, str] = {}


def casos(paginas, filas=(None,)):
    """(modelo, pagina[, filas]) parameters, the known N+1 change pages marked xfail."""
    for modelo in MODELOS:
        for pagina in paginas:
            for n in filas:
                valores = (modelo, pagina) if n is None else (modelo, pagina, n)
                marcas = []
                if pagina == "change" and etiqueta(modelo) in N_MAS_1 and (n is None or n > 3):
                    marcas = [pytest.mark.xfail(strict=True, reason=N_MAS_1[etiqueta(modelo)])]
                yield pytest.param(
                    *valores,
                    marks=marcas,
                    id="-".join(str(v) for v in (etiqueta(modelo), pagina, n) if v is not None),
                )


class Escenario:
    """One object per model to open, plus `agregar(n)` rows around it (lists and inlines)."""

    def __init__(self, django_user_model):
        self.User = django_user_model
        self.superusuario = django_user_model.objects.create_superuser(
            "jefe", password="clave-segura-1"
        )
        self.cliente = ClienteCorpFactory()
        self.proveedor = ProveedorFactory()
        self.servicio = ServicioProveedorFactory(proveedor=self.proveedor)
        self.conexion = ConexionFactory(cliente=self.cliente, servicio=self.servicio)
        self.grupo = Group.objects.create(name="Escenario")
        self.filas = 0
        self.objetos = {
            "auth.user": self.superusuario,
            "auth.group": self.grupo,
            "clientes.clientecorp": self.cliente,
            "clientes.sede": None,
            "proveedores.proveedor": self.proveedor,
            "proveedores.servicioproveedor": self.servicio,
            "conexiones.nodo": self.conexion.nodo_a,
            "conexiones.conexion": self.conexion,
            "conexiones.equipo": None,
            "conexiones.ajustebw": None,
            "conexiones.ajusteprogramado": None,
        }

    def agregar(self, n: int) -> None:
        """n more rows of every model, on the lists and in the change pages' inlines."""
        inicio = self.filas
        usuarios = [
            self.User.objects.create_user(f"usuario{inicio + i}", password="x") for i in range(n)
        ]
        for usuario in usuarios:
            usuario.groups.add(self.grupo)
        Group.objects.bulk_create([Group(name=f"Grupo {inicio + i}") for i in range(n)])
        sedes = SedeFactory.create_batch(n, cliente=self.cliente)
        ClienteCorpFactory.create_batch(n)
        servicios = ServicioProveedorFactory.create_batch(n, proveedor=self.proveedor)
        ProveedorFactory.create_batch(n)
        nodo_a, nodo_b = NodoFactory(), NodoFactory()
        NodoFactory.create_batch(n)
        for servicio in servicios:
            ConexionFactory(servicio=servicio, nodo_a=nodo_a, nodo_b=nodo_b)
        equipos = EquipoFactory.create_batch(n, conexion=self.conexion)
        ajustes = AjusteBW.objects.bulk_create(
            AjusteBW(
                conexion=self.conexion,
                servicio=self.servicio,
                modo=ModoAjuste.AUMENTAR,
                mbps=1,
                bw_anterior=100,
                bw_resultante=101,
                servicio_disponible_anterior=500,
                servicio_disponible_resultante=499,
                motivo=f"ajuste {i}",
                usuario=usuarios[i],
            )
            for i in range(n)
        )
        self.objetos["clientes.sede"] = self.objetos["clientes.sede"] or sedes[0]
        self.objetos["conexiones.equipo"] = self.objetos["conexiones.equipo"] or equipos[0]
        self.objetos["conexiones.ajustebw"] = self.objetos["conexiones.ajustebw"] or ajustes[0]
        programados = AjusteProgramadoFactory.create_batch(
            n, conexion=self.conexion, usuario=usuarios[0]
        )
        self.objetos["conexiones.ajusteprogramado"] = (
            self.objetos["conexiones.ajusteprogramado"] or programados[0]
        )
        self._mantenimientos(n, nodo_a, usuarios[0])
        self._eventos_de_login(n)
        self.filas += n

    def _mantenimientos(self, n: int, nodo, usuario) -> None:
        """n maintenance windows on `nodo`; the first one with n affected connections and n
        notices (its inlines)."""
        from mantenimientos.models import ConexionAfectada, Notificacion
        from mantenimientos.services import mantenimiento_crear

        inicio = timezone.now() + timedelta(days=1)
        ventanas = [
            mantenimiento_crear(
                tipo_objeto="nodo",
                objeto_id=nodo.pk,
                inicio=inicio,
                fin=inicio + timedelta(hours=2),
                tipo="planificado",
                descripcion=f"ventana {self.filas + i}",
                usuario=usuario,
            )
            for i in range(n)
        ]
        ventana = self.objetos.setdefault("mantenimientos.mantenimiento", ventanas[0])
        conexiones = list(nodo.conexiones_a.select_related("cliente")[:n])
        ConexionAfectada.objects.bulk_create(
            ConexionAfectada(
                mantenimiento=ventana, conexion=c, cid_enlace=c.cid_enlace, cliente=c.cliente
            )
            for c in conexiones
        )
        Notificacion.objects.bulk_create(
            Notificacion(
                mantenimiento=ventana,
                cliente=c.cliente,
                tipo="aviso",
                version=1,
                correo="noc@example.pe",
                cids=c.cid_enlace,
            )
            for c in conexiones
        )

    def _eventos_de_login(self, n: int) -> None:
        """Rows of the login-audit models (django-axes), when that app is installed."""
        if not apps.is_installed("axes"):
            return
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        comunes = [
            {
                "username": f"usuario{self.filas + i}",
                "ip_address": f"10.0.{i // 250}.{i % 250 + 1}",
                "user_agent": "pytest",
                "http_accept": "text/html",
                "path_info": "/login/",
            }
            for i in range(n)
        ]
        AccessAttempt.objects.bulk_create(
            AccessAttempt(**c, get_data="", post_data="", failures_since_start=1) for c in comunes
        )
        AccessFailureLog.objects.bulk_create(AccessFailureLog(**c) for c in comunes)
        AccessLog.objects.bulk_create(AccessLog(**c) for c in comunes)

    def objeto(self, modelo):
        """The object whose change page is opened: a known one, else the model's first row."""
        objeto = (
            self.objetos.get(etiqueta(modelo)) or modelo._default_manager.order_by("pk").first()
        )
        assert objeto is not None, (
            f"{etiqueta(modelo)} no tiene filas: agregue cómo crearlas en Escenario.agregar"
        )
        return objeto

    def url(self, modelo, pagina: str) -> str:
        nombre = f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}_{pagina}"
        if pagina == "change":
            return reverse(nombre, args=[self.objeto(modelo).pk])
        return reverse(nombre)

    def estado_esperado(self, modelo, pagina: str) -> int:
        """200, or 403 where the ModelAdmin itself refuses the page (an append-only log)."""
        peticion = RequestFactory().get("/admin/")
        peticion.user = self.superusuario
        modelo_admin = admin.site._registry[modelo]
        if pagina == "add":
            permitido = modelo_admin.has_add_permission(peticion)
        elif pagina == "change":
            permitido = modelo_admin.has_view_or_change_permission(peticion, self.objeto(modelo))
        else:
            permitido = modelo_admin.has_view_or_change_permission(peticion)
        return 200 if permitido else 403


# Built once: the scenario for the module, and its rows once for each class that asks for
# them (FILAS); each test gets a copy, and its own savepoint (tests/conftest.py).
@pytest.fixture(scope="module")
def escenario_del_modulo(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    with filas_compartidas(django_db_blocker):
        with django_db_blocker.unblock():
            escenario = Escenario(get_user_model())
        yield escenario


@pytest.fixture(scope="class")
def escenario_de_la_clase(request, escenario_del_modulo, django_db_blocker):
    """The scenario after `agregar(FILAS)`, FILAS being the test class's."""
    with filas_compartidas(django_db_blocker):
        escenario = copy.deepcopy(escenario_del_modulo)
        with django_db_blocker.unblock():
            escenario.agregar(request.cls.FILAS)
        yield escenario


@pytest.fixture
def escenario(db, escenario_del_modulo):
    return copy.deepcopy(escenario_del_modulo)


@pytest.fixture
def escenario_con_filas(db, escenario_de_la_clase):
    return copy.deepcopy(escenario_de_la_clase)


@pytest.fixture
def admin_client(client, escenario):
    client.force_login(escenario.superusuario)
    return client


def test_todos_los_modelos_del_dominio_estan_en_el_admin():
    registrados = {etiqueta(m) for m in MODELOS}
    assert {
        "clientes.clientecorp",
        "clientes.sede",
        "proveedores.proveedor",
        "proveedores.servicioproveedor",
        "conexiones.nodo",
        "conexiones.conexion",
        "conexiones.equipo",
        "conexiones.ajustebw",
    } <= registrados


def test_el_ledger_no_tiene_pagina_de_alta(escenario):
    assert escenario.estado_esperado(AjusteBW, "add") == 403


class PaginasAbren:
    def test_pagina_abre_en_consultas_acotadas(
        self, admin_client, escenario_con_filas, modelo, pagina, filas,
        django_assert_max_num_queries,
    ):
        escenario = escenario_con_filas
        assert escenario.filas == filas
        url = escenario.url(modelo, pagina)
        with django_assert_max_num_queries(MAX_CONSULTAS):
            respuesta = admin_client.get(url)
        assert respuesta.status_code == escenario.estado_esperado(modelo, pagina), url


class TestPaginasCon3Filas(PaginasAbren):
    FILAS = 3
    pytestmark = pytest.mark.parametrize(
        ("modelo", "pagina", "filas"), list(casos(PAGINAS, filas=(FILAS,)))
    )


class TestPaginasCon30Filas(PaginasAbren):
    FILAS = 30
    pytestmark = pytest.mark.parametrize(
        ("modelo", "pagina", "filas"), list(casos(PAGINAS, filas=(FILAS,)))
    )


def consultas_de_cada_pagina(escenario, paginas) -> dict:
    """{(modelo, pagina): (status, queries) or the exception}, each page opened twice by a
    new session (the first warms caches: content types, session) and the second counted."""
    from django.test import Client

    medidas = {}
    for modelo in MODELOS:
        for pagina in paginas:
            cliente = Client()
            cliente.force_login(escenario.superusuario)
            url = escenario.url(modelo, pagina)
            try:
                cliente.get(url)
                with CaptureQueriesContext(connection) as consultas:
                    estado = cliente.get(url).status_code
                medidas[modelo, pagina] = (estado, len(consultas))
            except Exception as exc:  # raised again by the page's own test
                medidas[modelo, pagina] = exc
    return medidas


@pytest.fixture(scope="class")
def de_3_a_30_filas(escenario_del_modulo, django_db_blocker):
    """Every page counted once with 3 rows; then the scenario with 27 more for the tests."""
    with filas_compartidas(django_db_blocker):
        escenario = copy.deepcopy(escenario_del_modulo)
        with django_db_blocker.unblock():
            escenario.agregar(3)
            con_3 = consultas_de_cada_pagina(escenario, ["changelist", "change"])
            escenario.agregar(27)
        yield escenario, con_3


class TestConsultasNoCrecen:
    """In a class, so the 30 rows go when its tests end (de_3_a_30_filas: class scope)."""

    @pytest.mark.parametrize(("modelo", "pagina"), list(casos(["changelist", "change"])))
    def test_consultas_no_crecen_con_las_filas(
        self, db, admin_client, de_3_a_30_filas, modelo, pagina
    ):
        escenario, con_3 = copy.deepcopy(de_3_a_30_filas[0]), de_3_a_30_filas[1]
        medida = con_3[modelo, pagina]
        if isinstance(medida, Exception):
            raise medida
        estado_3, consultas_3 = medida
        url = escenario.url(modelo, pagina)
        esperado = escenario.estado_esperado(modelo, pagina)
        assert estado_3 == esperado
        admin_client.get(url)  # warm caches the same way as the count with 3 rows
        with CaptureQueriesContext(connection) as con_30:
            assert admin_client.get(url).status_code == esperado
        assert len(con_30) == consultas_3, "\n".join(q["sql"] for q in con_30.captured_queries)


def test_la_lista_muestra_las_filas(admin_client, escenario):
    escenario.agregar(30)
    respuesta = admin_client.get(reverse("admin:conexiones_conexion_changelist"))
    assert respuesta.status_code == 200
    assert respuesta.context["cl"].result_count == Conexion.objects.count() == 31


class TestBusqueda:
    def test_cliente_por_ruc(self, admin_client):
        buscado = ClienteCorpFactory(ruc="20100017491", razon_social="Telefónica del Perú")
        ClienteCorpFactory.create_batch(3)
        respuesta = admin_client.get(
            reverse("admin:clientes_clientecorp_changelist"), {"q": "20100017491"}
        )
        assert respuesta.status_code == 200
        assert list(respuesta.context["cl"].result_list) == [buscado]

    def test_cliente_por_razon_social(self, admin_client):
        buscado = ClienteCorpFactory(razon_social="Minera Huascarán S.A.")
        ClienteCorpFactory.create_batch(3, razon_social="Otra S.A.C.")
        respuesta = admin_client.get(
            reverse("admin:clientes_clientecorp_changelist"), {"q": "huascarán"}
        )
        assert list(respuesta.context["cl"].result_list) == [buscado]

    def test_conexion_por_cid(self, admin_client, escenario):
        escenario.agregar(3)
        respuesta = admin_client.get(
            reverse("admin:conexiones_conexion_changelist"),
            {"q": escenario.conexion.cid_enlace},
        )
        assert list(respuesta.context["cl"].result_list) == [escenario.conexion]


def rechazo_explicado(respuesta) -> bool:
    """The admin said why: Django's protected-objects page or an error message."""
    from django.contrib.messages import ERROR

    protegidos = (respuesta.context or {}).get("protected")
    errores = [m for m in respuesta.context.get("messages", []) if m.level == ERROR]
    return bool(protegidos or errores)


class TestBorrado:
    def test_cliente_con_conexiones_no_se_borra(self, admin_client, escenario):
        url = reverse("admin:clientes_clientecorp_delete", args=[escenario.cliente.pk])
        for respuesta in (
            admin_client.get(url, follow=True),
            admin_client.post(url, {"post": "yes"}, follow=True),
        ):
            assert respuesta.status_code == 200
            assert rechazo_explicado(respuesta)
            assert ClienteCorp.objects.filter(pk=escenario.cliente.pk).exists()

    def test_cliente_con_conexiones_no_se_borra_desde_la_accion(self, admin_client, escenario):
        respuesta = admin_client.post(
            reverse("admin:clientes_clientecorp_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [escenario.cliente.pk],
                "post": "yes",
            },
            follow=True,
        )
        assert respuesta.status_code == 200
        assert ClienteCorp.objects.filter(pk=escenario.cliente.pk).exists()

    def test_cliente_sin_conexiones_si_se_borra(self, admin_client):
        cliente = SedeFactory().cliente
        respuesta = admin_client.post(
            reverse("admin:clientes_clientecorp_delete", args=[cliente.pk]), {"post": "yes"}
        )
        assert respuesta.status_code == 302
        assert not ClienteCorp.objects.filter(pk=cliente.pk).exists()

    def test_el_ledger_no_se_edita_ni_se_borra(self, admin_client, escenario):
        escenario.agregar(1)
        ajuste = escenario.objetos["conexiones.ajustebw"]
        cambio = admin_client.post(
            reverse("admin:conexiones_ajustebw_change", args=[ajuste.pk]), {"mbps": 999}
        )
        assert cambio.status_code == 403
        borrado = admin_client.post(
            reverse("admin:conexiones_ajustebw_delete", args=[ajuste.pk]), {"post": "yes"}
        )
        assert borrado.status_code == 403
        ajuste.refresh_from_db()
        assert ajuste.mbps == 1


# django-axes and django-simple-history ship no Spanish: their pages read in Spanish with the
# project's catalog (locale/es).
INGLES = ["Change history", "Date/time", "Changed by", "Change reason", "access attempts",
          "Attempt Time", "IP Address", "Failed Logins", "Choose a date from the list"]


@pytest.mark.parametrize(
    "url",
    [
        lambda e: reverse("admin:clientes_clientecorp_history", args=[e.cliente.pk]),
        lambda e: reverse("admin:conexiones_conexion_history", args=[e.conexion.pk]),
        lambda e: reverse("admin:axes_accessattempt_changelist"),
        lambda e: reverse("admin:axes_accesslog_changelist"),
        lambda e: reverse("admin:axes_accessfailurelog_changelist"),
    ],
    ids=["historial-cliente", "historial-conexion", "intentos", "accesos", "fallos"],
)
def test_paginas_de_historial_y_de_accesos_en_espanol(admin_client, escenario, url):
    respuesta = admin_client.get(url(escenario))
    assert respuesta.status_code == 200
    texto = respuesta.content.decode()
    assert [frase for frase in INGLES if frase in texto] == []
