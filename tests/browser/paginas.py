"""The site as the browser checks see it: demo data, every page, and the checks on a page.

The pages come from tests/isp_portal/rutas.py, so a page added later is checked as soon as
its URL pattern lands: every GET route that answers a whole HTML document (fragments for
htmx — a table row, a preview, select options — are checked inside their pages).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.isp_portal.rutas import crear_datos, todas_las_rutas

# Checked by width, as the on-call phone, a laptop and an office screen show them.
ANCHOS = (390, 1280, 1920)
ALTOS = {390: 844, 1280: 800, 1920: 1080}

# One pass over a page at a width: the list of what is wrong with its layout.
REVISAR_PAGINA = (Path(__file__).parent / "revisar_pagina.js").read_text()

GRAVES = {"serious", "critical"}
AXE = Axe()  # its axe-core is bundled in the package

# Roles of the aria snapshot that a person operates: each needs a name.
CONTROLES = re.compile(
    r"^\s*- (button|link|textbox|searchbox|combobox|listbox|checkbox|radio|spinbutton|switch)"
    r"(?P<nombre> \"[^\"]*\S[^\"]*\")?(\s|:|$)"
)


def violaciones_graves(page, contexto: str | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (or inside `contexto`)."""
    resultado = AXE.run(page, context=contexto)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in resultado.response["violations"]
        if v["impact"] in GRAVES
    ]


def controles_sin_nombre(page, selector: str = "body") -> list[str]:
    """Controls that the accessibility tree shows without a name (an unlabelled field)."""
    sin_nombre = []
    for linea in page.locator(selector).aria_snapshot().splitlines():
        coincide = CONTROLES.match(linea)
        if coincide and not coincide.group("nombre"):
            sin_nombre.append(linea.strip())
    return sin_nombre


def crear_sitio() -> dict:
    """The believable demo dataset, the widest row a list must still fit, and one of every
    object the route list needs (tests/isp_portal/rutas.py keeps that up to date).

    Returns {model label: object} for the routes' arguments, with an active connection whose
    Ajustar BW page has the form.
    """
    from clientes.factories import ClienteCorpFactory
    from conexiones.choices import EstadoConexion, TipoServicio
    from conexiones.factories import ConexionFactory
    from conexiones.services import ajuste_programado_cancelar, ajuste_programado_crear

    call_command("cargar_demo", verbosity=0)
    objetos = crear_datos()
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
    # The connection whose pages are checked has a pending and a cancelled scheduled change.
    conexion = conexion_ajustable()
    for dias, modo in ((1, "AUMENTAR"), (2, "DISMINUIR")):
        programado = ajuste_programado_crear(
            conexion=conexion, modo=modo, mbps=1, inicio=timezone.now() + timedelta(days=dias)
        )
    ajuste_programado_cancelar(programado=programado)
    return {**objetos, "conexiones.Conexion": conexion}


def recorrer(page, objetos: dict) -> Iterator[str]:
    """Open every page the logged-in user of `page` may see, one after the other.

    Yields the URL of each whole page once it is loaded in `page`; fragments and pages the
    user may not open (permissions are tested apart) are passed over.
    """
    for ruta in todas_las_rutas():
        if ruta.clase not in ("lectura", "escritura"):
            continue
        url = ruta.url(objetos)
        try:
            respuesta = page.goto(url)
        except PlaywrightError as error:
            # A file the browser downloads (the iCalendar feed) is no page to check.
            if "Download is starting" in str(error):
                continue
            raise
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
