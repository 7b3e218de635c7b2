"""Who a window affects, who cannot be reached, and the notice sent once per client."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from clientes.factories import ClienteCorpFactory
from conexiones.choices import EstadoConexion
from conexiones.factories import ConexionFactory, EquipoFactory
from conexiones.models import Conexion
from mantenimientos import selectors
from mantenimientos.choices import EstadoMantenimiento, EstadoNotificacion, TipoAviso
from mantenimientos.models import ConexionAfectada, Notificacion, PlantillaAviso
from mantenimientos.services import (
    avisos_enviar,
    mantenimiento_actualizar,
    mantenimiento_cancelar,
    mantenimiento_notificar,
)
from proveedores.factories import ServicioProveedorFactory

from .conftest import crear_ventana

pytestmark = pytest.mark.django_db


def notificar(ventana, usuario=None):
    pedido = mantenimiento_notificar(mantenimiento=ventana, usuario=usuario)
    envio = avisos_enviar(mantenimiento=ventana)
    ventana.refresh_from_db()
    return pedido, envio


def por_destino() -> dict[str, object]:
    return {m.to[0]: m for m in mail.outbox}


def test_afectadas_y_sin_correo_exactos(escenario, ventana):
    afectacion = selectors.afectacion(ventana)
    assert [cid for cid, _, _ in afectacion.conexiones] == ["100001", "100002", "200001", "300001"]
    assert [c.cliente.razon_social for c in afectacion.clientes] == [
        "Banco del Sur S.A.",
        "Clínica Huascarán S.A.C.",
        "Minera Andina S.A.",
    ]
    assert {c.cliente.razon_social: c.cids for c in afectacion.clientes}["Minera Andina S.A."] == [
        "100001",
        "100002",
    ]
    assert [c.cliente for c in afectacion.sin_correo] == [escenario.clinica]
    assert escenario.textil not in [c.cliente for c in afectacion.clientes]


def test_notificar_envia_un_correo_por_cliente_con_todos_sus_cids(escenario, ventana):
    pedido, envio = notificar(ventana)
    assert (pedido.en_cola, pedido.sin_correo, envio.enviados, envio.fallidos) == (2, 1, 2, 0)
    mensajes = por_destino()
    assert set(mensajes) == {"noc@minera.pe", "redes@banco.pe"}
    minera = mensajes["noc@minera.pe"]
    assert "100001" in minera.body and "100002" in minera.body
    assert "100001, 100002" in minera.subject
    assert "200001" not in minera.body
    assert "Lima - Sede" in minera.body
    banco = mensajes["redes@banco.pe"]
    assert "200001" in banco.body and "200002" not in banco.body  # BAJA left out
    # Lima time, as the template says.
    inicio = timezone.localtime(ventana.inicio).strftime("%d/%m/%Y %H:%M")
    assert f"Inicio: {inicio} (hora de Lima)" in banco.body
    assert "Cambio de la tarjeta de línea" in banco.body
    assert Notificacion.objects.filter(estado=EstadoNotificacion.ENVIADO).count() == 2
    assert ventana.congelado_en is not None


def test_nunca_dos_veces(escenario, ventana):
    notificar(ventana)
    pedido, envio = notificar(ventana)
    assert (pedido.en_cola, pedido.al_dia, envio.enviados) == (0, 2, 0)
    assert len(mail.outbox) == 2


def test_la_lista_queda_congelada_al_avisar(escenario, ventana):
    notificar(ventana)
    # The connection goes to BAJA after the notice: who was told stays.
    Conexion.objects.filter(cid_enlace="100002").update(estado=EstadoConexion.BAJA)
    afectacion = selectors.afectacion(ventana)
    assert [cid for cid, _, _ in afectacion.conexiones] == ["100001", "100002", "200001", "300001"]
    # A new connection on the node joins on the next «Notificar», and only its client is told.
    nuevo = ClienteCorpFactory(razon_social="Agro Norte S.A.", correo="ops@agro.pe")
    ConexionFactory(cliente=nuevo, cid_enlace="600001", nodo_a=escenario.nodo)
    assert selectors.afectacion(ventana).nuevas == 1
    mail.outbox.clear()
    notificar(ventana)
    assert [m.to for m in mail.outbox] == [["ops@agro.pe"]]
    assert ConexionAfectada.objects.filter(mantenimiento=ventana).count() == 5


def test_fallo_smtp_por_destinatario_y_reintento(escenario, ventana, settings):
    escenario.banco.correo = "falla@banco.pe"
    escenario.banco.save()
    settings.EMAIL_BACKEND = "tests.mantenimientos.correo.RechazaAlgunos"
    _, envio = notificar(ventana)
    assert (envio.enviados, envio.fallidos) == (1, 1)
    fallida = Notificacion.objects.get(cliente=escenario.banco)
    assert fallida.estado == EstadoNotificacion.FALLIDO
    assert "SMTPRecipientsRefused" in fallida.motivo and "falla@banco.pe" in fallida.motivo
    assert Notificacion.objects.get(cliente=escenario.minera).estado == EstadoNotificacion.ENVIADO
    # The address is fixed: «Notificar» again sends only to the failed one.
    escenario.banco.correo = "redes@banco.pe"
    escenario.banco.save()
    mail.outbox.clear()
    pedido, envio = notificar(ventana)
    assert (pedido.en_cola, envio.enviados) == (1, 1)
    assert [m.to for m in mail.outbox] == [["redes@banco.pe"]]
    fallida.refresh_from_db()
    assert (fallida.estado, fallida.correo, fallida.intentos) == ("enviado", "redes@banco.pe", 2)


def test_servidor_caido_cada_aviso_fallido_con_el_motivo(escenario, ventana, settings):
    settings.EMAIL_BACKEND = "tests.mantenimientos.correo.ServidorCaido"
    _, envio = notificar(ventana)
    assert (envio.enviados, envio.fallidos) == (0, 2)
    motivos = set(Notificacion.objects.values_list("motivo", flat=True))
    assert motivos == {
        "No se pudo conectar con el servidor de correo: [Errno 111] Connection refused"
    }


def test_un_aviso_en_envio_no_se_vuelve_a_encolar(escenario, ventana):
    mantenimiento_notificar(mantenimiento=ventana, usuario=None)
    Notificacion.objects.filter(cliente=escenario.minera).update(estado=EstadoNotificacion.ENVIANDO)
    pedido = mantenimiento_notificar(mantenimiento=ventana, usuario=None)
    assert pedido.tipos == set()
    avisos_enviar()
    assert [m.to for m in mail.outbox] == [["redes@banco.pe"]]


@pytest.mark.parametrize(
    "cambio", [{"fin": 0}, {"fin": -60}], ids=["fin igual al inicio", "fin antes del inicio"]
)
def test_fin_antes_del_inicio_rechazado_en_el_servicio(escenario, usuario_operador, cambio):
    from datetime import timedelta

    inicio = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        crear_ventana(escenario.nodo, fin=inicio + timedelta(minutes=cambio["fin"]), inicio=inicio)
    assert error.value.message_dict == {"fin": ["El fin debe ser posterior al inicio."]}
    ventana = crear_ventana(escenario.nodo)
    with pytest.raises(ValidationError) as error:
        mantenimiento_actualizar(
            mantenimiento=ventana, datos={"fin": ventana.inicio}, usuario=usuario_operador
        )
    assert error.value.message_dict == {"fin": ["El fin debe ser posterior al inicio."]}


def test_objeto_inexistente(escenario):
    with pytest.raises(ValidationError) as error:
        crear_ventana(escenario.nodo, objeto_id=987654)
    assert error.value.message_dict == {"objeto_id": ["No existe el nodo 987654."]}


def test_cambio_de_ventana_ofrece_el_aviso_de_cambio_una_vez(escenario, ventana, usuario_operador):
    notificar(ventana)
    mail.outbox.clear()
    mantenimiento_actualizar(
        mantenimiento=ventana,
        datos={
            "inicio": ventana.inicio + timedelta(hours=2),
            "fin": ventana.fin + timedelta(hours=2),
        },
        usuario=usuario_operador,
    )
    ventana.refresh_from_db()
    assert ventana.version == 2
    pedido, envio = notificar(ventana)
    assert pedido.tipos == {TipoAviso.CAMBIO}
    assert envio.enviados == 2
    assert all(m.subject.startswith("Cambio de horario") for m in mail.outbox)
    nuevo = timezone.localtime(ventana.inicio).strftime("%d/%m/%Y %H:%M")
    assert all(f"Inicio: {nuevo}" in m.body for m in mail.outbox)
    mail.outbox.clear()
    notificar(ventana)
    assert mail.outbox == []
    # A change of the text only is no new version.
    mantenimiento_actualizar(
        mantenimiento=ventana, datos={"descripcion": "Otra"}, usuario=usuario_operador
    )
    ventana.refresh_from_db()
    assert ventana.version == 2


def test_cambio_antes_de_avisar_no_es_una_nueva_version(escenario, ventana, usuario_operador):
    mantenimiento_actualizar(
        mantenimiento=ventana, datos={"fin": ventana.fin + timedelta(hours=1)}, usuario=None
    )
    ventana.refresh_from_db()
    assert ventana.version == 1
    pedido, _ = notificar(ventana)
    assert pedido.tipos == {TipoAviso.AVISO}


def test_cancelacion_avisa_a_los_avisados(escenario, ventana, usuario_operador, settings):
    escenario.banco.correo = "falla@banco.pe"
    escenario.banco.save()
    settings.EMAIL_BACKEND = "tests.mantenimientos.correo.RechazaAlgunos"
    notificar(ventana)  # the bank's aviso failed: it was never told
    mail.outbox.clear()
    mantenimiento_cancelar(mantenimiento=ventana, usuario=usuario_operador)
    ventana.refresh_from_db()
    assert ventana.estado == EstadoMantenimiento.CANCELADO
    pedido, envio = notificar(ventana)
    assert pedido.tipos == {TipoAviso.CANCELACION}
    assert [m.to for m in mail.outbox] == [["noc@minera.pe"]]
    assert mail.outbox[0].subject.startswith("Mantenimiento cancelado")
    mail.outbox.clear()
    notificar(ventana)
    assert mail.outbox == []
    with pytest.raises(ValidationError, match="cancelado"):
        mantenimiento_cancelar(mantenimiento=ventana, usuario=usuario_operador)
    with pytest.raises(ValidationError, match="cancelado"):
        mantenimiento_actualizar(
            mantenimiento=ventana, datos={"descripcion": "x"}, usuario=usuario_operador
        )


def test_cancelar_antes_de_avisar_no_envia_nada(escenario, ventana, usuario_operador):
    mantenimiento_cancelar(mantenimiento=ventana, usuario=usuario_operador)
    pedido, envio = notificar(ventana)
    assert (pedido.en_cola, envio.enviados, mail.outbox) == (0, 0, [])


def test_un_mantenimiento_terminado_no_se_notifica(escenario):
    ventana = crear_ventana(escenario.nodo, horas=-5, duracion=1)
    assert ventana.estado == EstadoMantenimiento.TERMINADO
    with pytest.raises(ValidationError, match="terminó"):
        mantenimiento_notificar(mantenimiento=ventana, usuario=None)


def test_estado_sigue_el_reloj(escenario, ventana):
    assert ventana.estado == EstadoMantenimiento.PROGRAMADO
    with time_machine.travel(ventana.inicio + timedelta(minutes=1)):
        assert ventana.estado_en() == EstadoMantenimiento.EN_CURSO
        fila = selectors.mantenimiento_list().get(pk=ventana.pk)
        assert fila.estado == EstadoMantenimiento.EN_CURSO
    with time_machine.travel(ventana.fin):
        assert selectors.mantenimiento_list().get(pk=ventana.pk).estado == "terminado"


def test_la_plantilla_de_los_admins_da_el_texto(escenario, ventana):
    PlantillaAviso.objects.filter(tipo=TipoAviso.AVISO).update(
        asunto="Aviso NOC {{ cliente.razon_social }}",
        cuerpo="CIDs: {% for c in conexiones %}{{ c.cid_enlace }};{% endfor %}"
        " <{{ contacto_noc }}>",
    )
    notificar(ventana)
    minera = por_destino()["noc@minera.pe"]
    assert minera.subject == "Aviso NOC Minera Andina S.A."
    assert minera.body == "CIDs: 100001;100002; <NOC <noc@localhost>>"  # not HTML-escaped


def test_plantilla_con_error_de_sintaxis_rechazada():
    plantilla = PlantillaAviso.objects.get(tipo=TipoAviso.AVISO)
    plantilla.cuerpo = "{% for c in conexiones %}"
    with pytest.raises(ValidationError) as error:
        plantilla.full_clean()
    assert "cuerpo" in error.value.message_dict


def test_plantillas_por_defecto_creadas_por_la_migracion():
    assert set(PlantillaAviso.objects.values_list("tipo", flat=True)) == set(TipoAviso.values)


def test_el_trabajador_envia_la_cola(escenario, ventana, settings):
    settings.AVISOS_ENVIO_INMEDIATO = 0
    mantenimiento_notificar(mantenimiento=ventana, usuario=None)
    assert mail.outbox == []
    assert selectors.progreso(ventana)["en_cola"] == 2
    call_command("enviar_avisos_mantenimiento", "--lote", "1")
    assert len(mail.outbox) == 1
    call_command("enviar_avisos_mantenimiento")
    assert len(mail.outbox) == 2
    call_command("enviar_avisos_mantenimiento")
    assert len(mail.outbox) == 2
    assert selectors.progreso(ventana) | {} == {
        "total": 2,
        "pendiente": 0,
        "enviando": 0,
        "enviado": 2,
        "fallido": 0,
        "en_cola": 0,
    }


@pytest.mark.parametrize("tipo_objeto", ["servicio", "proveedor", "equipo"])
def test_otros_objetos_usan_su_lista_de_impacto(tipo_objeto):
    servicio = ServicioProveedorFactory()
    activa = ConexionFactory(servicio=servicio, cliente__correo="a@a.pe")
    ConexionFactory(servicio=servicio, estado=EstadoConexion.BAJA)
    ConexionFactory()  # elsewhere
    equipo = EquipoFactory(conexion=activa)
    objeto = {"servicio": servicio, "proveedor": servicio.proveedor, "equipo": equipo}[tipo_objeto]
    ventana = crear_ventana(objeto, tipo_objeto=tipo_objeto)
    assert [pk for _, pk, _ in selectors.afectacion(ventana).conexiones] == [activa.pk]
    assert ventana.objeto_nombre == str(
        {
            "servicio": servicio.codigo,
            "proveedor": servicio.proveedor.nombre,
            "equipo": equipo.serie,
        }[tipo_objeto]
    )


def test_ventanas_que_tocan_una_conexion(escenario, ventana):
    conexion = Conexion.objects.get(cid_enlace="100002")
    assert selectors.de_conexion(conexion) == [ventana]
    assert selectors.de_conexion(escenario.ajena) == []
    baja = Conexion.objects.get(cid_enlace="400001")
    assert selectors.de_conexion(baja) == []
    # Frozen: the window stays on the connection's page whatever happens to it.
    notificar(ventana)
    conexion.nodo_b = None
    conexion.save()
    assert selectors.de_conexion(conexion) == [ventana]
