from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isp_portal.admin import FilasInline

from .models import Proveedor, ServicioProveedor

# ServicioProveedor's admin shows its capacity, derived from the connections: conexiones.admin.


class ServicioProveedorInline(FilasInline):
    model = ServicioProveedor
    fields = ["codigo", "modalidad", "tipo", "capacidad_contratada", "estado"]
    show_change_link = True


@admin.register(Proveedor)
class ProveedorAdmin(SimpleHistoryAdmin):
    list_display = ["nombre", "ruc", "contacto", "telefono", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["nombre", "=ruc", "contacto"]
    inlines = [ServicioProveedorInline]
