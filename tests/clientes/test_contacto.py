"""The client's contact (teléfono, correo): validated, in the form, the admin, the detail
page, and the spreadsheet columns that export and import."""

import csv
import io

import pytest
from django.core.management import call_command

from clientes.factories import ClienteCorpFactory
from clientes.forms import ClienteCorpForm
from clientes.importacion import CLIENTE_COLUMNS
from clientes.models import ClienteCorp

pytestmark = pytest.mark.django_db


def datos(**cambios):
    base = {"cid": "9001", "razon_social": "Minera Andina S.A.", "ruc": "20100017491"}
    return base | cambios


@pytest.mark.parametrize("telefono", ["01 611 1111", "+51 (1) 611-1111", "987654321", ""])
def test_telefonos_validos(telefono):
    form = ClienteCorpForm(data=datos(telefono=telefono, correo="noc@andina.pe"))
    assert form.is_valid(), form.errors
    cliente = form.save()
    assert (cliente.telefono, cliente.correo) == (telefono, "noc@andina.pe")


@pytest.mark.parametrize(
    "telefono", ["abc", "12345", "+51 1234567890123456", "611 1111 x", "٠١ ٦١١ ١١١١"]
)
def test_telefonos_invalidos(telefono):
    form = ClienteCorpForm(data=datos(telefono=telefono))
    assert not form.is_valid()
    assert "teléfono de 6 a 15 dígitos" in form.errors["telefono"][0]


def test_correo_invalido():
    form = ClienteCorpForm(data=datos(correo="noc@"))
    assert not form.is_valid()
    assert form.errors["correo"] == ["Introduzca una dirección de correo electrónico válida."]


def test_formulario_y_detalle(operador_client):
    cliente = ClienteCorpFactory(telefono="01 611 1111", correo="noc@andina.pe")
    formulario = operador_client.get(f"/clientes_corporativo/{cliente.pk}/editar")
    assert "Teléfono del contacto" in formulario.content.decode()
    assert "Correo del contacto" in formulario.content.decode()
    detalle = operador_client.get(cliente.get_absolute_url()).content.decode()
    assert "01 611 1111" in detalle and "noc@andina.pe" in detalle


def test_admin(admin_client):
    cliente = ClienteCorpFactory(telefono="01 611 1111", correo="noc@andina.pe")
    lista = admin_client.get("/admin/clientes/clientecorp/").content.decode()
    assert "noc@andina.pe" in lista
    cambio = admin_client.get(f"/admin/clientes/clientecorp/{cliente.pk}/change/")
    assert 'name="telefono"' in cambio.content.decode()
    assert 'name="correo"' in cambio.content.decode()


def test_exporta_e_importa_el_contacto(lectura_client, tmp_path):
    assert {"telefono", "correo"} <= set(CLIENTE_COLUMNS)
    ClienteCorpFactory(ruc="20100017491", telefono="01 611 1111", correo="noc@andina.pe")
    respuesta = lectura_client.get("/clientes_corporativo/?exportar=csv")
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    filas = list(csv.DictReader(io.StringIO(texto)))
    assert (filas[0]["telefono"], filas[0]["correo"]) == ("01 611 1111", "noc@andina.pe")
    filas[0]["correo"] = "mesa@andina.pe"
    ruta = tmp_path / "clientes.csv"
    with open(ruta, "w", encoding="utf-8", newline="") as archivo:
        escritor = csv.DictWriter(archivo, fieldnames=list(filas[0]))
        escritor.writeheader()
        escritor.writerows(filas)
    call_command("importar", "clientes", str(ruta), stdout=io.StringIO())
    assert ClienteCorp.objects.get().correo == "mesa@andina.pe"


def test_importar_un_correo_invalido_es_un_error_de_la_fila(tmp_path):
    ruta = tmp_path / "clientes.csv"
    ruta.write_text(
        "cid,razon_social,ruc,telefono,correo\n9001,Andina S.A.,20100017491,abc,noc@\n",
        encoding="utf-8",
    )
    from django.core.management.base import CommandError

    salida = io.StringIO()
    with pytest.raises(CommandError):
        call_command("importar", "clientes", str(ruta), stdout=salida, stderr=salida)
    assert "telefono" in salida.getvalue() and "correo" in salida.getvalue()
    assert not ClienteCorp.objects.exists()
