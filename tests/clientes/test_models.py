"""ClienteCorp and Sede: field validation, uniqueness and the ubigeo pair rule."""

import pytest

from clientes.factories import ClienteCorpFactory, SedeFactory
from tests.validacion import errores

pytestmark = pytest.mark.django_db

RUC_VALIDO = "20100017491"  # Telefónica del Perú S.A.A.


class TestRuc:
    def test_ruc_valido(self):
        cliente = ClienteCorpFactory.build(ruc=RUC_VALIDO)
        assert errores(cliente) == {}

    def test_ruc_con_digito_verificador_incorrecto(self):
        cliente = ClienteCorpFactory.build(ruc="20100017492")
        assert errores(cliente) == {
            "ruc": ["El RUC 20100017492 no es válido: su dígito verificador no corresponde."]
        }

    def test_ruc_de_diez_digitos(self):
        cliente = ClienteCorpFactory.build(ruc="2010001749")
        assert errores(cliente) == {"ruc": ["El RUC debe tener 11 dígitos (tiene 10)."]}

    def test_ruc_de_doce_digitos(self):
        cliente = ClienteCorpFactory.build(ruc="201000174910")
        mensajes = errores(cliente)["ruc"]
        assert "El RUC debe tener 11 dígitos (tiene 12)." in mensajes

    @pytest.mark.parametrize("ruc", ["2010001749A", "RUC20100017", "abcdefghijk"])
    def test_ruc_con_letras_se_rechaza(self, ruc):
        cliente = ClienteCorpFactory.build(ruc=ruc)
        mensajes = errores(cliente)["ruc"]
        assert len(mensajes) == 1
        assert mensajes[0].startswith("El RUC")

    def test_ruc_con_letras_dice_que_solo_admite_digitos(self):
        cliente = ClienteCorpFactory.build(ruc="2010001749A")
        (mensaje,) = errores(cliente)["ruc"]
        assert "(tiene 11)" not in mensaje
        assert "dígitos" in mensaje

    def test_ruc_vacio_es_obligatorio(self):
        cliente = ClienteCorpFactory.build(ruc="")
        assert "ruc" in errores(cliente)

    def test_editar_el_mismo_cliente_no_choca_con_su_propio_ruc(self):
        cliente = ClienteCorpFactory(ruc=RUC_VALIDO)
        cliente.razon_social = "Otro nombre S.A.C."
        assert errores(cliente) == {}


class TestCid:


    # Digits of other scripts too: `\d` took them, and the connections' CIDs inherited them.
    @pytest.mark.parametrize("cid", ["25A", "257-1", " 257", "2 57", "٣٣٣", "257\n"])
    def test_cid_solo_digitos(self, cid):
        cliente = ClienteCorpFactory.build(cid=cid)
        assert errores(cliente)["cid"] == ["El CID solo admite dígitos del 0 al 9."]

    def test_los_digitos_de_ancho_completo_se_guardan_en_ascii(self):
        cliente = ClienteCorpFactory.build(cid="１３１")
        cliente.full_clean()
        assert cliente.cid == "131"

    def test_cid_de_digitos_es_valido(self):
        assert errores(ClienteCorpFactory.build(cid="000257")) == {}


class TestRazonSocial:
    def test_razon_social_obligatoria(self):
        cliente = ClienteCorpFactory.build(razon_social="")
        assert list(errores(cliente)) == ["razon_social"]


class TestSede:
    def test_lima_lima_es_valido(self):
        sede = SedeFactory.build(
            cliente=ClienteCorpFactory(), departamento="Lima", provincia="Lima"
        )
        assert errores(sede) == {}

    def test_provincia_de_otro_departamento_se_rechaza_en_provincia(self):
        sede = SedeFactory.build(
            cliente=ClienteCorpFactory(), departamento="Lima", provincia="Cusco"
        )
        assert errores(sede) == {"provincia": ["«Cusco» no es una provincia de Lima."]}

    def test_departamento_desconocido_se_rechaza(self):
        sede = SedeFactory.build(
            cliente=ClienteCorpFactory(), departamento="Atlántida", provincia="Lima"
        )
        assert errores(sede) == {"departamento": ["«Atlántida» no es un departamento del Perú."]}

    def test_provincia_sin_departamento_se_rechaza(self):
        sede = SedeFactory.build(cliente=ClienteCorpFactory(), departamento="", provincia="Lima")
        assert list(errores(sede)) == ["departamento"]

    def test_sin_ubigeo_es_valido(self):
        sede = SedeFactory.build(
            cliente=ClienteCorpFactory(), departamento="", provincia="", distrito=""
        )
        assert errores(sede) == {}

    def test_cusco_cusco_es_valido(self):
        sede = SedeFactory.build(
            cliente=ClienteCorpFactory(), departamento="Cusco", provincia="Cusco", distrito=""
        )
        assert errores(sede) == {}

    def test_direccion_obligatoria(self):
        sede = SedeFactory.build(cliente=ClienteCorpFactory(), direccion="")
        assert list(errores(sede)) == ["direccion"]

    def test_oficina_unica_por_cliente(self):
        sede = SedeFactory(oficina="Oficina Central")
        # Case and accents do not make another sede.
        duplicada = SedeFactory.build(cliente=sede.cliente, oficina="OFICINA CÉNTRAL")
        assert errores(duplicada) == {
            "oficina": ["El cliente ya tiene una sede llamada «OFICINA CÉNTRAL»."]
        }
        # Another client may use the same office name.
        otra = SedeFactory.build(cliente=ClienteCorpFactory(), oficina="Oficina Central")
        assert errores(otra) == {}

    def test_borrar_cliente_sin_conexiones_borra_sus_sedes(self):
        sede = SedeFactory()
        sede.cliente.delete()
        assert not type(sede).objects.filter(pk=sede.pk).exists()
