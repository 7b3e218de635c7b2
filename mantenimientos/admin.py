from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConexionAfectada, Mantenimiento, Notificacion, PlantillaAviso


class SoloLectura(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AfectadaInline(SoloLectura):
    model = ConexionAfectada
    fields = readonly_fields = ["cid_enlace", "cliente"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cliente")


class NotificacionInline(SoloLectura):
    model = Notificacion
    fields = readonly_fields = [
        "cliente",
        "tipo",
        "version",
        "correo",
        "cids",
        "estado",
        "motivo",
        "enviado_en",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cliente")


@admin.register(Mantenimiento)
class MantenimientoAdmin(SimpleHistoryAdmin):
    """Read here; windows are created, changed and cancelled on their pages (the services)."""

    list_display = ["__str__", "inicio", "fin", "tipo", "cancelado_en", "usuario"]
    list_filter = ["tipo", "tipo_objeto"]
    search_fields = ["objeto_nombre", "descripcion"]
    date_hierarchy = "inicio"
    list_select_related = ["usuario"]
    inlines = [AfectadaInline, NotificacionInline]
    readonly_fields = [f.name for f in Mantenimiento._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(PlantillaAviso)
class PlantillaAvisoAdmin(SimpleHistoryAdmin):
    """The notices' texts (Django template syntax). Variables: cliente (razon_social,
    responsable), conexiones (cid_enlace, locacion, direccion), cids, objeto, tipo, inicio,
    fin (hora de Lima), duracion, descripcion, contacto_noc, version."""

    list_display = ["tipo", "asunto", "updated_at"]
    fields = ["tipo", "asunto", "cuerpo"]
    readonly_fields = ["tipo"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
