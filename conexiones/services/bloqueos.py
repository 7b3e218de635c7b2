"""Row locks, always taken in one order — clients, provider services, connections,
equipment, each by primary key — so concurrent writers cannot deadlock."""

from collections.abc import Iterable

from django.db.models import Q

from clientes.models import ClienteCorp
from proveedores.models import ServicioProveedor

from ..models import Conexion
from ..selectors import servicios_con_capacidad


def conexiones_bloquear(filtro: Q, *, servicio_ids: Iterable[int | None] = ()) -> dict:
    """Lock, in the project's order, the provider services of the connections `filtro`
    selects and `servicio_ids` (those they may move to), then the connections; return the
    locked connections by pk.

    A connection moved to another service between the two reads is locked again with the
    right one. Writers that find connections by CID (imports) lock clients before this
    (clientes_bloquear).
    """
    otros = set(servicio_ids) - {None}
    while True:
        actuales = set(
            Conexion.objects.filter(filtro)
            .exclude(servicio=None)
            .order_by()
            .values_list("servicio_id", flat=True)
            .distinct()
        )
        bloquear_servicios(actuales | otros)
        conexiones = {
            c.pk: c for c in Conexion.objects.select_for_update().filter(filtro).order_by("pk")
        }
        if {c.servicio_id for c in conexiones.values()} - {None} <= actuales:
            return conexiones


def bloquear_conexiones_y_servicios(
    conexion_ids: set[int],
) -> tuple[dict[int, Conexion], dict[int, ServicioProveedor]]:
    """conexiones_bloquear by pk, with the services' capacity figures read under the lock."""
    conexiones = conexiones_bloquear(Q(pk__in=conexion_ids))
    faltan = conexion_ids - conexiones.keys()
    if faltan:
        raise Conexion.DoesNotExist(f"No existe la conexión {min(faltan)}.")
    servicio_ids = {c.servicio_id for c in conexiones.values()} - {None}
    servicios = servicios_con_capacidad().filter(pk__in=servicio_ids).in_bulk()
    return conexiones, servicios


def bloquear_servicios(servicio_ids) -> None:
    # Lock without the capacity subquery: FOR UPDATE cannot lock an aggregate.
    if servicio_ids:
        list(
            ServicioProveedor.objects.select_for_update()
            .filter(pk__in=servicio_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def clientes_bloquear(cliente_ids: Iterable[int]) -> dict[int, ClienteCorp]:
    """Lock clients (pk order) so the CIDs of their sequences are assigned one at a time."""
    bloqueados = ClienteCorp.objects.select_for_update().filter(pk__in=set(cliente_ids))
    return {c.pk: c for c in bloqueados.order_by("pk")}
