from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from isp_portal.admin import FilasInline

from .models import ClienteCorp, Sede, oficina_repetida
from .services import cliente_desactivar

MENSAJE_NO_BORRAR = (
    "No se puede eliminar «{cliente}»: tiene {n} conexión(es) registradas. "
    "Los clientes con conexiones se desactivan, no se eliminan."
)


class SedesFormSet(BaseInlineFormSet):
    """Two rows of one save may repeat an oficina (ignoring case and accents): the model's
    constraint checks each against the stored sedes, not against each other."""

    def clean(self):
        super().clean()
        vistas = set()
        for form in self.forms:
            oficina = getattr(form, "cleaned_data", {}).get("oficina")
            if not oficina or self._should_delete_form(form):
                continue
            clave = Sede.clave_de_oficina(oficina)
            if clave in vistas:
                form.add_error("oficina", oficina_repetida(oficina))
            vistas.add(clave)


class SedeInline(FilasInline):
    model = Sede
    formset = SedesFormSet
    fields = ["oficina", "locacion", "direccion", "departamento", "provincia", "distrito"]


@admin.register(ClienteCorp)
class ClienteCorpAdmin(SimpleHistoryAdmin):
    list_display = ["cid", "cod_erp", "razon_social", "ruc", "responsable", "is_active"]
    list_display += ["telefono", "correo"]
    list_filter = ["is_active"]
    search_fields = ["razon_social", "=ruc", "=cid", "=cod_erp"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SedeInline]
    show_full_result_count = False
    actions = ["desactivar"]

    @admin.action(description="Desactivar clientes seleccionados", permissions=["change"])
    def desactivar(self, request, queryset):
        n = cliente_desactivar(clientes=queryset)
        self.message_user(request, f"Se desactivaron {n} cliente(s).", messages.SUCCESS)

    def get_actions(self, request):
        # The bulk delete would stop at the first client with connections (PROTECT):
        # clients are deactivated instead.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        cliente = self.get_object(request, object_id)
        if cliente is not None:
            n = cliente.conexiones.count()
            if n:
                self.message_user(
                    request, MENSAJE_NO_BORRAR.format(cliente=cliente, n=n), messages.ERROR
                )
                url = reverse("admin:clientes_clientecorp_change", args=[cliente.pk])
                return HttpResponseRedirect(url)
        return super().delete_view(request, object_id, extra_context)


@admin.register(Sede)
class SedeAdmin(SimpleHistoryAdmin):
    list_display = ["oficina", "cliente", "departamento", "provincia", "distrito", "direccion"]
    list_filter = ["departamento"]
    search_fields = ["oficina", "direccion", "cliente__razon_social", "=cliente__ruc"]
    list_select_related = ["cliente"]
    autocomplete_fields = ["cliente"]
    show_full_result_count = False
