import pytest

from clientes.factories import ClienteCorpFactory, SedeFactory
from tests.view_base import EntityViewTests

pytestmark = pytest.mark.django_db


class TestClienteCorpViews(EntityViewTests):
    factory = ClienteCorpFactory
    list_url = "/clientes_corporativo/"
    cambio = ("razon_social", "Nueva Razón S.A.C.")

    def form_data(self):
        return {"cid": "9001", "razon_social": "Minera Andina S.A.", "ruc": "20100017491"}


class TestSedeViews(EntityViewTests):
    factory = SedeFactory
    list_url = None

    def setup_method(self):
        self.cliente = None

    def make(self, n):
        if self.cliente is None:
            self.cliente = ClienteCorpFactory()
        return SedeFactory.create_batch(n, cliente=self.cliente)

    def get_list_url(self, objs):
        return f"/clientes_corporativo/{objs[0].cliente_id}/sedes/"

    @property
    def add_url(self):
        return f"/clientes_corporativo/{self.cliente.pk}/sedes/nueva" if self.cliente else None

    def detail_url(self, obj):
        return None

    def edit_url(self, obj):
        return f"/clientes_corporativo/sedes/{obj.pk}/editar"

    def row_marker(self, obj):
        return obj.oficina

    def form_data(self):
        return {
            "oficina": "Oficina Arequipa",
            "direccion": "Calle Mercaderes 120",
            "departamento": "Arequipa",
            "provincia": "Arequipa",
            "distrito": "Arequipa",
        }

    cambio = ("direccion", "Av. Nueva 123")
