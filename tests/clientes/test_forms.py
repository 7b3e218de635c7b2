import pytest

from clientes.factories import ClienteCorpFactory, SedeFactory
from clientes.forms import ClienteCorpForm, SedeForm
from clientes.models import ClienteCorp, Sede
from conexiones.factories import ConexionFactory

pytestmark = pytest.mark.django_db


def datos(**cambios):
    base = {"cid": "9001", "razon_social": "Minera Andina S.A.", "ruc": "20100017491"}
    return base | cambios


def test_ruc_con_digito_verificador_malo():
    form = ClienteCorpForm(data=datos(ruc="20100017492"))
    assert not form.is_valid()
    assert "RUC" in " ".join(form.errors["ruc"])


@pytest.mark.parametrize("ruc", ["٢٠١٠٠٠١٧٤٩١", "2010001749O"])
def test_ruc_solo_con_digitos_ascii(ruc):
    form = ClienteCorpForm(data=datos(ruc=ruc))
    assert not form.is_valid()
    assert form.errors["ruc"] == ["El RUC solo admite dígitos del 0 al 9."]


def test_ruc_con_espacios_se_guarda_compacto():
    form = ClienteCorpForm(data=datos(ruc="201 000 174 91"))
    assert form.is_valid(), form.errors
    assert form.save().ruc == "20100017491"


@pytest.mark.parametrize(("campo", "valor"), [("ruc", "20100017491"), ("cid", "9001")])
def test_duplicado_nombra_al_cliente(campo, valor):
    ClienteCorpFactory(razon_social="Pesquera Norte", **{campo: valor})
    form = ClienteCorpForm(data=datos())
    assert not form.is_valid()
    assert "Pesquera Norte" in form.errors[campo][0]


def test_is_active_solo_al_editar():
    assert "is_active" not in ClienteCorpForm().fields
    assert "is_active" in ClienteCorpForm(instance=ClienteCorpFactory()).fields


def sede_datos(**cambios):
    base = {
        "oficina": "Principal", "locacion": "Cusco", "direccion": "Av. Sol 100",
        "departamento": "Cusco", "provincia": "Cusco", "distrito": "Cusco",
    }
    return base | cambios


def test_sede_sin_direccion():
    form = SedeForm(data=sede_datos(direccion=""), instance=Sede(cliente=ClienteCorpFactory()))
    assert not form.is_valid()
    assert "direccion" in form.errors


def test_sede_provincia_de_otro_departamento():
    form = SedeForm(data=sede_datos(provincia="Arequipa"),
                    instance=Sede(cliente=ClienteCorpFactory()))
    assert not form.is_valid()
    assert "provincia" in form.errors


def test_editar_sede_solo_guarda_lo_cambiado(operador_client):
    sede = SedeFactory()
    url = f"/clientes_corporativo/sedes/{sede.pk}/editar"
    html = operador_client.get(url).content.decode()
    assert 'name="initial-oficina"' in html
    inicial = {
        "oficina": sede.oficina, "locacion": sede.locacion, "direccion": sede.direccion,
        "departamento": sede.departamento, "provincia": sede.provincia,
        "distrito": sede.distrito,
    }
    Sede.objects.filter(pk=sede.pk).update(direccion="Cambiada por otro")
    post = dict(inicial, oficina="Renombrada")
    post |= {f"initial-{k}": v for k, v in inicial.items()}
    response = operador_client.post(url, post)
    assert response.status_code == 302
    sede.refresh_from_db()
    assert sede.oficina == "Renombrada"
    assert sede.direccion == "Cambiada por otro"


def test_admin_no_borra_cliente_con_conexiones_y_desactiva(admin_client):
    conexion = ConexionFactory()
    cliente = conexion.cliente
    url = f"/admin/clientes/clientecorp/{cliente.pk}/delete/"
    admin_client.post(url, {"post": "yes"}, follow=True)
    assert ClienteCorp.objects.filter(pk=cliente.pk).exists()
    admin_client.post(
        "/admin/clientes/clientecorp/",
        {"action": "desactivar", "_selected_action": [cliente.pk]},
    )
    cliente.refresh_from_db()
    assert cliente.is_active is False
