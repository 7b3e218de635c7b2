"""A node with the clients a NOC meets: with and without e-mail, one with two connections,
one whose only connection is in BAJA, and a connection elsewhere."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory, NodoFactory
from mantenimientos.services import mantenimiento_crear


@dataclass
class Escenario:
    nodo: object
    minera: object  # two connections (A and B end), e-mail
    banco: object  # one active, one in BAJA, e-mail
    clinica: object  # no e-mail
    textil: object  # only a BAJA connection, e-mail
    ajena: object  # a connection on other nodes


@pytest.fixture
def escenario(db):
    nodo = NodoFactory(nombre="POP-SUR")
    minera = ClienteCorpFactory(razon_social="Minera Andina S.A.", correo="noc@minera.pe")
    banco = ClienteCorpFactory(razon_social="Banco del Sur S.A.", correo="redes@banco.pe")
    clinica = ClienteCorpFactory(razon_social="Clínica Huascarán S.A.C.", correo="")
    textil = ClienteCorpFactory(razon_social="Textil Baja S.A.", correo="ti@textil.pe")
    ConexionFactory(cliente=minera, cid_enlace="100001", nodo_a=nodo, locacion="Lima - Sede")
    ConexionFactory(cliente=minera, cid_enlace="100002", nodo_b=nodo)
    ConexionFactory(cliente=banco, cid_enlace="200001", nodo_a=nodo)
    ConexionFactory(cliente=banco, cid_enlace="200002", nodo_a=nodo, estado=EstadoConexion.BAJA)
    ConexionFactory(cliente=clinica, cid_enlace="300001", nodo_b=nodo)
    ConexionFactory(cliente=textil, cid_enlace="400001", nodo_a=nodo, estado=EstadoConexion.BAJA)
    ajena = ConexionFactory(cid_enlace="500001")
    return Escenario(nodo, minera, banco, clinica, textil, ajena)


def crear_ventana(objeto, *, tipo_objeto="nodo", horas=24, duracion=4, usuario=None, **kwargs):
    inicio = timezone.now() + timedelta(hours=horas)
    datos = {
        "tipo_objeto": tipo_objeto,
        "objeto_id": objeto.pk,
        "inicio": inicio,
        "fin": inicio + timedelta(hours=duracion),
        "tipo": "planificado",
        "descripcion": "Cambio de la tarjeta de línea del router de borde.",
        "usuario": usuario,
        **kwargs,
    }
    return mantenimiento_crear(**datos)


@pytest.fixture
def ventana(escenario, usuario_operador):
    return crear_ventana(escenario.nodo, usuario=usuario_operador)


@pytest.fixture
def lector(usuario_lectura):
    """A «NOC lectura» client of its own, beside operador_client (which takes `client`)."""
    from django.test import Client

    cliente = Client()
    cliente.force_login(usuario_lectura)
    return cliente
