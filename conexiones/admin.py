from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from isp_portal.admin import FilasInline
from isp_portal.formatos import columna_fecha, columna_mbps

from .models import AjusteBW, AjusteProgramado, Conexion, Equipo, Nodo
from .services import CAMPOS_EDITABLES, conexion_actualizar, conexion_crear


class EquipoInline(FilasInline):
    model = Equipo
    fields = ["tipo", "marca", "modelo", "serie"]


class AjusteBWInline(admin.TabularInline):
    """The ledger is append-only: shown, never edited here."""

    model = AjusteBW
    extra = 0
    fields = [
        "created_at",
        "modo",
        "mbps",
        "bw_anterior",
        "bw_resultante",
        "servicio_disponible_anterior",
        "servicio_disponible_resultante",
        "motivo",
        "usuario",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("usuario")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Nodo)
class NodoAdmin(SimpleHistoryAdmin):
    list_display = ["nombre", "tipo", "departamento", "provincia", "distrito", "direccion"]
    list_filter = ["tipo", "departamento"]
    search_fields = ["nombre", "direccion", "locacion"]


@admin.register(Conexion)
class ConexionAdmin(SimpleHistoryAdmin):
    """Saves go through the connection services, so the admin keeps every rule: the CID
    sequence, the provider service's capacity and, for bandwidth, the ledger. bw_contratado
    is read-only here (Ajustar BW changes it) and a history version cannot be restored."""

    list_display = [
        "cid_enlace",
        "cliente",
        "tipo_enlace",
        "modalidad_enlace",
        "servicio",
        columna_mbps("bw_contratado", "BW contratado"),
        columna_mbps("bw_utilizado", "BW utilizado"),
        columna_mbps("bw_disponible", "BW disponible"),
        "estado",
    ]
    list_filter = ["estado", "tipo_enlace", "modalidad_enlace"]
    search_fields = ["=cid_enlace", "cliente__razon_social", "=cliente__ruc", "locacion"]
    list_select_related = ["cliente", "servicio__proveedor"]
    autocomplete_fields = ["cliente", "servicio", "nodo_a", "nodo_b"]
    readonly_fields = ["bw_disponible", "created_at", "updated_at"]
    inlines = [EquipoInline, AjusteBWInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "bw_contratado", "ajustar_bw"] if obj else fields

    @admin.display(description="Ajustar BW")
    def ajustar_bw(self, obj):
        return format_html(
            '<a href="{}">Ajustar BW de {}</a> (el cambio queda en el registro de ajustes)',
            reverse("conexiones:conexion_ajustar_bw", args=[obj.pk]),
            obj.cid_enlace,
        )

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Una versión anterior de una conexión no se restaura.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A rule broken under lock (e.g. oversubscription) rolls the save back: say why.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            datos = {c: form.cleaned_data[c] for c in form.changed_data if c in CAMPOS_EDITABLES}
            conexion_actualizar(conexion=obj, datos=datos, usuario=request.user)
            return
        campos = {f.name for f in Conexion._meta.concrete_fields}
        creada = conexion_crear(
            datos={c: v for c, v in form.cleaned_data.items() if c in campos},
            usuario=request.user,
        )
        obj.pk = creada.pk
        obj.refresh_from_db()
        obj._state.adding = False


@admin.register(Equipo)
class EquipoAdmin(SimpleHistoryAdmin):
    list_display = ["serie", "tipo", "marca", "modelo", "conexion"]
    list_filter = ["tipo", "marca"]
    search_fields = ["=serie", "marca", "modelo"]
    list_select_related = ["conexion"]
    autocomplete_fields = ["conexion"]
    show_full_result_count = False


class SoloLecturaAdmin(admin.ModelAdmin):
    """Rows written only by the services (the BW ledger, scheduled changes): shown, never
    added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AjusteBW)
class AjusteBWAdmin(SoloLecturaAdmin):
    list_display = [
        "created_at",
        "conexion",
        "modo",
        columna_mbps("mbps", "Mbps"),
        columna_mbps("bw_anterior", "BW anterior"),
        columna_mbps("bw_resultante", "BW resultante"),
        columna_mbps("servicio_disponible_resultante", "servicio disponible resultante"),
        "usuario",
        "motivo",
    ]
    list_filter = ["modo"]
    search_fields = ["=conexion__cid_enlace", "motivo", "usuario__username"]
    list_select_related = ["conexion", "usuario"]
    date_hierarchy = "created_at"
    show_full_result_count = False


INICIO = columna_fecha("inicio", "inicio")
FIN = columna_fecha("fin", "fin")


@admin.register(AjusteProgramado)
class AjusteProgramadoAdmin(SoloLecturaAdmin):
    """Scheduled changes are made and cancelled through Ajustar BW and the Ajustes
    programados page (the services check the rules; the scheduler applies them).

    Its moments are shown by fecha_texto and filtered by ranges from today (no
    date_hierarchy, which reads the oldest and newest): a stored moment out of range still
    opens every page (isp_portal.fechas)."""

    list_display = [
        INICIO,
        FIN,
        "conexion",
        "modo",
        "mbps",
        "estado",
        "usuario",
        "motivo",
    ]
    fields = [
        "conexion",
        "modo",
        "mbps",
        "motivo",
        INICIO,
        FIN,
        "estado",
        "nota",
        "confirmar_sobresuscripcion",
        "usuario",
        "cancelado_por",
        "ajuste_aplicado",
        "ajuste_revertido",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [INICIO, FIN]
    list_filter = ["estado", "modo", "inicio"]
    search_fields = ["=conexion__cid_enlace", "motivo", "usuario__username"]
    list_select_related = ["conexion", "usuario"]
    show_full_result_count = False
