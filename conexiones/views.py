import json
from dataclasses import replace
from functools import cached_property
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from clientes.models import ClienteCorp
from clientes.selectors import clientes_buscar
from isp_portal import busqueda, celdas
from isp_portal.enteros import id_o_none
from isp_portal.formatos import fecha_texto, mbps_texto, miles_texto
from isp_portal.generic import (
    UBICACION,
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
    editar,
)
from isp_portal.tables import Action, Column, fila_html
from proveedores.models import Proveedor, ServicioProveedor

from . import selectors, tablas
from .choices import EstadoConexion, ModoAjuste
from .filters import (
    AjusteProgramadoFilterSet,
    ConexionFilterSet,
    EquipoFilterSet,
    ImpactoFilterSet,
    NodoFilterSet,
)
from .forms import (
    AjusteBWForm,
    ConexionForm,
    EquipoForm,
    ReversionFallidaForm,
    cliente_opcion,
)
from .importacion import CONEXION_COLUMNS, EQUIPO_COLUMNS, IMPACTO_COLUMNS, NODO_COLUMNS
from .models import AjusteProgramado, Conexion, Equipo, Nodo
from .selectors import (
    ORDEN_PROGRAMADOS,
    ajuste_programado_previo,
    ajustes_programados_de_conexion,
    ajustes_programados_list,
    conexion_ajuste_previo,
    conexion_list,
)
from .services import (
    PERMISO_AJUSTAR_BW,
    ajuste_programado_cancelar,
    ajuste_programado_crear,
    ajuste_programado_reintentar,
    ajuste_programado_resolver,
    conexion_actualizar,
    conexion_ajustar_bw,
    conexion_crear,
    conexion_siguiente_cid,
)

# The detail page shows the latest adjustments only, so it stays a constant-size page.
MAX_AJUSTES_DETALLE = 50
MBPS = celdas.mbps
IMPACTO_NODO = tablas.impacto("conexiones:nodo_impacto", "el nodo")


def puede_editar_conexiones(user) -> bool:
    return user.has_perm("conexiones.add_conexion") or user.has_perm("conexiones.change_conexion")


def aplicar_errores(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (general errors on top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for campo, errores in error.error_dict.items():
        form.add_error(campo if campo in form.fields else None, errores)


class ConexionListView(ObjectListView):
    queryset = conexion_list()
    filterset_class = ConexionFilterSet
    filters_template = "conexiones/_filtros.html"
    row_actions = tablas.ACCIONES_CONEXION
    # pk follows creation order and is indexed: newest first without a sort over the table.
    default_order = ("-pk",)
    columns = [
        Column("cid_enlace", link=True),
        Column("tipo_enlace", "Tipo de servicio", movil=False),
        Column(
            "cliente.razon_social",
            "Cliente / locación",
            render=tablas.cliente_y_locacion,
            css="conexion-cliente",
        ),
        Column("bw_contratado", "BW contratado", render=MBPS, css="num"),
        Column("bw_disponible", "BW disponible", render=MBPS, css="num"),
        Column("bw_utilizado", "BW utilizado", render=tablas.bw_utilizado, css="num"),
        Column("estado", render=celdas.estado),
    ]
    export_columns = CONEXION_COLUMNS

    def row_attrs(self, obj):
        """A row refreshes itself after Ajustar BW (htmx event `refrescar`)."""
        return {
            "data-refrescar-conexion": obj.pk,
            "hx-get": reverse("conexiones:conexion_row", args=[obj.pk]),
            "hx-trigger": "refrescar",
            "hx-swap": "outerHTML",
            "hx-disinherit": "*",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_ajustar"] = self.request.user.has_perm(PERMISO_AJUSTAR_BW)
        cliente_id = id_o_none(self.request.GET.get("cliente"))
        context["cliente_filtrado"] = (
            ClienteCorp.objects.only("pk", "razon_social").filter(pk=cliente_id).first()
            if cliente_id
            else None
        )
        if context["cliente_filtrado"]:
            query = self.request.GET.copy()
            query.pop("cliente", None)
            query.pop("page", None)
            context["query_sin_cliente"] = query.urlencode()
        return context

    def get_add_url(self):
        url = reverse("conexiones:conexion_add")
        cliente_id = id_o_none(self.request.GET.get("cliente"))
        return f"{url}?cliente_id={cliente_id}" if cliente_id else url


class ConexionRowView(ModelPermissionMixin, View):
    """One row of the list, re-rendered after an adjustment (htmx, event `bwAjustado`)."""

    model = Conexion

    def get(self, request, pk):
        obj = get_object_or_404(conexion_list(), pk=pk)
        lista = ConexionListView(request=request)
        return HttpResponse(
            fila_html(obj, lista.get_columns(), lista.actions(), request, lista.row_attrs(obj))
        )


class ConexionDetailView(ObjectDetailView):
    queryset = selectors.conexion_detalle()
    title = "Conexión {object.cid_enlace}"
    sections = [
        Section(
            "Servicio",
            (
                Column("tipo_enlace", "Tipo de servicio"),
                Column("modalidad_enlace", "Modalidad"),
                Column("estado", render=celdas.estado),
                "fecha_activacion",
                Column("bw_contratado", "BW contratado", render=MBPS),
                Column("bw_disponible", "BW disponible", render=MBPS),
                Column("bw_utilizado", "BW utilizado", render=tablas.bw_utilizado),
                "created_at",
            ),
        ),
        Section(
            "Servicio del proveedor",
            (
                Column("servicio", "Servicio", render=celdas.enlace),
                Column("servicio.modalidad", "Modalidad"),
                Column("servicio_disponible", "Disponible", render=MBPS),
                Column("servicio_vendida", "Vendida", render=MBPS),
            ),
        ),
        Section(
            "Cliente",
            (
                Column("cliente", "Razón social", render=celdas.enlace),
                Column("cliente.ruc", render=tablas.cliente_ruc),
                Column("cliente.cid", "CID del cliente"),
            ),
        ),
        Section(
            "Topología",
            (
                Column("nodo_a", "Nodo A", render=tablas.nodo),
                Column("nodo_b", "Nodo B", render=tablas.nodo),
            ),
        ),
        UBICACION,
    ]

    def get_context_data(self, **kwargs):
        c = self.object
        return super().get_context_data(
            equipos=c.equipos.all(),
            ajustes=c.ajustes.select_related("usuario").order_by("-created_at", "-id")[
                :MAX_AJUSTES_DETALLE
            ],
            max_ajustes=MAX_AJUSTES_DETALLE,
            can_ajustar=self.request.user.has_perm(PERMISO_AJUSTAR_BW),
            ajustes_programados=tablas.PROGRAMADOS_DE_CONEXION.filas(
                ajustes_programados_de_conexion(c) if c.tiene_programados else [], self.request
            ),
            **kwargs,
        )


class ConexionFormMixin:
    """Create and edit: the four-section form; the services write, their errors go on fields."""

    model = Conexion
    form_class = ConexionForm
    template_name = "conexiones/conexion_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["puede_ajustar_bw"] = self.request.user.has_perm(PERMISO_AJUSTAR_BW)
        return kwargs

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            aplicar_errores(form, error)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["equipos"] = context["form"].equipos_filas()
        context["conexion_id"] = getattr(self, "object", None) and self.object.pk
        return context


class ConexionCreateView(ConexionFormMixin, ObjectCreateView):
    title = "Nueva servicio cliente"
    success_message = "Se creó la conexión {obj}."

    def get_initial(self):
        initial = super().get_initial()
        cliente_id = id_o_none(self.request.GET.get("cliente_id"))
        cliente = None
        if cliente_id:
            cliente = ClienteCorp.objects.filter(pk=cliente_id).first()
        if cliente:
            initial["cliente"] = cliente
            initial["cid_enlace"] = conexion_siguiente_cid(cliente=cliente)
        return initial

    def save_form(self, form):
        return conexion_crear(
            datos=form.datos_modelo(),
            equipos=form.cleaned_data.get("equipos") or [],
            usuario=self.request.user,
            confirmar_sobresuscripcion=form.cleaned_data.get("confirmar_sobresuscripcion", False),
        )


class ConexionUpdateView(ConexionFormMixin, ObjectUpdateView):
    queryset = conexion_list()
    title = "Editar conexión {object.cid_enlace}"
    success_message = "Se guardó la conexión {obj}."

    def save_form(self, form):
        if not form.has_changed():
            return self.object
        return conexion_actualizar(
            conexion=self.object,
            datos=form.datos_modelo(),
            equipos=form.cleaned_data.get("equipos") if "equipos" in form.changed_data else None,
            usuario=self.request.user,
            confirmar_sobresuscripcion=form.cleaned_data.get("confirmar_sobresuscripcion", False),
            bw_anterior=form.cleaned_data.get("bw_visto") or form.initial.get("bw_contratado"),
        )


class ConexionAjustarBWView(ModelPermissionMixin, View):
    """Ajustar BW: a Bootstrap modal through htmx, or a plain page without JavaScript.

    GET (htmx) returns the modal; POST (htmx) returns the form with its errors, or 204 with
    the `bwAjustado` event that closes the modal and refreshes the row or the detail page.
    """

    model = Conexion
    permission_required = ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)

    def get(self, request, pk):
        conexion = get_object_or_404(conexion_list(), pk=pk)
        modo = request.GET.get("modo")
        form = AjusteBWForm(
            initial={"modo": modo if modo in ModoAjuste.values else ModoAjuste.AUMENTAR}
        )
        plantilla = "conexiones/_ajuste_bw_modal.html" if request.htmx else None
        return self.responder(request, conexion, form, plantilla)

    def post(self, request, pk):
        conexion = get_object_or_404(conexion_list(), pk=pk)
        form = AjusteBWForm(request.POST)
        if form.is_valid():
            try:
                mensaje = self.guardar(conexion, form)
            except ValidationError as error:
                aplicar_errores(form, error)
            else:
                if request.htmx:
                    respuesta = HttpResponse(status=204)
                    respuesta["HX-Trigger"] = json.dumps(
                        {"bwAjustado": {"id": conexion.pk, "mensaje": mensaje}}
                    )
                    return respuesta
                messages.success(request, mensaje)
                return HttpResponseRedirect(conexion.get_absolute_url())
        plantilla = "conexiones/_ajuste_bw_form.html" if request.htmx else None
        return self.responder(request, conexion, form, plantilla)

    def guardar(self, conexion, form) -> str:
        """Adjust now, or schedule a later or temporary change; the message to show."""
        datos = form.cleaned_data
        pedido = {
            "conexion": conexion,
            "modo": datos["modo"],
            "mbps": datos["mbps"],
            "motivo": datos["motivo"],
            "usuario": self.request.user,
            "confirmar_sobresuscripcion": datos["confirmar_sobresuscripcion"],
        }
        if form.es_programado():
            programado = ajuste_programado_crear(
                **pedido, inicio=datos["inicio"], fin=datos["fin"]
            )
            return mensaje_programado(programado)
        ajuste = conexion_ajustar_bw(**pedido)
        return (
            f"BW de {conexion.cid_enlace}: {miles_texto(ajuste.bw_anterior)} → "
            f"{mbps_texto(ajuste.bw_resultante)}."
        )

    def responder(self, request, conexion, form, plantilla):
        servicio = selectors.servicio_de_conexion(conexion)
        modo = form.data.get("modo") if form.is_bound else form.initial.get("modo")
        context = {
            "conexion": conexion,
            "servicio": servicio,
            "form": form,
            "modo": modo,
            "en_modal": bool(request.htmx),
            **_vista_previa(conexion, servicio, form, modo),
            "titulo": f"Ajustar BW de {conexion.cid_enlace}",
            "en_baja": conexion.estado == EstadoConexion.BAJA,
        }
        return render(request, plantilla or "conexiones/ajuste_bw.html", context)


def mensaje_programado(programado) -> str:
    """What the operator is told after scheduling a change."""
    signo = "+" if programado.modo == ModoAjuste.AUMENTAR else "−"
    cambio = f"{signo}{mbps_texto(programado.mbps)}"
    cid = programado.conexion.cid_enlace
    hasta = f" hasta el {fecha_texto(programado.fin)}" if programado.fin else ""
    if programado.ajuste_aplicado_id:
        ajuste = programado.ajuste_aplicado
        return (
            f"BW de {cid}: {miles_texto(ajuste.bw_anterior)} → "
            f"{mbps_texto(ajuste.bw_resultante)}{hasta} "
            "(ajuste temporal)."
        )
    return f"Ajuste programado en {cid}: {cambio} desde el {fecha_texto(programado.inicio)}{hasta}."


def _vista_previa(conexion, servicio, form, modo) -> dict:
    """The preview's figures: now, or at a future inicio after the changes scheduled before
    it (`figuras_en`); `fin` of a temporary change."""
    mbps = form.mbps_valido()
    inicio = form.inicio_futuro()
    if inicio is None:
        previo = conexion_ajuste_previo(conexion=conexion, servicio=servicio, modo=modo, mbps=mbps)
        figuras = None
    else:
        previo, figuras = ajuste_programado_previo(
            conexion=conexion, modo=modo, mbps=mbps, inicio=inicio
        )
    return {"previo": previo, "figuras_en": figuras, "fin": form.momento_valido("fin")}


class ConexionAjustePrevioView(ModelPermissionMixin, View):
    """The modal's live preview, computed by the server as the operator types."""

    model = Conexion
    permission_required = ("conexiones.view_conexion", PERMISO_AJUSTAR_BW)

    def get(self, request, pk):
        campos = ("pk", "cid_enlace", "bw_contratado", "estado", "servicio_id")
        conexion = get_object_or_404(Conexion.objects.only(*campos), pk=pk)
        servicio = selectors.servicio_de_conexion(conexion)
        form = AjusteBWForm(request.GET)
        modo = request.GET.get("modo")
        return render(
            request,
            "conexiones/_ajuste_bw_previo.html",
            {
                "conexion": conexion,
                "servicio": servicio,
                "form": form,
                **_vista_previa(conexion, servicio, form, modo),
            },
        )


# --- Scheduled changes ----------------------------------------------------------------------


class AjusteProgramadoListView(ObjectListView):
    """ "Ajustes programados": what happens in the next 24 h first, then later, then done."""

    model = AjusteProgramado
    filterset_class = AjusteProgramadoFilterSet
    title = "Ajustes programados"
    default_order = ORDEN_PROGRAMADOS
    row_actions = tablas.ACCIONES_PROGRAMADO
    columns = [
        Column(
            "conexion.cid_enlace",
            "CID / cliente",
            order_by="conexion__cid_enlace",
            render=tablas.programado_conexion,
        ),
        *tablas.COLUMNAS_PROGRAMADO,
    ]

    def get_queryset(self):
        return ajustes_programados_list()


class DestinoMixin:
    """Back to `next` (a URL of this site), else to the scheduled change's connection."""

    def destino(self, programado) -> str:
        siguiente = self.request.POST.get("next") or self.request.GET.get("next")
        if siguiente and url_has_allowed_host_and_scheme(
            siguiente,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return siguiente
        return programado.get_absolute_url()


class AjusteProgramadoCancelarView(DestinoMixin, ModelPermissionMixin, View):
    """Cancel a scheduled change: a confirmation page (GET), then POST; back to `next`."""

    model = AjusteProgramado
    permission_required = ("conexiones.view_ajusteprogramado", PERMISO_AJUSTAR_BW)

    def get(self, request, pk):
        programado = get_object_or_404(ajustes_programados_list(), pk=pk)
        return render(
            request,
            "conexiones/ajusteprogramado_cancelar.html",
            {
                "programado": programado,
                "columnas": tablas.CAMPOS_PROGRAMADO,
                "titulo": f"Cancelar ajuste programado de {programado.conexion.cid_enlace}",
                "next": self.destino(programado),
            },
        )

    def post(self, request, pk):
        programado = get_object_or_404(
            AjusteProgramado.objects.select_related("conexion"), pk=pk
        )
        try:
            programado = ajuste_programado_cancelar(programado=programado, usuario=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, programado.nota.splitlines()[-1])
        return HttpResponseRedirect(self.destino(programado))


class AjusteProgramadoReversionView(DestinoMixin, ModelPermissionMixin, View):
    """A failed revert of a temporary change: «reintentar» reverts it now (the operator may
    confirm an oversubscription), «resolver» closes it without reverting, with a reason.
    A confirmation page (GET), then POST; back to `next`."""

    model = AjusteProgramado
    permission_required = ("conexiones.view_ajusteprogramado", PERMISO_AJUSTAR_BW)
    accion = "reintentar"  # or "resolver" (as_view(accion=…))
    titulos = {"reintentar": "Reintentar la reversión", "resolver": "Resolver sin revertir"}

    def get(self, request, pk):
        programado = get_object_or_404(ajustes_programados_list(), pk=pk)
        return self.responder(programado, ReversionFallidaForm())

    def post(self, request, pk):
        programado = get_object_or_404(
            AjusteProgramado.objects.select_related("conexion"), pk=pk
        )
        form = ReversionFallidaForm(request.POST)
        if form.is_valid():
            try:
                if self.accion == "reintentar":
                    programado = ajuste_programado_reintentar(
                        programado=programado,
                        usuario=request.user,
                        confirmar_sobresuscripcion=form.cleaned_data[
                            "confirmar_sobresuscripcion"
                        ],
                    )
                else:
                    programado = ajuste_programado_resolver(
                        programado=programado,
                        usuario=request.user,
                        explicacion=form.cleaned_data["explicacion"],
                    )
            except ValidationError as error:
                aplicar_errores(form, error)
            else:
                messages.success(request, programado.nota.splitlines()[-1])
                return HttpResponseRedirect(self.destino(programado))
        programado = get_object_or_404(ajustes_programados_list(), pk=pk)
        return self.responder(programado, form, status=400)

    def responder(self, programado, form, status=200):
        return render(
            self.request,
            "conexiones/ajusteprogramado_reversion.html",
            {
                "programado": programado,
                "columnas": tablas.CAMPOS_PROGRAMADO,
                "form": form,
                "accion": self.accion,
                "titulo": f"{self.titulos[self.accion]} de {programado.conexion.cid_enlace}",
                "next": self.destino(programado),
            },
            status=status,
        )


class ConexionFormPartialMixin(LoginRequiredMixin, UserPassesTestMixin):
    """htmx helpers of the connection form: only for who may create or edit connections."""

    raise_exception = True

    def test_func(self):
        return puede_editar_conexiones(self.request.user)


class ConexionClientesBuscarView(ConexionFormPartialMixin, View):
    """Up to 20 <option>s of clients by razón social, RUC or CID, for the client select."""

    limite = 20

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        clientes = []
        if texto:
            encontrados, _ = clientes_buscar(
                texto, queryset=ClienteCorp.objects.only("pk", "razon_social", "ruc", "cid")
            )
            # The best matches first (isp_portal.busqueda), then by razón social.
            ordenados = busqueda.ordenar(encontrados, ["razon_social", "pk"])
            clientes = list(ordenados.filter(pk__in=busqueda.ids(ordenados)[: self.limite]))
        return render(
            request,
            "conexiones/_clientes_opciones.html",
            {
                "clientes": [(c.pk, cliente_opcion(c)) for c in clientes],
                "texto": texto,
                "limite": self.limite,
            },
        )


class ConexionCidSugeridoView(ConexionFormPartialMixin, View):
    """The CID input pre-filled with the chosen client's next CID."""

    def get(self, request):
        cliente_id = id_o_none(request.GET.get("cliente"))
        cliente = ClienteCorp.objects.filter(pk=cliente_id).first() if cliente_id else None
        cid = conexion_siguiente_cid(cliente=cliente) if cliente else ""
        form = ConexionForm(initial={"cid_enlace": cid})
        return render(request, "conexiones/_campo.html", {"field": form["cid_enlace"]})


class ConexionEquiposBuscarView(ConexionFormPartialMixin, View):
    """Up to 20 <option>s of offered equipment (free, or on ?conexion=) by serie/marca/modelo."""

    limite = 20

    def get(self, request):
        texto = request.GET.get("equipo_q", "").strip()
        conexion_id = id_o_none(request.GET.get("conexion"))
        conexion = Conexion(pk=conexion_id) if conexion_id else None
        equipos = []
        if texto:
            equipos = list(selectors.equipos_disponibles(conexion, texto=texto)[: self.limite])
        return render(
            request,
            "conexiones/_equipos_opciones.html",
            {"equipos": equipos, "texto": texto, "limite": self.limite},
        )


class ConexionServiciosProveedorView(ConexionFormPartialMixin, View):
    """The "Servicio del proveedor" select for ?proveedor=, disabled without a provider."""

    def get(self, request):
        form = ConexionForm(initial={"proveedor": request.GET.get("proveedor", "")})
        return render(request, "conexiones/_campo.html", {"field": form["servicio"]})


# --- Nodos, equipos and the impact lists ----------------------------------------------------


class NodoListView(ObjectListView):
    model = Nodo
    filterset_class = NodoFilterSet
    columns = [
        Column("nombre", link=True), "tipo", "departamento", "provincia", "distrito", "direccion"
    ]
    export_columns = NODO_COLUMNS
    row_actions = [IMPACTO_NODO, editar(Nodo)]
    deleted_field = "nombre"


class NodoDetailView(ObjectDetailView):
    model = Nodo
    buttons = [replace(IMPACTO_NODO, estilo="outline-danger")]
    sections = [
        Section("Nodo", ("nombre", "tipo", "created_at")),
        UBICACION,
        Section("Conexiones que usan el nodo", tablas.USO_DE_NODO),
    ]

    def get_object(self, queryset=None):
        nodo = super().get_object(queryset)
        nodo.uso = SimpleNamespace(**selectors.uso_de_nodo(nodo))
        return nodo

    def get_context_data(self, **kwargs):
        return super().get_context_data(uso=vars(self.object.uso), **kwargs)


class EquipoListView(ObjectListView):
    queryset = Equipo.objects.select_related("conexion")
    filterset_class = EquipoFilterSet
    # The unique index on serie serves this order at any size.
    default_order = ("serie",)
    columns = [
        Column("serie", link=True),
        "tipo",
        "marca",
        "modelo",
        Column("conexion", order_by="conexion__cid_enlace", render=tablas.equipo_conexion),
    ]
    export_columns = EQUIPO_COLUMNS
    deleted_field = "serie"


class EquipoDetailView(ObjectDetailView):
    queryset = Equipo.objects.select_related("conexion__cliente")
    title = "Equipo {object.serie}"
    sections = [Section("Equipo", ("tipo", "marca", "modelo", "serie"))]


class EquipoUpdateView(ObjectUpdateView):
    form_class = EquipoForm
    queryset = Equipo.objects.select_related("conexion")
    title = "Editar equipo {object.serie}"
    template_name = "conexiones/equipo_edit.html"


class ImpactoListView(ObjectListView):
    """Every connection through a node or a provider service, so the NOC can notify them all.

    Subclasses name `origen_queryset` (where the object in the URL is looked up) and
    `selector` (its connections).
    """

    model = Conexion
    origen_queryset = None
    filterset_class = ImpactoFilterSet
    template_name = "conexiones/impacto_list.html"
    filters_template = "conexiones/_impacto_filtros.html"
    row_actions = [
        Action(
            "Ver", lambda o: o.get_absolute_url(), icon="eye", title="Ver conexión", solo_icono=True
        )
    ]
    title = "Impacto de {view.origen}"
    default_order = ("cid_enlace", "pk")
    columns = [
        Column("cid_enlace", link=True),
        Column("cliente.razon_social", "Cliente / contacto", render=tablas.cliente_contacto),
        Column("direccion", "Ubicación", order_by="departamento", render=tablas.ubicacion),
        Column("estado", render=celdas.estado),
    ]
    export_columns = IMPACTO_COLUMNS

    @staticmethod
    def selector(origen):
        raise NotImplementedError

    @cached_property
    def origen(self):
        return get_object_or_404(self.origen_queryset, pk=self.kwargs["pk"])

    def get_queryset(self):
        return self.selector(self.origen)

    def get_add_url(self):
        return None

    def get_context_data(self, **kwargs):
        correos = selectors.correos_de(self.object_list)
        return super().get_context_data(origen=self.origen, correos=correos, **kwargs)


class NodoImpactoView(ImpactoListView):
    origen_queryset = Nodo.objects.all()
    selector = staticmethod(selectors.conexiones_por_nodo)
    title = "Impacto del nodo {view.origen.nombre}"
    columns = [
        *ImpactoListView.columns[:1],
        Column("extremo", order_by="extremo", render=tablas.extremo),
        *ImpactoListView.columns[1:],
    ]
    export_columns = {"extremo": "extremo", **IMPACTO_COLUMNS}


class ServicioImpactoView(ImpactoListView):
    origen_queryset = ServicioProveedor.objects.select_related("proveedor")
    selector = staticmethod(selectors.conexiones_por_servicio)
    title = "Impacto del servicio {view.origen.codigo}"
    columns = [*ImpactoListView.columns, Column("bw_contratado", render=MBPS, css="num")]


class EquipoImpactoView(ImpactoListView):
    origen_queryset = Equipo.objects.all()
    selector = staticmethod(selectors.conexiones_por_equipo)
    title = "Impacto del equipo {view.origen.serie}"


class ProveedorImpactoView(ImpactoListView):
    origen_queryset = Proveedor.objects.all()
    selector = staticmethod(selectors.conexiones_por_proveedor)
    title = "Impacto del proveedor {view.origen.nombre}"
    columns = [
        *ImpactoListView.columns,
        Column("servicio.codigo", "Servicio", order_by="servicio__codigo"),
    ]
