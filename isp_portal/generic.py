"""The small generic layer behind every plain page: list, detail, create and edit.

An entity page is a declaration: a list names its queryset, filterset and columns; an edit
page names its form. Permissions, pagination, sorting, export, success messages and the
return URL live here once.
"""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import F, Func
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from .forms import PlainHiddenInput
from .historial import historial
from .tables import Column, export_response, export_rows, resolve

EXPORT_FORMATS = ("csv", "xlsx")
ORDER_PARAM = "orden"


class ModelPermissionMixin(PermissionRequiredMixin):
    """Require `<app>.<action>_<model>`; a logged-in user without it gets 403."""

    permission_action = "view"
    raise_exception = True

    def get_permission_required(self):
        if self.permission_required:
            return super().get_permission_required()
        opts = self.model._meta
        return [f"{opts.app_label}.{self.permission_action}_{opts.model_name}"]


def url_name(model, action: str) -> str:
    """URL names follow `<app>:<model>_<action>` (conexiones:conexion_list)."""
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


def reverse_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ModelContextMixin:
    """Title, model names and what the user may do, for every generic template."""

    title: str | None = None

    def get_title(self) -> str:
        return self.title or capfirst(self.model._meta.verbose_name_plural)

    def user_can(self, action: str) -> bool:
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("titulo", self.get_title())
        context["verbose_name"] = self.model._meta.verbose_name
        context["can_add"] = self.user_can("add")
        context["can_change"] = self.user_can("change")
        context["edit_url_name"] = url_name(self.model, "edit")
        return context


class SortWithoutIndex(Func):
    """A text column in its own order (same collation, same NULLs) that no index serves:
    `(col || '')` on PostgreSQL.

    With `ORDER BY razon_social LIMIT 10` and a search matching 5% of the rows, PostgreSQL
    walks the razón social index testing row after row, expecting a match every 20 rows; the
    matches of a word cluster (every "Servicios Logísticos …" sorts under S), so it tested
    84,000 rows. Unable to walk, it takes the matches from the search's indexes and sorts
    them: a cost that follows the matches, not where they sort.
    """

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s || '')")


class SearchPaginator(Paginator):
    """A paginator told its count by the search (BaseFilterSet.conteo / mas_de), so the list
    runs no COUNT: `mas_de` means there are more rows than `count` and only those are paged."""

    def __init__(self, *args, conteo: int, mas_de: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.conteo = conteo
        self.mas_de = mas_de

    @cached_property
    def count(self):
        return self.conteo


class ObjectListView(ModelPermissionMixin, ModelContextMixin, FilterView):
    """A list page: `queryset`, `filterset_class`, `columns`; 10 per page, sortable, exportable.

    `export_columns` maps export headers (DESIGN.md field names, so an export re-imports
    unchanged) to dotted accessors.
    """

    template_name = "generic/object_list.html"
    paginate_by = 10
    columns: list[Column] = []
    export_columns: dict[str, str] = {}
    default_order: tuple[str, ...] = ()
    # A search matching up to this many rows sorts them instead of walking the index of the
    # order (see SortWithoutIndex); more matches are dense enough to find a page by walking.
    # For an index-served search and a text column first in every order. 0: never.
    sort_search_matches = 0
    row_actions_template = "generic/_row_actions.html"
    filters_template = "generic/_filters.html"
    add_url: str | None = None

    def get(self, request, *args, **kwargs):
        formato = request.GET.get("exportar")
        if formato in EXPORT_FORMATS and self.export_columns:
            return self.export(formato)
        return super().get(request, *args, **kwargs)

    def export(self, formato: str):
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        return export_response(
            export_rows(self.order(queryset), self.export_columns),
            formato=formato,
            nombre=self.get_title(),
        )

    def sortable(self) -> dict[str, str]:
        return {c.accessor: c.order_by for c in self.columns if c.order_by}

    def current_order(self) -> str:
        orden = self.request.GET.get(ORDER_PARAM, "")
        return orden if orden.lstrip("-") in self.sortable() else ""

    def order(self, queryset, *, sort_matches: bool = False):
        orden = self.current_order()
        if orden:
            campo = self.sortable()[orden.lstrip("-")]
            prefijo = "-" if orden.startswith("-") else ""
            claves: list = [f"{prefijo}{campo}", f"{prefijo}pk"]
        else:
            claves = list(self.default_order)
        if not claves:
            return queryset
        if sort_matches:
            desc = claves[0].startswith("-")
            clave = SortWithoutIndex(F(claves[0].lstrip("-")))
            claves[0] = clave.desc() if desc else clave.asc()
        return queryset.order_by(*claves)

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(
            self.order(queryset, sort_matches=self.few_search_matches(queryset)), page_size
        )

    def few_search_matches(self, queryset) -> bool:
        """Whether a search matched at most `sort_search_matches` rows (then sorted rather
        than found by walking the order's index)."""
        filterset = getattr(self, "filterset", None)
        if not self.sort_search_matches or filterset is None:
            return False
        if not self.request.GET.get("busqueda", "").strip():
            return False
        if filterset.conteo is not None:
            return filterset.conteo <= self.sort_search_matches
        # More matches than the search counts: still sorted if they are few enough (a count
        # that stops at the limit).
        limite = self.sort_search_matches
        return queryset.order_by()[: limite + 1].count() <= limite

    def get_paginator(self, queryset, per_page, **kwargs):
        """The search's own count when it has one (see BaseFilterSet.search_branches)."""
        filterset = getattr(self, "filterset", None)
        mas_de = getattr(filterset, "mas_de", None)
        conteo = mas_de or getattr(filterset, "conteo", None)
        if conteo is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        return SearchPaginator(queryset, per_page, conteo=conteo, mas_de=bool(mas_de), **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objetos = context["object_list"]
        context["columns"] = self.columns
        context["rows"] = [(obj, [(c, c.value(obj)) for c in self.columns]) for obj in objetos]
        context["orden"] = self.current_order()
        context["order_param"] = ORDER_PARAM
        context["row_actions_template"] = self.row_actions_template
        context["filters_template"] = self.filters_template
        context["exportable"] = bool(self.export_columns)
        context["add_url"] = self.get_add_url() if context["can_add"] else None
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_sin_pagina"] = query.urlencode()
        query.pop(ORDER_PARAM, None)
        context["query_sin_orden"] = query.urlencode()
        if context.get("page_obj"):
            context["page_range"] = context["paginator"].get_elided_page_range(
                context["page_obj"].number, on_each_side=2, on_ends=1
            )
        return context

    def get_add_url(self) -> str | None:
        return self.add_url or reverse_or_none(url_name(self.model, "add"))


@dataclass(frozen=True)
class Section:
    """A titled block of a detail page: field names (or dotted accessors) of the object."""

    title: str
    fields: tuple[str, ...]


def field_label(model, accessor: str) -> str:
    from django.core.exceptions import FieldDoesNotExist

    nombre = accessor.split(".")[0]
    try:
        campo = model._meta.get_field(nombre)
    except FieldDoesNotExist:
        return capfirst(nombre.replace("_", " "))
    return capfirst(str(getattr(campo, "verbose_name", nombre)))


def field_display(obj, accessor: str):
    """The value a person reads: choice labels, Sí/No, "—" for empty."""
    if "." not in accessor and hasattr(obj, f"get_{accessor}_display"):
        value = getattr(obj, f"get_{accessor}_display")()
    else:
        value = resolve(obj, accessor)
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if value in (None, ""):
        return "—"
    return value


class ObjectDetailView(ModelPermissionMixin, ModelContextMixin, DetailView):
    """A detail page made of `sections`; entity templates add their own blocks."""

    template_name = "generic/object_detail.html"
    sections: list[Section] = []

    def get_title(self) -> str:
        return f"{capfirst(self.model._meta.verbose_name)} {self.object}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = [
            (
                section.title,
                [
                    (field_label(self.model, f), field_display(self.object, f))
                    for f in section.fields
                ],
            )
            for section in self.sections
        ]
        context["edit_url"] = reverse_or_none(url_name(self.model, "edit"), self.object.pk)
        if hasattr(self.model, "history"):
            context["historial"] = historial(self.object)
        return context


class ObjectEditMixin(ModelPermissionMixin, ModelContextMixin):
    """Create and edit pages: a form, a success message and a safe return URL (`?next=`)."""

    template_name = "generic/object_edit.html"
    success_message = "Se guardó «{obj}»."

    def get_success_url(self):
        destino = self.request.POST.get("next") or self.request.GET.get("next")
        if destino and url_has_allowed_host_and_scheme(
            destino, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return destino
        if self.success_url:
            return str(self.success_url)
        try:
            return self.object.get_absolute_url()
        except AttributeError:
            raise ImproperlyConfigured("Defina success_url o get_absolute_url().") from None

    def form_valid(self, form):
        self.object = self.save_form(form)
        messages.success(self.request, self.success_message.format(obj=self.object))
        return HttpResponseRedirect(self.get_success_url())

    def save_form(self, form):
        return form.save()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        context["cancel_url"] = self.get_cancel_url()
        return context

    def get_cancel_url(self) -> str | None:
        if getattr(self, "object", None) is not None and self.object.pk:
            return self.object.get_absolute_url()
        return reverse_or_none(url_name(self.model, "list"))


class ObjectCreateView(ObjectEditMixin, CreateView):
    permission_action = "add"

    def get_title(self) -> str:
        return self.title or f"Nuevo {self.model._meta.verbose_name}"


class ObjectUpdateView(ObjectEditMixin, UpdateView):
    permission_action = "change"

    def get_form(self, form_class=None):
        """Post each field's initial value back (hidden), so changed_data compares with what
        the user saw, not with the row as it is now: someone else's change meanwhile stays."""
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.show_hidden_initial = True
            if field.hidden_widget is forms.HiddenInput:
                field.hidden_widget = PlainHiddenInput
        return form

    def save_form(self, form):
        """Write only the fields the user changed, so concurrent edits of others survive."""
        if not form.changed_data:
            return form.instance
        obj = form.save(commit=False)
        concretos = {f.name for f in obj._meta.concrete_fields}
        auto = {f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
        obj.save(update_fields=[f for f in form.changed_data if f in concretos] + sorted(auto))
        form.save_m2m()
        return obj

    def get_title(self) -> str:
        return self.title or f"Editar {self.model._meta.verbose_name} {self.object}"


def entity_urls(
    prefix: str,
    *,
    list_view,
    detail_view=None,
    add_view=None,
    edit_view=None,
    add_slug: str = "nuevo",
) -> list:
    """The standard pages of an entity under `prefix`, named `<model>_<action>`:
    `prefix` (list), `prefix<pk>/` (detail), `prefix<add_slug>` (add), `prefix<pk>/editar`.
    """
    from django.urls import path

    nombre = list_view.model._meta.model_name
    vistas = [
        ("list", "", list_view),
        ("add", add_slug, add_view),
        ("detail", "<int:pk>/", detail_view),
        ("edit", "<int:pk>/editar", edit_view),
    ]
    return [
        path(f"{prefix}{ruta}", vista.as_view(), name=f"{nombre}_{accion}")
        for accion, ruta, vista in vistas
        if vista is not None
    ]
