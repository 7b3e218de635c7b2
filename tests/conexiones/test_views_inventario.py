"""Nodos and equipos pages."""

import pytest

from conexiones.choices import EstadoConexion, TipoEquipo, TipoNodo
from conexiones.factories import ConexionFactory, EquipoFactory, NodoFactory
from conexiones.filters import EquipoFilterSet, NodoFilterSet
from conexiones.models import Nodo
from tests.view_base import EntityViewTests

pytestmark = pytest.mark.django_db


class TestNodoViews(EntityViewTests):
    factory = NodoFactory
    list_url = "/nodos/"
    cambio = ("tipo", TipoNodo.TORRE)

    def row_marker(self, obj):
        return obj.nombre

    def form_data(self):
        return {
            "nombre": "POP Arequipa Centro",
            "tipo": TipoNodo.POP,
            "departamento": "Arequipa",
            "provincia": "Arequipa",
            "distrito": "Arequipa",
            "direccion": "Calle Mercaderes 120",
        }



class TestEquipoViews(EntityViewTests):
    factory = EquipoFactory
    list_url = "/equipos/"
    cambio = ("modelo", "CCR2116")

    def make(self, n):
        equipos = EquipoFactory.create_batch(n)
        # Half of them on a connection, so the list shows both kinds of row.
        for equipo in equipos[::2]:
            equipo.conexion = ConexionFactory()
            equipo.save(update_fields=["conexion"])
        return equipos

    def row_marker(self, obj):
        return obj.serie

    def form_data(self):
        return {"tipo": TipoEquipo.ONT, "marca": "Huawei", "modelo": "HG8245H", "serie": "HW-1"}


def test_detalle_de_nodo_cuenta_sus_conexiones(lectura_client):
    nodo = NodoFactory()
    ConexionFactory(nodo_a=nodo, estado=EstadoConexion.ACTIVO)
    ConexionFactory(nodo_a=nodo, estado=EstadoConexion.DOWN)
    ConexionFactory(nodo_b=nodo, estado=EstadoConexion.ACTIVO)
    ConexionFactory()
    response = lectura_client.get(f"/nodos/{nodo.pk}/")
    assert response.context["uso"] == {"como_a": 2, "como_b": 1, "activas": 2}
    assert f"/nodos/{nodo.pk}/impacto" in response.content.decode()


def test_nodo_con_nombre_repetido(operador_client):
    NodoFactory(nombre="POP-LIMA")
    response = operador_client.post("/nodos/nuevo", {"nombre": "POP-LIMA", "tipo": "POP"})
    assert response.status_code == 200
    assert "Ya existe un nodo con este nombre." in response.content.decode()
    assert Nodo.objects.count() == 1


def test_nodo_con_departamento_inexistente(operador_client):
    response = operador_client.post(
        "/nodos/nuevo", {"nombre": "N1", "tipo": "POP", "departamento": "Atlantis"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["departamento"]
    assert not Nodo.objects.exists()


def filtrados(filterset_class, params) -> set:
    filtro = filterset_class(params, queryset=filterset_class._meta.model.objects.all())
    assert filtro.is_valid(), filtro.errors
    return set(filtro.qs)


def test_filtros_de_nodos():
    pop = NodoFactory(nombre="POP San Isidro", tipo=TipoNodo.POP, direccion="Av. Javier Prado")
    torre = NodoFactory(
        nombre="Torre Cusco",
        tipo=TipoNodo.TORRE,
        departamento="Cusco",
        provincia="Cusco",
        distrito="Cusco",
        direccion="Cerro Picchu",
    )

    def filtrar(**params):
        return filtrados(NodoFilterSet, params)

    assert filtrar(busqueda="san isidro") == {pop}
    assert filtrar(busqueda="picchu") == {torre}
    assert filtrar(tipo=TipoNodo.TORRE) == {torre}
    assert filtrar(departamento="Lima") == {pop}


def test_filtros_de_equipos():
    libre = EquipoFactory(tipo=TipoEquipo.ONT, marca="Huawei", modelo="HG8245H", serie="HW-77")
    puesto = EquipoFactory(marca="MikroTik", serie="MK-1", conexion=ConexionFactory())

    def filtrar(**params):
        return filtrados(EquipoFilterSet, params)

    assert filtrar(asignado="si") == {puesto}
    assert filtrar(asignado="no") == {libre}
    assert filtrar(busqueda="hw-77") == {libre}
    assert filtrar(busqueda="mikrotik") == {puesto}
    assert filtrar(busqueda="hg8245") == {libre}
    assert filtrar(busqueda="ont") == {libre}


def test_lista_de_equipos_enlaza_la_conexion(lectura_client):
    conexion = ConexionFactory()
    EquipoFactory(conexion=conexion)
    EquipoFactory(serie="LIBRE-1")
    contenido = lectura_client.get("/equipos/").content.decode()
    assert f'href="{conexion.get_absolute_url()}"' in contenido
    assert "No asignado" in contenido


def test_editar_equipo_no_cambia_su_conexion(operador_client):
    conexion = ConexionFactory()
    equipo = EquipoFactory(conexion=conexion)
    respuesta = operador_client.get(f"/equipos/{equipo.pk}/editar")
    assert conexion.cid_enlace in respuesta.content.decode()
    assert "conexion" not in respuesta.context["form"].fields
    data = {
        "tipo": equipo.tipo,
        "marca": equipo.marca,
        "modelo": equipo.modelo,
        "serie": equipo.serie,
        "conexion": "",
    }
    assert operador_client.post(f"/equipos/{equipo.pk}/editar", data).status_code == 302
    equipo.refresh_from_db()
    assert equipo.conexion_id == conexion.pk


def test_equipo_con_serie_repetida(operador_client):
    EquipoFactory(serie="SN-DUP")
    data = {"tipo": TipoEquipo.ROUTER, "marca": "Cisco", "modelo": "ISR", "serie": "SN-DUP"}
    response = operador_client.post("/equipos/nuevo", data)
    assert response.status_code == 200
    assert "Ya existe un equipo con este número de serie." in response.content.decode()
