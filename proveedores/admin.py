from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Proveedor, ServicioProveedor

# ServicioProveedor's admin shows its capacity, derived from the connections: conexiones.admin.


class ServicioProveedorInline(admin.TabularInline):
    model = ServicioProveedor
    extra = 0
    fields = ["codigo", "modalidad", "tipo", "capacidad_contratada", "estado"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proveedor")


@admin.register(Proveedor)
class ProveedorAdmin(SimpleHistoryAdmin):
    list_display = ["nombre", "ruc", "contacto", "telefono", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["nombre", "=ruc", "contacto"]
    inlines = [ServicioProveedorInline]
