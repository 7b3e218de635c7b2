from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from conexiones import selectors as conexion_selectors
from isp_portal import ubigeo
from isp_portal.enteros import id_o_none
from isp_portal.forms import TokenAPIForm
from isp_portal.services import token_crear, token_revocar
from proveedores import selectors as servicio_selectors


class HomeView(TemplateView):
    """What the NOC wants at a glance."""

    template_name = "isp_portal/home.html"
    extra_context = {"titulo": "Inicio"}

    def get_context_data(self, **kwargs):
        resumen = conexion_selectors.conexiones_resumen()
        por_estado, vendido = resumen["por_estado"], resumen["bw_vendido"]
        contratado = servicio_selectors.capacidad_contratada_total()
        return super().get_context_data(
            por_estado=por_estado,
            total_conexiones=sum(fila["total"] for fila in por_estado),
            bw_vendido=vendido,
            bw_contratado=contratado,
            bw_disponible=contratado - vendido,
            bw_porcentaje=vendido * 100 / contratado if contratado else (100 if vendido else 0),
            servicios_cargados=conexion_selectors.servicios_mas_cargados(limite=10),
            ajustes=conexion_selectors.ajustes_recientes(limite=10),
            programados=conexion_selectors.ajustes_programados_resumen(),
            **kwargs,
        )


def _parametro(request, sufijo: str) -> str:
    """The value of `sufijo` or of a prefixed form field ending with it (`x-sufijo`)."""
    for clave, valor in request.GET.items():
        if clave == sufijo or clave.endswith(f"-{sufijo}"):
            return valor
    return ""


def ubigeo_provincias(request):
    """<option>s of the provincias of ?departamento=, for the linked select."""
    departamento = _parametro(request, "departamento")
    return render(
        request,
        "isp_portal/_opciones_provincia.html",
        {"provincias": ubigeo.provincias(departamento)},
    )


def ubigeo_distritos(request):
    """<option>s for the distrito suggestions of ?departamento=&provincia=."""
    return render(
        request,
        "isp_portal/_opciones_distrito.html",
        {
            "distritos": ubigeo.distritos(
                _parametro(request, "departamento"), _parametro(request, "provincia")
            )
        },
    )


@login_not_required
@require_safe
def salud(request):
    """Health check for the load balancer: 200 when the database answers, 503 otherwise.
    HEAD answers as GET (some load balancers probe with HEAD)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"estado": "error"}, status=503)
    return JsonResponse({"estado": "ok"})


class SaludMiddleware:
    """Answers GET and HEAD /salud before sessions, auth and the HTTPS redirect: a load
    balancer's plain-HTTP probe gets its answer, and a database outage gives 503, never a
    500 from reading the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/salud" and request.method in ("GET", "HEAD"):
            return salud(request)
        return self.get_response(request)


class TokensAPIView(View):
    """ "Token de API": the user creates and revokes their own tokens of the JSON API.

    A new token is shown once, in the answer to the POST that created it (never stored nor
    cached: only its digest is kept).
    """

    template_name = "isp_portal/tokens_api.html"

    def get(self, request):
        return self.responder(request, TokenAPIForm())

    def post(self, request):
        revocar = request.POST.get("revocar", "")
        if revocar:
            token_id = id_o_none(revocar)
            if token_id and token_revocar(usuario=request.user, token_id=token_id):
                messages.success(request, "Se revocó el token: ya no da acceso a la API.")
            else:
                messages.error(request, "Ese token no existe o no es suyo.")
            return redirect("tokens_api")
        form = TokenAPIForm(request.POST)
        if not form.is_valid():
            return self.responder(request, form)
        fila, token = token_crear(
            usuario=request.user,
            nombre=form.cleaned_data["nombre"],
            dias=form.cleaned_data["dias"],
        )
        return self.responder(request, TokenAPIForm(), nuevo=(fila, token))

    def responder(self, request, form, nuevo=None):
        respuesta = render(
            request,
            self.template_name,
            {
                "titulo": "Token de API",
                "form": form,
                "tokens": request.user.tokens_api.all(),
                "nuevo": nuevo,
                "ahora": timezone.now(),
            },
        )
        respuesta["Cache-Control"] = "no-store"
        return respuesta


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on responses without a page of their own (htmx
    fragments, files): the site's icon, resolved per request (the hashed name exists only
    after collectstatic)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
