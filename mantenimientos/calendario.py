"""GET /mantenimientos.ics: the windows as an iCalendar feed (RFC 5545, built with the
`icalendar` package) for the NOC's shared calendar.

Authenticated as the API: `Authorization: Bearer <token>`, or `?token=<token>` for calendar
programs that cannot send a header (use a token of a «NOC lectura» user: it sits in the
URL), or the browser's session.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event
from rest_framework import exceptions

from isp_portal.api.autenticacion import TokenBearer

from . import selectors
from .choices import EstadoMantenimiento

PERMISO = "mantenimientos.view_mantenimiento"


def _con_cabecera(token: str) -> HttpRequest:
    """What TokenBearer reads of a request: the token of ?token= as its header."""
    pedido = HttpRequest()
    pedido.META = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return pedido


def _usuario(request):
    """The session's user, or the token's; None without credentials. A bad token raises."""
    if request.user.is_authenticated:
        return request.user
    token = request.GET.get("token", "").strip()
    if "HTTP_AUTHORIZATION" in request.META:
        resultado = TokenBearer().authenticate(request)
    elif token:
        resultado = TokenBearer().authenticate(_con_cabecera(token))
    else:
        return None
    return resultado[0] if resultado else None


def _no_autorizado(mensaje: str, status: int) -> HttpResponse:
    respuesta = HttpResponse(mensaje, status=status, content_type="text/plain; charset=utf-8")
    if status == 401:
        respuesta["WWW-Authenticate"] = 'Bearer realm="api"'
    return respuesta


def calendario(mantenimientos, *, dominio: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//ISP Portal//Mantenimientos//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Mantenimientos NOC")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for m in mantenimientos:
        evento = Event()
        evento.add("uid", f"mantenimiento-{m.pk}@{dominio}")
        evento.add("dtstamp", m.updated_at)
        evento.add("dtstart", m.inicio)
        evento.add("dtend", m.fin)
        evento.add("summary", f"[{m.get_tipo_display()}] {m}")
        evento.add("description", m.descripcion)
        evento.add("sequence", m.version)
        evento.add("categories", [m.get_tipo_display()])
        cancelado = m.estado == EstadoMantenimiento.CANCELADO
        evento.add("status", "CANCELLED" if cancelado else "CONFIRMED")
        evento.add("url", f"https://{dominio}{m.get_absolute_url()}")
        cal.add_component(evento)
    return cal.to_ical()


@login_not_required
@require_safe
def mantenimientos_ics(request):
    try:
        usuario = _usuario(request)
    except exceptions.AuthenticationFailed as error:
        return _no_autorizado(str(error.detail), 401)
    if usuario is None:
        return redirect_to_login(request.get_full_path())
    # After authentication, as every page: an anonymous POST goes to the login too.
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not usuario.has_perm(PERMISO):
        return _no_autorizado("Su rol no permite esta operación.", 403)
    contenido = calendario(selectors.para_calendario(), dominio=request.get_host().split(":")[0])
    respuesta = HttpResponse(contenido, content_type="text/calendar; charset=utf-8")
    respuesta["Content-Disposition"] = 'inline; filename="mantenimientos.ics"'
    respuesta["Cache-Control"] = "private, max-age=60"
    return respuesta
