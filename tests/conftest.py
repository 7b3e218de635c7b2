"""Fixtures shared by the whole suite: users and logged-in clients for each role."""

import copy
import os
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group, Permission
from hypothesis import settings as hypothesis_settings

from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR, asegurar_grupos

# CI replays the same examples each run (a red run must be reproducible, not luck); a
# developer's `make test` keeps exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def usuario_con_rol(django_user_model, username: str, grupo: str):
    """A user in a NOC role; groups are re-created since transactional tests flush them."""
    asegurar_grupos(Group, Permission)
    usuario = django_user_model.objects.create_user(username=username, password="clave-segura-1")
    usuario.groups.add(Group.objects.get(name=grupo))
    return usuario


@contextmanager
def filas_compartidas(django_db_blocker):
    """Rows built once for many tests, as Django's setUpTestData: a fixture of module or class
    scope builds them inside this block (with `django_db_blocker.unblock()`), and they stay in
    an open transaction while its tests run, each test in its own savepoint inside it; they
    are rolled back after the last one. Not for tests with transaction=True (they commit)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        bloque = transaction.atomic()
        bloque._from_testcase = True  # as TestCase's: durable blocks inside tests still work
        bloque.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            bloque.__exit__(None, None, None)


@pytest.fixture(scope="module")
def datos_del_modulo(django_db_setup, django_db_blocker):
    """One of every object (rutas.crear_datos), built once for a module whose tests walk the
    routes with them."""
    from tests.isp_portal.rutas import crear_datos

    with filas_compartidas(django_db_blocker):
        with django_db_blocker.unblock():
            datos = crear_datos()
        yield datos


@pytest.fixture
def datos_de_rutas(db, datos_del_modulo):
    """{model label: object} of crear_datos(), a copy for the test (which may change them)."""
    return copy.deepcopy(datos_del_modulo)


@pytest.fixture
def usuario_lectura(db, django_user_model):
    return usuario_con_rol(django_user_model, "lectura", GRUPO_LECTURA)


@pytest.fixture
def usuario_operador(db, django_user_model):
    return usuario_con_rol(django_user_model, "operador", GRUPO_OPERADOR)


@pytest.fixture
def lectura_client(client, usuario_lectura):
    client.force_login(usuario_lectura)
    return client


@pytest.fixture
def operador_client(client, usuario_operador):
    client.force_login(usuario_operador)
    return client


@pytest.fixture
def es_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def plan_postgres(es_postgres):
    """EXPLAIN of a queryset on PostgreSQL with sequential scans discouraged, to show which
    index can serve it (tiny test tables would otherwise always be scanned)."""
    from django.db import connection, transaction

    if not es_postgres:
        pytest.skip("planes de PostgreSQL")

    def plan(queryset) -> str:
        sql, params = queryset.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(fila[0] for fila in cursor.fetchall())

    return plan
