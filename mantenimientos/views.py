from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from isp_portal.enteros import id_o_none
from isp_portal.generic import (
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    Section,
)
from isp_portal.tables import Column

from . import celdas, selectors
from .choices import EstadoMantenimiento, TipoAviso, TipoObjeto
from .filters import MantenimientoFilterSet
from .forms import MantenimientoEditForm, MantenimientoForm
from .models import Mantenimiento
from .services import (
    avisos_enviar,
    avisos_que_faltan,
    mantenimiento_actualizar,
    mantenimiento_cancelar,
    mantenimiento_crear,
    mantenimiento_notificar,
)

# Clients listed on the detail page; the API and the export carry them all.
MAX_CLIENTES_DETALLE = 300


def aplicar_errores(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for campo, errores in error.error_dict.items():
        form.add_error(campo if campo in form.fields else None, errores)


class MantenimientoListView(ObjectListView):
    model = Mantenimiento
    filterset_class = MantenimientoFilterSet
    title = "Mantenimientos"
    default_order = selectors.ORDEN
    columns = [
        Column("objeto_nombre", "Objeto", render=celdas.objeto),
        Column("inicio", render=celdas.momento),
        Column("fin", render=celdas.momento),
        Column("tipo", render=celdas.tipo),
        Column("estado", "Estado", order_by="estado_actual", render=celdas.estado),
        Column("avisos_enviados", "Avisos enviados", order_by="avisos_enviados", css="num"),
    ]
    export_columns = {
        "id": "id",
        "tipo_objeto": "tipo_objeto",
        "objeto_id": "objeto_id",
        "objeto": "objeto_nombre",
        "inicio": "inicio",
        "fin": "fin",
        "tipo": "tipo",
        "estado": "estado_actual",
        "descripcion": "descripcion",
        "avisos_enviados": "avisos_enviados",
    }

    def get_queryset(self):
        return selectors.mantenimiento_list()


class MantenimientoDetailView(ObjectDetailView):
    model = Mantenimiento
    template_name = "mantenimientos/mantenimiento_detail.html"
    title = "Mantenimiento de {object}"
    sections = [
        Section(
            "Ventana",
            (
                Column("tipo_objeto", "Sobre"),
                Column("objeto_nombre", "Objeto", render=celdas.objeto_impacto),
                Column("inicio", render=celdas.momento),
                Column("fin", render=celdas.momento),
                "tipo",
                Column("estado", "Estado", render=celdas.estado),
            ),
        ),
        Section(
            "Registro",
            ("usuario", "created_at", "congelado_en", "cancelado_en", "cancelado_por", "version"),
        ),
    ]

    def get_queryset(self):
        return Mantenimiento.objects.select_related("usuario", "cancelado_por")

    def get_context_data(self, **kwargs):
        m = self.object
        afectacion = selectors.afectacion(m, con_avisos=True)
        progreso = selectors.progreso(m)
        puede = self.request.user.has_perm("mantenimientos.change_mantenimiento")
        estado = m.estado
        abierto = estado in (EstadoMantenimiento.PROGRAMADO, EstadoMantenimiento.EN_CURSO)
        context = super().get_context_data(**kwargs)
        context.update(
            afectacion=afectacion,
            clientes=afectacion.clientes[:MAX_CLIENTES_DETALLE],
            max_clientes=MAX_CLIENTES_DETALLE,
            progreso=progreso,
            notificaciones=selectors.notificaciones_de(m)[:50],
            puede_notificar=puede and (abierto or m.cancelado_en is not None),
            puede_cambiar=puede and abierto,
            seguimiento=_seguimiento(m) if puede else None,
            impacto_url=reverse(selectors.IMPACTO_URL[m.tipo_objeto], args=[m.objeto_id]),
            edit_url=reverse("mantenimientos:mantenimiento_edit", args=[m.pk])
            if puede and abierto
            else None,
        )
        return context


def _seguimiento(m: Mantenimiento) -> str | None:
    """The follow-up the page offers: clients told an earlier window, or not yet told of
    the cancellation (None: nothing to follow up)."""
    faltan = avisos_que_faltan(m)
    if faltan.get(TipoAviso.CANCELACION):
        return (
            f"{faltan[TipoAviso.CANCELACION]} cliente(s) avisados no saben aún de la cancelación."
        )
    if faltan.get(TipoAviso.CAMBIO):
        return f"{faltan[TipoAviso.CAMBIO]} cliente(s) fueron avisados de la ventana anterior."
    return None


class MantenimientoCreateView(ObjectCreateView):
    model = Mantenimiento
    form_class = MantenimientoForm
    template_name = "mantenimientos/mantenimiento_form.html"
    title = "Programar mantenimiento"
    success_message = "Se programó el mantenimiento de {obj}."

    def get_initial(self):
        initial = super().get_initial()
        tipo = self.request.GET.get("tipo_objeto")
        objeto_id = id_o_none(self.request.GET.get("objeto_id"))
        if tipo in TipoObjeto.values and objeto_id:
            objeto = selectors.objeto_de(tipo, objeto_id)
            if objeto is not None:
                initial["tipo_objeto"] = tipo
                initial["objeto"] = selectors.nombre_de_objeto(tipo, objeto)
                self.origen = objeto
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        origen = getattr(self, "origen", None)
        if origen is not None:
            # Who the window will affect, before it is saved: the impact list without BAJA.
            tipo = self.request.GET["tipo_objeto"]
            afectacion = selectors.afectacion(Mantenimiento(tipo_objeto=tipo, objeto_id=origen.pk))
            context["previa"] = afectacion
        return context

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            aplicar_errores(form, error)
            return self.form_invalid(form)

    def save_form(self, form):
        datos = form.cleaned_data
        return mantenimiento_crear(
            tipo_objeto=datos["tipo_objeto"],
            objeto_id=form.objeto_elegido.pk,
            inicio=datos["inicio"],
            fin=datos["fin"],
            tipo=datos["tipo"],
            descripcion=datos["descripcion"],
            usuario=self.request.user,
        )


class MantenimientoUpdateView(ObjectUpdateView):
    model = Mantenimiento
    form_class = MantenimientoEditForm
    title = "Cambiar el mantenimiento de {object}"
    success_message = "Se guardó el mantenimiento de {obj}."

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            aplicar_errores(form, error)
            return self.form_invalid(form)

    def save_form(self, form):
        version = self.object.version
        datos = {c: form.cleaned_data[c] for c in form.changed_data if c in form.cleaned_data}
        m = mantenimiento_actualizar(
            mantenimiento=self.object, datos=datos, usuario=self.request.user
        )
        if m.version != version:
            messages.warning(
                self.request,
                "La ventana cambió después del aviso: use «Notificar» para enviar el aviso de "
                "cambio a los clientes ya avisados.",
            )
        return m


class MantenimientoAccionView(ModelPermissionMixin, View):
    """A POST that acts on a window (notify, cancel) and returns to its page."""

    model = Mantenimiento
    permission_action = "change"

    def post(self, request, pk):
        m = get_object_or_404(Mantenimiento, pk=pk)
        try:
            mensaje = self.actuar(m)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, mensaje)
        return HttpResponseRedirect(m.get_absolute_url())


class MantenimientoNotificarView(MantenimientoAccionView):
    def get(self, request, pk):
        """A confirmation page: who is reached and who is not (the button POSTs)."""
        m = get_object_or_404(Mantenimiento, pk=pk)
        return render(
            request,
            "mantenimientos/mantenimiento_notificar.html",
            {
                "object": m,
                "titulo": f"Notificar el mantenimiento de {m}",
                "afectacion": selectors.afectacion(m),
                "progreso": selectors.progreso(m),
            },
        )

    def actuar(self, m) -> str:
        pedido = mantenimiento_notificar(mantenimiento=m, usuario=self.request.user)
        if not pedido.en_cola:
            return "No hay avisos por enviar: cada cliente con correo ya fue avisado."
        if pedido.en_cola <= settings.AVISOS_ENVIO_INMEDIATO:
            envio = avisos_enviar(mantenimiento=m, limite=pedido.en_cola)
            texto = f"Avisos enviados: {envio.enviados}."
            if envio.fallidos:
                texto += f" Fallidos: {envio.fallidos} (vea el motivo; «Notificar» los reintenta)."
            return texto
        return (
            f"{pedido.en_cola} avisos en cola: el trabajador de envío los manda ahora "
            "(el avance se ve en esta página)."
        )


class MantenimientoCancelarView(MantenimientoAccionView):
    def get(self, request, pk):
        m = get_object_or_404(Mantenimiento, pk=pk)
        return render(
            request,
            "mantenimientos/mantenimiento_cancelar.html",
            {"object": m, "titulo": f"Cancelar el mantenimiento de {m}"},
        )

    def actuar(self, m) -> str:
        mantenimiento_cancelar(mantenimiento=m, usuario=self.request.user)
        return "Se canceló el mantenimiento."


class MantenimientoProgresoView(ModelPermissionMixin, View):
    """The notices' progress, polled by the detail page while some are queued (htmx)."""

    model = Mantenimiento

    def get(self, request, pk):
        m = get_object_or_404(Mantenimiento, pk=pk)
        return render(
            request,
            "mantenimientos/_progreso.html",
            {"object": m, "progreso": selectors.progreso(m)},
        )
