from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from isp_portal import registro
from isp_portal.admin import FilasInline
from isp_portal.formatos import columna_mbps

from .models import Proveedor, ServicioProveedor


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


# A service's capacity is derived from the connections: the annotations come from what
# conexiones registered for the model (isp_portal.registro.consulta).
VENDIDA = columna_mbps("capacidad_vendida", "vendida")
DISPONIBLE = columna_mbps("capacidad_disponible", "disponible")


@admin.register(ServicioProveedor)
class ServicioProveedorAdmin(SimpleHistoryAdmin):
    list_display = [
        "codigo",
        "proveedor",
        "modalidad",
        "tipo",
        "departamento",
        columna_mbps("capacidad_contratada", "contratada"),
        VENDIDA,
        DISPONIBLE,
        "estado",
    ]
    list_filter = ["estado", "modalidad", "proveedor"]
    search_fields = ["codigo", "proveedor__nombre", "locacion"]
    list_select_related = ["proveedor"]
    autocomplete_fields = ["proveedor"]
    readonly_fields = [VENDIDA, DISPONIBLE]
    show_full_result_count = False

    def get_queryset(self, request):
        return registro.consulta(ServicioProveedor, super().get_queryset(request))
