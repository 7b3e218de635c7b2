"""Removing sedes, nodos, equipos and provider services from their pages: a confirmation
page that lists what refers to the object, a refusal in Spanish when it is in use, the
operator's permission (not the read-only role's), and the deletion in the history."""

import pytest
from django.urls import NoReverseMatch, reverse

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.models import Sede
from conexiones.factories import AjusteBWFactory, ConexionFactory, EquipoFactory, NodoFactory
from conexiones.models import Equipo, Nodo
from proveedores.factories import ServicioProveedorFactory
from tests.view_base import EntityViewTests

pytestmark = pytest.mark.django_db


def eliminar_url(obj) -> str:
    opts = obj._meta
    return reverse(f"{opts.app_label}:{opts.model_name}_delete", args=[obj.pk])


def eliminacion(obj):
    """The history row of the object's deletion, if any."""
    return type(obj).history.filter(id=obj.pk, history_type="-").first()


LIBRES = [
    (SedeFactory, lambda o: f"/clientes_corporativo/{o.cliente_id}/sedes/"),
    (NodoFactory, lambda o: "/nodos/"),
    (EquipoFactory, lambda o: "/equipos/"),
    (ServicioProveedorFactory, lambda o: "/proveedores/servicios/"),
]


@pytest.mark.parametrize(("factory", "lista"), LIBRES, ids=lambda x: getattr(x, "__name__", ""))
def test_confirmar_y_eliminar(operador_client, usuario_operador, factory, lista):
    obj = factory()
    url = eliminar_url(obj)
    confirmacion = operador_client.get(url)
    assert confirmacion.status_code == 200
    contenido = confirmacion.content.decode()
    assert f"¿Eliminar {obj._meta.verbose_name}" in contenido
    assert "Nada depende de" in contenido and 'id="confirmar-eliminar"' in contenido
    respuesta = operador_client.post(url)
    assert respuesta.status_code == 302 and respuesta["Location"] == lista(obj)
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    registro = eliminacion(obj)
    assert registro is not None and registro.history_user == usuario_operador
    # The list it was on names it among the recent deletions.
    pagina = operador_client.get(lista(obj)).content.decode()
    assert "Eliminados recientemente" in pagina
    assert "eliminado el" in pagina and "por operador" in pagina


def rechazo(client, obj, *textos):
    url = eliminar_url(obj)
    pagina = client.get(url)
    assert pagina.status_code == 200
    contenido = pagina.content.decode()
    assert "No se puede eliminar" in contenido and "está en uso" in contenido
    assert 'id="confirmar-eliminar"' not in contenido
    for texto in textos:
        assert texto in contenido
    assert client.post(url).status_code == 409
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert eliminacion(obj) is None


def test_nodo_en_una_conexion(operador_client):
    nodo = NodoFactory()
    conexiones = ConexionFactory.create_batch(12, nodo_a=nodo)
    ConexionFactory(nodo_b=nodo, cid_enlace="777001")
    rechazo(
        operador_client,
        nodo,
        "12 conexiones (nodo acceso A)",
        "1 conexión (nodo acceso B)",
        f'href="{conexiones[0].get_absolute_url()}"',
        "777001",
    )


def test_equipo_en_una_conexion(operador_client):
    conexion = ConexionFactory(cid_enlace="257001")
    equipo = EquipoFactory(conexion=conexion)
    rechazo(operador_client, equipo, "1 conexión", "257001")


def test_servicio_con_conexiones_o_con_ajustes(operador_client):
    servicio = ServicioProveedorFactory()
    ConexionFactory(servicio=servicio)
    rechazo(operador_client, servicio, "1 conexión (servicio del proveedor)")
    # A service whose connections moved away still carries ledger rows.
    otro = ServicioProveedorFactory()
    AjusteBWFactory(servicio=otro)
    rechazo(operador_client, otro, "1 ajuste de BW (servicio del proveedor)")


def test_lo_que_se_usa_entre_la_confirmacion_y_el_envio_no_se_elimina(operador_client):
    equipo = EquipoFactory()
    assert operador_client.get(eliminar_url(equipo)).status_code == 200
    equipo.conexion = ConexionFactory()
    equipo.save()
    assert operador_client.post(eliminar_url(equipo)).status_code == 409
    assert Equipo.objects.filter(pk=equipo.pk).exists()


@pytest.mark.parametrize("factory", [f for f, _ in LIBRES])
def test_lectura_no_puede_eliminar(lectura_client, client, factory):
    obj = factory()
    url = eliminar_url(obj)
    assert lectura_client.get(url).status_code == 403
    assert lectura_client.post(url).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert "Eliminar" not in lectura_client.get(obj.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(url)["Location"].startswith("/login/")


def test_el_operador_ve_eliminar_en_las_paginas(operador_client):
    nodo, equipo, servicio = NodoFactory(), EquipoFactory(), ServicioProveedorFactory()
    for obj in (nodo, equipo, servicio):
        assert eliminar_url(obj) in operador_client.get(obj.get_absolute_url()).content.decode()
    sede = SedeFactory()
    for url in (sede.get_absolute_url(), sede.cliente.get_absolute_url()):
        assert eliminar_url(sede) in operador_client.get(url).content.decode()


def test_los_clientes_se_desactivan_nunca_se_eliminan(operador_client, usuario_operador):
    cliente = ClienteCorpFactory()
    with pytest.raises(NoReverseMatch):
        reverse("clientes:clientecorp_delete", args=[cliente.pk])
    assert operador_client.get(f"/clientes_corporativo/{cliente.pk}/eliminar").status_code == 404
    assert not usuario_operador.has_perm("clientes.delete_clientecorp")
    assert not usuario_operador.has_perm("conexiones.delete_conexion")


def test_confirmacion_con_consultas_constantes(operador_client):
    nodo = NodoFactory()
    ConexionFactory.create_batch(2, nodo_a=nodo)
    url = eliminar_url(nodo)
    pocas = EntityViewTests().count_queries(operador_client, url)
    ConexionFactory.create_batch(20, nodo_a=nodo)
    ConexionFactory.create_batch(20, nodo_b=nodo)
    assert EntityViewTests().count_queries(operador_client, url) <= pocas + 2 <= 12


def test_eliminados_de_una_sede_solo_en_su_cliente(operador_client):
    sede, otra = SedeFactory(oficina="Sucursal Norte"), SedeFactory(oficina="Sucursal Sur")
    operador_client.post(eliminar_url(sede))
    operador_client.post(eliminar_url(otra))
    pagina = operador_client.get(f"/clientes_corporativo/{sede.cliente_id}/sedes/")
    assert [nombre for _, nombre in pagina.context["eliminados"]] == ["Sucursal Norte"]
    assert not Sede.objects.exists()


def test_el_nodo_eliminado_queda_en_el_historial_con_sus_datos(operador_client):
    nodo = NodoFactory(nombre="POP-VIEJO")
    operador_client.post(eliminar_url(nodo))
    registro = Nodo.history.get(history_type="-")
    assert registro.nombre == "POP-VIEJO" and registro.instance.pk == nodo.pk
