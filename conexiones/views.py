import json
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from clientes import views as clientes_views
from clientes.models import ClienteCorp
from clientes.selectors import clientes_buscar
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
    primeros,
)
from isp_portal.tables import Column
from proveedores import views as proveedores_views
from proveedores.filters import ServicioProveedorFilterSet
from proveedores.importacion import SERVICIO_COLUMNS
from proveedores.models import ServicioProveedor

from . import selectors
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
    conexion_actualizar,
    conexion_ajustar_bw,
    conexion_crear,
    conexion_siguiente_cid,
)

# The detail page shows the latest adjustments only, so it stays a constant-size page.
MAX_AJUSTES_DETALLE = 50
# Detail pages show this many rows of a related list; the rest is one click away.
LIMITE_DETALLE = 20
MBPS = "generic/_mbps.html"
# The figure from monitoring with its age (grey when stale or never measured).
BW_UTILIZADO = "conexiones/_bw_utilizado.html"
ENLACE = "generic/_enlace.html"
ESTADO = "conexiones/_estado_celda.html"


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
    row_actions_template = "conexiones/_conexion_acciones.html"
    # pk follows creation order and is indexed: newest first without a sort over the table.
    default_order = ("-pk",)
    columns = [
        Column("cid_enlace", link=True),
        Column("tipo_enlace", "Tipo de servicio"),
        Column(
            "cliente.razon_social",
            "Cliente / locación",
            template="conexiones/_cliente_celda.html",
            css="conexion-cliente",
        ),
        Column("bw_contratado", "BW contratado", template=MBPS, css="num"),
        Column("bw_disponible", "BW disponible", template=MBPS, css="num"),
        Column("bw_utilizado", "BW utilizado", template=BW_UTILIZADO, css="num"),
        Column("estado", template=ESTADO),
    ]
    export_columns = CONEXION_COLUMNS

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
        columnas = ConexionListView.columns
        return render(
            request,
            "conexiones/_conexion_fila.html",
            {
                "obj": obj,
                "cells": [(c, c.value(obj)) for c in columnas],
                "row_actions_template": ConexionListView.row_actions_template,
                "can_change": request.user.has_perm("conexiones.change_conexion"),
                "can_ajustar": request.user.has_perm(PERMISO_AJUSTAR_BW),
            },
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
                Column("estado", template=ESTADO),
                "fecha_activacion",
                Column("bw_contratado", "BW contratado", template=MBPS),
                Column("bw_disponible", "BW disponible", template=MBPS),
                Column("bw_utilizado", "BW utilizado", template=BW_UTILIZADO),
                "created_at",
            ),
        ),
        Section(
            "Servicio del proveedor",
            (
                Column("servicio", "Servicio", template=ENLACE),
                Column("servicio.modalidad", "Modalidad"),
                Column("servicio_disponible", "Disponible", template=MBPS),
                Column("servicio_vendida", "Vendida", template=MBPS),
            ),
        ),
        Section(
            "Cliente",
            (
                Column("cliente", "Razón social", template=ENLACE),
                Column("cliente.ruc", template="conexiones/_cliente_ruc.html"),
                Column("cliente.cid", "CID del cliente"),
            ),
        ),
        Section(
            "Topología",
            (
                Column("nodo_a", "Nodo A", template="conexiones/_nodo_celda.html"),
                Column("nodo_b", "Nodo B", template="conexiones/_nodo_celda.html"),
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
            ajustes_programados=(
                ajustes_programados_de_conexion(c) if c.tiene_programados else []
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
    row_actions_template = "conexiones/_programado_acciones.html"
    columns = [
        Column(
            "conexion.cid_enlace",
            "CID / cliente",
            order_by="conexion__cid_enlace",
            template="conexiones/_programado_conexion.html",
        ),
        Column("mbps", "Cambio", css="num", template="conexiones/_programado_cambio.html"),
        Column("inicio", "Inicio", order_by="inicio", template="conexiones/_fecha_celda.html"),
        Column("fin", "Fin", order_by="fin", template="conexiones/_fecha_celda.html"),
        Column(
            "estado", "Estado", order_by="estado", template="conexiones/_programado_estado.html"
        ),
        Column("motivo", "Motivo"),
        Column("usuario", "Programado por"),
    ]

    def get_queryset(self):
        return ajustes_programados_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_ajustar"] = self.request.user.has_perm(PERMISO_AJUSTAR_BW)
        return context


class AjusteProgramadoCancelarView(ModelPermissionMixin, View):
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

    def destino(self, programado) -> str:
        siguiente = self.request.POST.get("next") or self.request.GET.get("next")
        if siguiente and url_has_allowed_host_and_scheme(
            siguiente,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return siguiente
        return programado.get_absolute_url()


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
            clientes = list(encontrados.order_by("razon_social", "pk")[: self.limite])
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
    row_actions_template = "conexiones/_nodo_acciones.html"
    deleted_field = "nombre"


class NodoDetailView(ObjectDetailView):
    model = Nodo
    sections = [Section("Nodo", ("nombre", "tipo", "created_at")), UBICACION]

    def get_context_data(self, **kwargs):
        return super().get_context_data(uso=selectors.uso_de_nodo(self.object), **kwargs)


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
        Column(
            "conexion",
            order_by="conexion__cid_enlace",
            template="conexiones/_equipo_conexion.html",
        ),
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
    row_actions_template = "conexiones/_impacto_acciones.html"
    title = "Impacto de {view.origen}"
    default_order = ("cid_enlace", "pk")
    columns = [
        Column("cid_enlace", link=True),
        Column(
            "cliente.razon_social",
            "Cliente / contacto",
            template="conexiones/_impacto_cliente.html",
        ),
        Column(
            "direccion",
            "Ubicación",
            order_by="departamento",
            template="conexiones/_impacto_ubicacion.html",
        ),
        Column("estado", template=ESTADO),
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
        Column("extremo", order_by="extremo", template="conexiones/_impacto_extremo.html"),
        *ImpactoListView.columns[1:],
    ]
    export_columns = {"extremo": "extremo", **IMPACTO_COLUMNS}


# --- Pages of clients and providers that show connections or capacity ------------------------
# They keep the clientes and proveedores URL names (isp_portal/urls.py adds them to those
# namespaces) but are built here, where the dependency points: conexiones reads clients and
# providers, never the other way round.


class ClienteCorpDetailView(clientes_views.ClienteCorpDetailView):
    template_name = "conexiones/clientecorp_detail.html"
    # A client may have hundreds of connections: the page shows the first ones and links
    # to the connections list filtered by the client for the rest.
    max_conexiones = 50

    def get_context_data(self, **kwargs):
        conexiones = selectors.conexiones_de_cliente(self.object)
        conexiones, hay_mas = primeros(conexiones, self.max_conexiones)
        return super().get_context_data(
            conexiones=conexiones, hay_mas_conexiones=hay_mas, **kwargs
        )


class ProveedorDetailView(proveedores_views.ProveedorDetailView):
    template_name = "conexiones/proveedor_detail.html"

    def get_context_data(self, **kwargs):
        servicios, hay_mas = primeros(selectors.servicios_de(self.object), LIMITE_DETALLE)
        return super().get_context_data(
            servicios=servicios, hay_mas_servicios=hay_mas, **kwargs
        )


class ServicioProveedorListView(ObjectListView):
    queryset = selectors.servicio_list()
    filterset_class = ServicioProveedorFilterSet
    default_order = ("proveedor__nombre", "codigo")
    columns = [
        Column("codigo", "Servicio", template="proveedores/_servicio_celda.html"),
        Column("departamento", "Ubicación", template="proveedores/_ubicacion_celda.html"),
        Column(
            "porcentaje_uso",
            "Uso",
            order_by="porcentaje_uso",
            template="conexiones/_capacidad_celda.html",
            css="capacidad",
        ),
        Column("capacidad_vendida", "Vendida", "capacidad_vendida", MBPS, css="num"),
        Column("capacidad_contratada", "Contratada", template=MBPS, css="num"),
        Column("capacidad_disponible", "Disponible", "capacidad_disponible", MBPS, css="num"),
        Column("estado", template="proveedores/_estado_servicio.html"),
    ]
    export_columns = SERVICIO_COLUMNS
    row_actions_template = "conexiones/_servicio_acciones.html"
    deleted_field = "codigo"


class ServicioProveedorDetailView(proveedores_views.ServicioProveedorDetailView):
    queryset = selectors.servicio_list()
    template_name = "conexiones/servicioproveedor_detail.html"

    def get_context_data(self, **kwargs):
        conexiones = selectors.conexiones_por_servicio(self.object)
        conexiones, hay_mas = primeros(conexiones, LIMITE_DETALLE)
        return super().get_context_data(
            conexiones=conexiones,
            hay_mas_conexiones=hay_mas,
            ajustes=selectors.ajustes_por_servicio(self.object, limite=LIMITE_DETALLE),
            **kwargs,
        )


class ServicioImpactoView(ImpactoListView):
    origen_queryset = ServicioProveedor.objects.select_related("proveedor")
    selector = staticmethod(selectors.conexiones_por_servicio)
    title = "Impacto del servicio {view.origen.codigo}"
    columns = [*ImpactoListView.columns, Column("bw_contratado", template=MBPS, css="num")]
