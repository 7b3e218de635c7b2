"""What the connections add to the pages of clients and providers (isp_portal.registro):
conexiones reads clientes and proveedores, never the other way round, so their pages show
capacity and connections through what is registered here (ConexionesConfig.ready)."""

from dataclasses import replace

from django.urls import reverse

from clientes.models import ClienteCorp
from isp_portal import celdas, registro
from isp_portal.generic import primeros
from isp_portal.registro import Panel
from isp_portal.tables import Action, Column
from proveedores.models import Proveedor, ServicioProveedor

from . import selectors, tablas, views

# Detail pages show this many rows of a related list; the rest is one click away.
LIMITE_DETALLE = 20
# A client may have hundreds of connections: its page shows the first ones and links to the
# connections list filtered by the client for the rest.
MAX_CONEXIONES_CLIENTE = 50


def _conexiones_de_cliente(request, cliente):
    conexiones, hay_mas = primeros(selectors.conexiones_de_cliente(cliente), MAX_CONEXIONES_CLIENTE)
    return {"conexiones": conexiones, "hay_mas_conexiones": hay_mas}


def _servicios_de_proveedor(request, proveedor):
    servicios, hay_mas = primeros(selectors.servicios_de(proveedor), LIMITE_DETALLE)
    return {"servicios": servicios, "hay_mas_servicios": hay_mas, "sin_proveedor": True}


def _servicio(request, servicio):
    conexiones, hay_mas = primeros(selectors.conexiones_por_servicio(servicio), LIMITE_DETALLE)
    return {
        "conexiones": conexiones,
        "hay_mas_conexiones": hay_mas,
        "ajustes": selectors.ajustes_por_servicio(servicio, limite=LIMITE_DETALLE),
    }


def _conexiones_url(cliente) -> str:
    return f"{reverse('conexiones:conexion_list')}?cliente={cliente.pk}"


def registrar() -> None:
    # A client: its connections (list action, detail buttons and panel).
    conexiones = Action("Conexiones", _conexiones_url, icon="ethernet", title="Conexiones")
    registro.registrar_acciones(ClienteCorp, conexiones)
    registro.registrar_botones(
        ClienteCorp,
        conexiones,
        Action(
            "Nueva conexión",
            lambda c: f"{reverse('conexiones:conexion_add')}?cliente_id={c.pk}",
            icon="plus-lg",
            estilo="primary",
            permiso="conexiones.add_conexion",
        ),
    )
    registro.registrar_panel(
        ClienteCorp, Panel("conexiones/_paneles_cliente.html", _conexiones_de_cliente)
    )

    # A provider: its services' capacity, and the connections of all its services.
    registro.registrar_panel(
        Proveedor, Panel("conexiones/_paneles_proveedor.html", _servicios_de_proveedor)
    )
    impacto_proveedor = tablas.impacto("proveedores:proveedor_impacto", "el proveedor")
    registro.registrar_botones(Proveedor, replace(impacto_proveedor, estilo="outline-danger"))
    registro.registrar_vista(Proveedor, "impacto", "<id:pk>/impacto", views.ProveedorImpactoView)

    # A provider service: capacity on every list and page, its connections, its impact.
    registro.registrar_consulta(ServicioProveedor, selectors.servicios_con_uso)
    registro.registrar_columnas(
        ServicioProveedor,
        Column(
            "porcentaje_uso",
            "Uso",
            order_by="porcentaje_uso",
            render=celdas.barra_de_uso,
            css="capacidad",
        ),
        Column("capacidad_vendida", "Vendida", "capacidad_vendida", celdas.mbps, css="num"),
        antes="capacidad_contratada",
    )
    registro.registrar_columnas(
        ServicioProveedor,
        Column(
            "capacidad_disponible", "Disponible", "capacidad_disponible", celdas.mbps, css="num"
        ),
        antes="estado",
    )
    impacto = tablas.impacto("proveedores:servicioproveedor_impacto", "el servicio")
    registro.registrar_acciones(ServicioProveedor, impacto)
    registro.registrar_botones(ServicioProveedor, replace(impacto, estilo="outline-danger"))
    registro.registrar_panel(
        ServicioProveedor, Panel("conexiones/_paneles_servicio.html", _servicio)
    )
    registro.registrar_vista(
        ServicioProveedor, "impacto", "<id:pk>/impacto", views.ServicioImpactoView
    )
