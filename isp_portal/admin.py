"""Admin pieces shared by the apps (the apps register their models in their own admin.py),
and unlocking the login lockout from the back office."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from isp_portal.seguridad import desbloquear_intentos, desbloquear_usuarios


class FilasInline(admin.TabularInline):
    """The rows of a model under its parent's change page, no empty rows offered. Each row's
    __str__ may read its parent: it is fetched with the rows."""

    extra = 0

    def get_queryset(self, request):
        padre = self.fk_name or next(
            f.name for f in self.model._meta.fields if f.related_model is self.parent_model
        )
        return super().get_queryset(request).select_related(padre)


# --- login lockout: unlocking from the back office ---------------------------------------------
class IntentoDeAccesoAdmin(AccessAttemptAdmin):
    """Axes' failed login records, with "Desbloquear": removing a record unlocks its
    username+address pair (deleting it does the same)."""

    actions = [*AccessAttemptAdmin.actions, "desbloquear"]

    @admin.action(description="Desbloquear los intentos seleccionados")
    def desbloquear(self, request, queryset):
        n = desbloquear_intentos(queryset)
        self.message_user(request, f"Desbloqueados: se borraron {n} registros de intentos.")


class UsuarioAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "desbloquear_inicio_de_sesion"]

    @admin.action(description="Desbloquear el inicio de sesión", permissions=["change"])
    def desbloquear_inicio_de_sesion(self, request, queryset):
        nombres = [usuario.get_username() for usuario in queryset]
        desbloquear_usuarios(nombres)
        self.message_user(request, f"Inicio de sesión desbloqueado para: {', '.join(nombres)}.")


# Importing axes.admin and auth.admin above registered their admins: these replace them.
admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, IntentoDeAccesoAdmin)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UsuarioAdmin)
