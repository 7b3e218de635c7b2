import pytest

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.models import ClienteCorp, Sede
from tests.view_base import EntityViewTests

pytestmark = pytest.mark.django_db


class TestClienteCorpViews(EntityViewTests):
    model = ClienteCorp
    list_url = "/clientes_corporativo/"
    add_url = "/clientes_corporativo/nuevo"

    def make(self, n):
        return ClienteCorpFactory.create_batch(n)

    def edit_url(self, obj):
        return f"/clientes_corporativo/{obj.pk}/editar"

    def form_data(self):
        return {"cid": "9001", "razon_social": "Minera Andina S.A.", "ruc": "20100017491"}

    def edit_data(self, obj):
        data = {
            "cid": obj.cid,
            "razon_social": "Nueva Razón S.A.C.",
            "ruc": obj.ruc,
            "is_active": "on",
        }
        return data, "razon_social", "Nueva Razón S.A.C."


class TestSedeViews(EntityViewTests):
    model = Sede
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

    def edit_data(self, obj):
        data = {
            "oficina": obj.oficina,
            "direccion": "Av. Nueva 123",
            "departamento": obj.departamento,
            "provincia": obj.provincia,
            "distrito": obj.distrito,
        }
        return data, "direccion", "Av. Nueva 123"
