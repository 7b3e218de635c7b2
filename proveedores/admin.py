from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conexiones.selectors import servicios_con_capacidad

from .models import Proveedor, ServicioProveedor


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


@admin.register(ServicioProveedor)
class ServicioProveedorAdmin(SimpleHistoryAdmin):
    list_display = [
        "codigo",
        "proveedor",
        "modalidad",
        "tipo",
        "departamento",
        "capacidad_contratada",
        "capacidad_vendida",
        "capacidad_disponible",
        "estado",
    ]
    list_filter = ["estado", "modalidad", "proveedor"]
    search_fields = ["codigo", "proveedor__nombre", "locacion"]
    list_select_related = ["proveedor"]
    autocomplete_fields = ["proveedor"]
    readonly_fields = ["capacidad_vendida", "capacidad_disponible"]
    show_full_result_count = False

    def get_queryset(self, request):
        return servicios_con_capacidad(super().get_queryset(request))

    @admin.display(description="vendida (Mbps)", ordering="capacidad_vendida")
    def capacidad_vendida(self, obj):
        return obj.capacidad_vendida

    @admin.display(description="disponible (Mbps)", ordering="capacidad_disponible")
    def capacidad_disponible(self, obj):
        return obj.capacidad_disponible
