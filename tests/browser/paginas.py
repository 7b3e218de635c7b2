"""The site as the browser checks see it: demo data and every page, found from the URL list.

The pages come from tests/isp_portal/rutas.py, so a page added later is checked as soon as
its URL pattern lands: every GET route that answers a whole HTML document (fragments for
htmx — a table row, a preview, select options — are checked inside their pages).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.management import call_command

from tests.isp_portal.rutas import todas_las_rutas

# Checked by width, as the on-call phone, a laptop and an office screen show them.
ANCHOS = (390, 1280, 1920)


def crear_sitio() -> dict:
    """The believable demo dataset plus the widest rows a list must still fit.

    Returns {model label: object} for the routes' arguments: an active connection (its
    Ajustar BW page has the form) and, for the rest, the first object of each model.
    """
    from clientes.factories import ClienteCorpFactory
    from conexiones.choices import EstadoConexion, TipoServicio
    from conexiones.factories import ConexionFactory
    from conexiones.models import Conexion

    call_command("cargar_demo", verbosity=0)
    # Newest, so first in the connection list: long name, the widest pill, big figures.
    ConexionFactory(
        cliente=ClienteCorpFactory(
            razon_social="Corporación Agroindustrial y Minera Huascarán del Norte S.A.C."
        ),
        tipo_enlace=TipoServicio.CABLEADO_ESTRUCTURADO,
        estado=EstadoConexion.SUSPENDIDO,
        bw_contratado=100_000,
        bw_utilizado=99_500,
        servicio=None,
    )
    conexion = Conexion.objects.filter(estado=EstadoConexion.ACTIVO).order_by("pk").first()
    return {"conexiones.Conexion": conexion}


def recorrer(page, objetos: dict) -> Iterator[str]:
    """Open every page the logged-in user of `page` may see, one after the other.

    Yields the URL of each whole page once it is loaded in `page`; fragments and pages the
    user may not open (permissions are tested apart) are passed over.
    """
    for ruta in todas_las_rutas():
        if ruta.clase not in ("lectura", "escritura"):
            continue
        url = ruta.url(objetos)
        respuesta = page.goto(url)
        assert respuesta.status < 500, f"GET {url}: {respuesta.status}"
        if respuesta.status != 200:
            continue
        if not respuesta.headers.get("content-type", "").startswith("text/html"):
            continue
        if "<html" in respuesta.text()[:1000].lower():
            yield url


def conexion_ajustable(mbps: int = 5):
    """An active connection whose service can take `mbps` more without oversubscription."""
    from conexiones.choices import EstadoConexion
    from conexiones.models import Conexion
    from conexiones.selectors import servicios_con_capacidad

    con_lugar = servicios_con_capacidad().filter(capacidad_disponible__gte=mbps)
    return (
        Conexion.objects.filter(estado=EstadoConexion.ACTIVO, servicio__in=con_lugar)
        .order_by("pk")
        .first()
    )
