"""The pages: list, create from an «Impacto» page, detail with «Sin correo», notify, change,
cancel, and the panels on other apps' pages."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conexiones.models import Conexion
from mantenimientos.models import Mantenimiento, Notificacion

from .conftest import crear_ventana

pytestmark = pytest.mark.django_db


def momento(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def datos_form(escenario, **cambios):
    return {
        "tipo_objeto": "nodo",
        "objeto": "pop-sur",
        "inicio": momento(timedelta(days=1)),
        "fin": momento(timedelta(days=1, hours=3)),
        "tipo": "planificado",
        "descripcion": "Cambio de fuente del POP.",
        **cambios,
    }


def test_impacto_ofrece_programar_solo_a_quien_puede(escenario, operador_client):
    url = f"/nodos/{escenario.nodo.pk}/impacto"
    contenido = operador_client.get(url).content.decode()
    assert (
        f'href="/mantenimientos/nuevo?tipo_objeto=nodo&amp;objeto_id={escenario.nodo.pk}"'
        in contenido
    )
    assert "Programar mantenimiento" in contenido


def test_lectura_no_ve_programar(escenario, lectura_client):
    contenido = lectura_client.get(f"/nodos/{escenario.nodo.pk}/impacto").content.decode()
    assert "Programar mantenimiento" not in contenido
    assert lectura_client.get("/mantenimientos/nuevo").status_code == 403


def test_crear_desde_el_impacto_prellenado(escenario, operador_client, usuario_operador):
    respuesta = operador_client.get(
        f"/mantenimientos/nuevo?tipo_objeto=nodo&objeto_id={escenario.nodo.pk}"
    )
    form = respuesta.context["form"]
    assert (form.initial["tipo_objeto"], form.initial["objeto"]) == ("nodo", "POP-SUR")
    previa = respuesta.content.decode()
    assert "Afectará 4 conexión(es) de 3 cliente(s)" in previa
    assert "1 cliente(s) sin correo no recibirán el aviso: Clínica Huascarán S.A.C." in previa
    respuesta = operador_client.post("/mantenimientos/nuevo", datos_form(escenario))
    m = Mantenimiento.objects.get()
    assert respuesta.status_code == 302 and respuesta["Location"] == f"/mantenimientos/{m.pk}/"
    assert (m.tipo_objeto, m.objeto_id, m.objeto_nombre, m.usuario) == (
        "nodo",
        escenario.nodo.pk,
        "POP-SUR",
        usuario_operador,
    )
    assert m.fin - m.inicio == timedelta(hours=3)


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"fin": momento(timedelta(hours=20))}, "fin", "El fin debe ser posterior al inicio."),
        ({"objeto": "POP-NADA"}, "objeto", "No existe el nodo «POP-NADA»."),
        ({"inicio": "31/02/2026"}, "inicio", "Ingrese fecha y hora (dd/mm/aaaa hh:mm)."),
        ({"fin": "9999-12-31T23:59"}, "fin", "Indique una fecha entre los años 2000 y 2100."),
    ],
)
def test_errores_del_formulario(escenario, operador_client, cambios, campo, mensaje):
    respuesta = operador_client.post("/mantenimientos/nuevo", datos_form(escenario, **cambios))
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors[campo] == [mensaje]
    assert not Mantenimiento.objects.exists()


def test_detalle_afectados_y_sin_correo(escenario, ventana, lectura_client):
    respuesta = lectura_client.get(f"/mantenimientos/{ventana.pk}/")
    contenido = respuesta.content.decode()
    assert "Clientes afectados (3) · conexiones (4)" in contenido
    assert "Sin correo (1)" in contenido
    assert f'href="/clientes_corporativo/{escenario.clinica.pk}/editar?next=' in contenido
    assert "Textil Baja" not in contenido
    assert 'id="notificar"' not in contenido  # lectura cannot notify
    assert "200002" not in contenido


def test_notificar_desde_la_pagina(escenario, ventana, operador_client, lector):
    url = f"/mantenimientos/{ventana.pk}/notificar"
    assert lector.post(url).status_code == 403
    assert "1 cliente(s) sin correo" in operador_client.get(url).content.decode()
    respuesta = operador_client.post(url, follow=True)
    assert "Avisos enviados: 2." in respuesta.content.decode()
    assert len(mail.outbox) == 2
    respuesta = operador_client.post(url, follow=True)
    assert "No hay avisos por enviar" in respuesta.content.decode()
    assert len(mail.outbox) == 2


def test_lista_grande_va_al_trabajador_con_avance(escenario, ventana, operador_client, settings):
    settings.AVISOS_ENVIO_INMEDIATO = 1
    respuesta = operador_client.post(f"/mantenimientos/{ventana.pk}/notificar", follow=True)
    assert "2 avisos en cola" in respuesta.content.decode()
    assert mail.outbox == []
    progreso = operador_client.get(f"/mantenimientos/{ventana.pk}/progreso").content.decode()
    assert 'hx-trigger="every 2s"' in progreso and 'id="avisos-en-cola">2<' in progreso


def test_cambiar_la_ventana_tras_avisar_ofrece_el_seguimiento(escenario, ventana, operador_client):
    operador_client.post(f"/mantenimientos/{ventana.pk}/notificar")
    edicion = operador_client.get(f"/mantenimientos/{ventana.pk}/editar").context["form"]
    datos = {k: edicion[k].value() for k in ("tipo", "descripcion")}
    datos |= {f"initial-{k}": edicion[k].value() for k in edicion.fields}
    datos["inicio"] = timezone.localtime(ventana.inicio + timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    datos["fin"] = timezone.localtime(ventana.fin + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    datos["initial-inicio"] = timezone.localtime(ventana.inicio).strftime("%Y-%m-%dT%H:%M")
    datos["initial-fin"] = timezone.localtime(ventana.fin).strftime("%Y-%m-%dT%H:%M")
    respuesta = operador_client.post(f"/mantenimientos/{ventana.pk}/editar", datos, follow=True)
    contenido = respuesta.content.decode()
    assert "La ventana cambió después del aviso" in contenido
    assert "2 cliente(s) fueron avisados de la ventana anterior." in contenido
    mail.outbox.clear()
    operador_client.post(f"/mantenimientos/{ventana.pk}/notificar")
    assert len(mail.outbox) == 2 and all("Cambio" in m.subject for m in mail.outbox)


def test_editar_con_fin_antes_del_inicio(escenario, ventana, operador_client):
    edicion = operador_client.get(f"/mantenimientos/{ventana.pk}/editar").context["form"]
    datos = {k: edicion[k].value() for k in ("tipo", "descripcion")}
    datos["inicio"] = timezone.localtime(ventana.inicio).strftime("%Y-%m-%dT%H:%M")
    datos["fin"] = timezone.localtime(ventana.inicio - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    respuesta = operador_client.post(f"/mantenimientos/{ventana.pk}/editar", datos)
    assert respuesta.context["form"].errors["fin"] == ["El fin debe ser posterior al inicio."]
    ventana.refresh_from_db()
    assert ventana.fin > ventana.inicio


def test_cancelar_y_avisar_la_cancelacion(escenario, ventana, operador_client, lector):
    operador_client.post(f"/mantenimientos/{ventana.pk}/notificar")
    assert lector.post(f"/mantenimientos/{ventana.pk}/cancelar").status_code == 403
    respuesta = operador_client.post(f"/mantenimientos/{ventana.pk}/cancelar", follow=True)
    contenido = respuesta.content.decode()
    assert "Se canceló el mantenimiento." in contenido
    assert "2 cliente(s) avisados no saben aún de la cancelación." in contenido
    mail.outbox.clear()
    operador_client.post(f"/mantenimientos/{ventana.pk}/notificar")
    assert sorted(m.to[0] for m in mail.outbox) == ["noc@minera.pe", "redes@banco.pe"]
    assert Notificacion.objects.filter(tipo="cancelacion", estado="enviado").count() == 2
    respuesta = operador_client.post(f"/mantenimientos/{ventana.pk}/cancelar", follow=True)
    assert "El mantenimiento está cancelado: no se puede cancelar." in respuesta.content.decode()


def test_lista_consultas_constantes_filtros_y_exportacion(
    escenario, lectura_client, django_assert_max_num_queries
):
    for horas in (-48, 2, 30, 200):
        crear_ventana(escenario.nodo, horas=horas)
    crear_ventana(escenario.nodo, horas=-2, duracion=5)  # in progress
    with django_assert_max_num_queries(8):
        respuesta = lectura_client.get("/mantenimientos/")
    filas = list(respuesta.context["object_list"])
    # In progress and coming first (soonest first), then the past.
    assert [m.estado for m in filas] == [
        "en_curso",
        "programado",
        "programado",
        "programado",
        "terminado",
    ]
    assert filas[1].inicio < filas[2].inicio < filas[3].inicio
    for _ in range(10):
        crear_ventana(escenario.nodo, horas=5)
    with django_assert_max_num_queries(8):
        lectura_client.get("/mantenimientos/")
    en_curso = lectura_client.get("/mantenimientos/?estado=en_curso").context["object_list"]
    assert [obj.estado for obj in en_curso] == ["en_curso"]
    respuesta = lectura_client.get("/mantenimientos/?exportar=csv&estado=terminado")
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    filas = list(csv.reader(io.StringIO(texto)))
    assert filas[0][:4] == ["id", "tipo_objeto", "objeto_id", "objeto"]
    assert len(filas) == 2 and filas[1][3] == "POP-SUR" and filas[1][7] == "terminado"


def test_paneles_en_otras_paginas(escenario, ventana, lectura_client):
    conexion = Conexion.objects.get(cid_enlace="100001")
    for url in (
        "/",
        f"/nodos/{escenario.nodo.pk}/",
        f"/conexiones/{conexion.pk}/",
    ):
        contenido = lectura_client.get(url).content.decode()
        assert 'id="panel-mantenimientos"' in contenido, url
        assert f'href="/mantenimientos/{ventana.pk}/"' in contenido, url
    contenido = lectura_client.get(f"/conexiones/{escenario.ajena.pk}/").content.decode()
    assert 'id="panel-mantenimientos"' not in contenido


def test_paneles_de_servicio_y_proveedor(lectura_client):
    from conexiones.factories import ConexionFactory

    conexion = ConexionFactory()
    servicio = conexion.servicio
    en_servicio = crear_ventana(servicio, tipo_objeto="servicio")
    en_proveedor = crear_ventana(servicio.proveedor, tipo_objeto="proveedor")
    contenido = lectura_client.get(f"/proveedores/servicios/{servicio.pk}/").content.decode()
    assert f"/mantenimientos/{en_servicio.pk}/" in contenido
    contenido = lectura_client.get(f"/proveedores/{servicio.proveedor.pk}/").content.decode()
    assert f"/mantenimientos/{en_proveedor.pk}/" in contenido
    contenido = lectura_client.get(f"/conexiones/{conexion.pk}/").content.decode()
    assert f"/mantenimientos/{en_servicio.pk}/" in contenido
    assert f"/mantenimientos/{en_proveedor.pk}/" in contenido


def test_impacto_de_equipo_y_proveedor(lectura_client):
    from conexiones.factories import ConexionFactory, EquipoFactory

    conexion = ConexionFactory(cid_enlace="777001")
    equipo = EquipoFactory(conexion=conexion)
    contenido = lectura_client.get(f"/equipos/{equipo.pk}/impacto").content.decode()
    assert "777001" in contenido
    proveedor = conexion.servicio.proveedor
    contenido = lectura_client.get(f"/proveedores/{proveedor.pk}/impacto").content.decode()
    assert "777001" in contenido
