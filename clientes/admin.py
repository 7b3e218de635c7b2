from django.contrib import admin

from .models import ClienteCorp, Sede


class SedeInline(admin.TabularInline):
    model = Sede
    extra = 0
    fields = ["oficina", "locacion", "direccion", "departamento", "provincia", "distrito"]


@admin.register(ClienteCorp)
class ClienteCorpAdmin(admin.ModelAdmin):
    list_display = ["cid", "cod_erp", "razon_social", "ruc", "responsable", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["razon_social", "=ruc", "=cid", "=cod_erp"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SedeInline]
    show_full_result_count = False


@admin.register(Sede)
class SedeAdmin(admin.ModelAdmin):
    list_display = ["oficina", "cliente", "departamento", "provincia", "distrito", "direccion"]
    list_filter = ["departamento"]
    search_fields = ["oficina", "direccion", "cliente__razon_social", "=cliente__ruc"]
    list_select_related = ["cliente"]
    autocomplete_fields = ["cliente"]
    show_full_result_count = False
