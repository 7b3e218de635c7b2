"""Admin pieces shared by the apps (the apps register their models in their own admin.py)."""

from django.contrib import admin


class FilasInline(admin.TabularInline):
    """The rows of a model under its parent's change page, no empty rows offered. Each row's
    __str__ may read its parent: it is fetched with the rows."""

    extra = 0

    def get_queryset(self, request):
        padre = self.fk_name or next(
            f.name for f in self.model._meta.fields if f.related_model is self.parent_model
        )
        return super().get_queryset(request).select_related(padre)
