"""The small generic layer behind every plain page: list, detail, create and edit.

An entity page is a declaration: a list names its queryset, filterset and columns; an edit
page names its form. Permissions, pagination, sorting, export, success messages and the
return URL live here once.
"""

from dataclasses import dataclass, replace

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import PROTECT, RESTRICT, ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from . import registro
from .formatos import miles_texto
from .forms import PlainHiddenInput
from .historial import historial
from .listas import TAMANOS_DE_PAGINA, IdPaginator, ordenar, pocas_coincidencias, por_pagina
from .models import CAMPOS_UBICACION
from .services import (
    ExportacionRechazada,
    exportacion_iniciar,
    exportacion_latidos,
    exportacion_terminar,
)
from .tables import Action, Column, export_response, export_rows, fila_html

EXPORT_FORMATS = ("csv", "xlsx")
ORDER_PARAM = "orden"


def xlsx_excede(filas: int) -> str | None:
    """Why a list of `filas` rows is not offered as XLSX (settings.EXPORT_XLSX_MAX_FILAS),
    or None when it is."""
    maximo = settings.EXPORT_XLSX_MAX_FILAS
    if filas <= maximo:
        return None
    return (
        f"El XLSX se ofrece hasta {miles_texto(maximo)} filas y esta lista tiene más: "
        "descargue el CSV (Excel también lo abre) o filtre la lista."
    )


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
    """Title, model names and what the user may do, for every generic template.

    `title` is a format string of the page's `object`, the `view` and the model's names
    (`modelo`, `modelos`, `verbose_name`): "Nodo {object.nombre}",
    "Sedes de {view.cliente.razon_social}".
    """

    title = "{modelos}"
    # The generic page's template, unless the entity has its own
    # (`<app>/<model><template_name_suffix>.html`, as Django names them) or names one.
    template_name = None
    generic_template = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A view that names its queryset needs not name its model too.
        if getattr(cls, "model", None) is None and getattr(cls, "queryset", None) is not None:
            cls.model = cls.queryset.model

    def get_template_names(self):
        if self.template_name:
            return [self.template_name]
        opts = self.model._meta
        propia = f"{opts.app_label}/{opts.model_name}{self.template_name_suffix}.html"
        return [propia, self.generic_template]

    def get_title(self) -> str:
        opts = self.model._meta
        return self.title.format(
            object=getattr(self, "object", None),
            view=self,
            modelo=capfirst(opts.verbose_name),
            modelos=capfirst(opts.verbose_name_plural),
            verbose_name=opts.verbose_name,
        )

    def user_can(self, action: str) -> bool:
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("titulo", self.get_title())
        context["verbose_name"] = self.model._meta.verbose_name
        context["can_add"] = self.user_can("add")
        context["can_change"] = self.user_can("change")
        context["can_delete"] = self.user_can("delete")
        context["edit_url_name"] = url_name(self.model, "edit")
        return context


VER = Action("Ver", lambda obj: obj.get_absolute_url(), icon="eye", title="Ver", solo_icono=True)


def editar(model) -> Action:
    """The «Editar» button of a row of `model` (its `<app>:<model>_edit` page)."""
    return Action("Editar", url_name(model, "edit"), estilo="outline-primary", permiso="change")


class ObjectListView(ModelPermissionMixin, ModelContextMixin, FilterView):
    """A list page: `queryset`, `filterset_class`, `columns`, `row_actions`; 10, 25, 50 or
    100 per page, sortable, exportable. Rows are rendered in Python (tables.fila_html).

    `export_columns` maps export headers (DESIGN.md field names, so an export re-imports
    unchanged) to dotted accessors. `row_actions` defaults to Ver and Editar.
    """

    generic_template = "generic/object_list.html"
    template_name_suffix = "_list"
    columns: list[Column] = []
    row_actions: list[Action] | None = None
    export_columns: dict[str, str] = {}
    default_order: tuple[str, ...] = ()
    # A search matching up to this many rows sorts them instead of walking the index of the
    # order (see SortWithoutIndex); more matches are dense enough to find a page by walking.
    # For an index-served search and a text column first in every order. 0: never.
    sort_search_matches = 0
    filters_template = "generic/_filters.html"
    add_url: str | None = None
    # The field that names a deleted row in "Eliminados recientemente" (None: not shown).
    deleted_field: str | None = None
    deleted_shown = 5

    def get(self, request, *args, **kwargs):
        formato = request.GET.get("exportar")
        if formato in EXPORT_FORMATS and self.export_columns:
            return self.export(formato)
        return super().get(request, *args, **kwargs)

    def export(self, formato: str):
        """The filtered list as a download, in a constant number of queries; one export at
        a time per user, and XLSX only up to settings.EXPORT_XLSX_MAX_FILAS rows."""
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        if formato == "xlsx":
            # Counted only past the limit: enough to know the list exceeds it.
            filas = queryset.order_by()[: settings.EXPORT_XLSX_MAX_FILAS + 1].count()
            if motivo := xlsx_excede(filas):
                return self.export_refused(motivo, status=400, ofrecer_csv=True)
        try:
            exportacion = exportacion_iniciar(usuario=self.request.user)
        except ExportacionRechazada as rechazo:
            respuesta = self.export_refused(str(rechazo), status=429)
            respuesta["Retry-After"] = "60"
            return respuesta
        try:
            return export_response(
                exportacion_latidos(
                    export_rows(self.order(queryset), self.export_columns), exportacion
                ),
                formato=formato,
                nombre=self.get_title(),
                al_terminar=lambda: exportacion_terminar(exportacion),
            )
        except BaseException:
            exportacion_terminar(exportacion)
            raise

    def export_refused(self, mensaje: str, *, status: int, ofrecer_csv: bool = False):
        """A page saying why the export was not made, with the way back to the list."""
        query = self.request.GET.copy()
        query.pop("exportar", None)
        volver = f"{self.request.path}?{query.urlencode()}" if query else self.request.path
        query["exportar"] = "csv"
        return render(
            self.request,
            "generic/exportacion_rechazada.html",
            {
                "titulo": self.get_title(),
                "mensaje": mensaje,
                "volver": volver,
                "csv_url": f"{self.request.path}?{query.urlencode()}" if ofrecer_csv else None,
            },
            status=status,
        )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            columnas = (Column(c) if isinstance(c, str) else c for c in cls.columns)
            cls.columns = [column.bound(cls.model) for column in columnas]
            if cls.row_actions is None:
                cls.row_actions = [VER, editar(cls.model)]

    def get_queryset(self):
        """The list's queryset with what other apps registered for the model (registro)."""
        return registro.consulta(self.model, super().get_queryset())

    def get_columns(self) -> list[Column]:
        """The declared columns and those other apps registered (isp_portal.registro)."""
        if not hasattr(self, "_columns"):
            self._columns = registro.columnas(self.model, self.columns)
        return self._columns

    def actions(self) -> list[Action]:
        """The row actions this user may use (their permissions checked once a page)."""
        opts = self.model._meta
        todas = registro.acciones(self.model, self.row_actions)
        return [a for a in todas if a.permitida(self.request.user, opts)]

    def row_attrs(self, obj) -> dict | None:
        """Extra attributes of a row's <tr> (htmx)."""
        return None

    def rows(self, objetos) -> list:
        acciones = self.actions()
        return [
            fila_html(obj, self.get_columns(), acciones, self.request, self.row_attrs(obj))
            for obj in objetos
        ]

    def sortable(self) -> dict[str, str]:
        return {c.accessor: c.order_by for c in self.get_columns() if c.order_by}

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
        # A search's best matches first (isp_portal.busqueda); a chosen column rules.
        return ordenar(queryset, claves, sin_indice=sort_matches, por_rango=not orden)

    def get_paginate_by(self, queryset):
        """`?por_pagina=` (10, 25, 50 or 100), remembered for the user's every list."""
        return por_pagina(self.request)

    def paginate_queryset(self, queryset, page_size):
        """The page asked for; a `page` that is no number shows the first page, one past the
        end (or below 1) the last: a link to page 40 of a list that shrank still shows rows
        (Paginator.get_page), never a 404."""
        paginator = self.get_paginator(
            self.order(queryset, sort_matches=self.few_search_matches(queryset)),
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return (paginator, page, page.object_list, page.has_other_pages())

    def few_search_matches(self, queryset) -> bool:
        """Whether a search matched at most `sort_search_matches` rows (then sorted rather
        than found by walking the order's index)."""
        filterset = getattr(self, "filterset", None)
        if not self.sort_search_matches or filterset is None:
            return False
        if not self.request.GET.get("busqueda", "").strip():
            return False
        return pocas_coincidencias(queryset, filterset.conteo, self.sort_search_matches)

    def get_paginator(self, queryset, per_page, **kwargs):
        """The search's own count when it has one (see BaseFilterSet.search_branches), else
        a count, or for a large list the planner's estimate (listas.contar)."""
        filterset = getattr(self, "filterset", None)
        mas_de = getattr(filterset, "mas_de", None)
        conteo = mas_de or getattr(filterset, "conteo", None)
        return IdPaginator(
            queryset, per_page, conteo=conteo, mas_de=bool(mas_de), estimar=True, **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objetos = context["object_list"]
        context["columns"] = self.get_columns()
        context["rows"] = self.rows(objetos)
        context["orden"] = self.current_order()
        context["order_param"] = ORDER_PARAM
        context["tamanos"] = TAMANOS_DE_PAGINA
        context["filters_template"] = self.filters_template
        context["exportable"] = bool(self.export_columns)
        if self.export_columns and context.get("paginator") is not None:
            context["xlsx_excede"] = xlsx_excede(context["paginator"].count)
        context["add_url"] = self.get_add_url() if context["can_add"] else None
        if self.deleted_field:
            context["eliminados"] = [
                (registro, getattr(registro, self.deleted_field))
                for registro in self.deleted_records()[: self.deleted_shown]
            ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_sin_pagina"] = query.urlencode()
        query.pop("por_pagina", None)
        context["query_sin_tamano"] = query.urlencode()
        query.pop(ORDER_PARAM, None)
        context["query_sin_orden"] = query.urlencode()
        if context.get("page_obj"):
            context["page_range"] = context["paginator"].get_elided_page_range(
                context["page_obj"].number, on_each_side=2, on_ends=1
            )
        return context

    def get_add_url(self) -> str | None:
        return self.add_url or reverse_or_none(url_name(self.model, "add"))

    def deleted_records(self):
        """History rows of the deletions, newest first (served by the partial index of
        deletions of every history table, see Historial)."""
        return (
            self.model.history.filter(history_type="-")
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )


@dataclass(frozen=True)
class Section:
    """A titled block of a detail page: the object's fields, each a name, a dotted accessor
    or a Column (for a label or a template of its own)."""

    title: str
    fields: tuple[str | Column, ...]

    def bound(self, model) -> "Section":
        columnas = (Column(f) if isinstance(f, str) else f for f in self.fields)
        return replace(self, fields=tuple(c.bound(model) for c in columnas))


# The location fields of every Ubicacion model.
UBICACION = Section("Ubicación", CAMPOS_UBICACION)


class ObjectDetailView(ModelPermissionMixin, ModelContextMixin, DetailView):
    """A detail page made of `sections`; entity templates add their own blocks."""

    generic_template = "generic/object_detail.html"
    title = "{modelo} {object}"
    sections: list[Section] = []
    # Buttons at the top, besides Editar and Eliminar (tables.Action of the object).
    buttons: list[Action] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            cls.sections = [section.bound(cls.model) for section in cls.sections]

    def get_queryset(self):
        return registro.consulta(self.model, super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["obj"] = self.object
        # Buttons and panels other apps registered for the model (isp_portal.registro).
        opts = self.model._meta
        context["botones"] = [
            html
            for boton in [*self.buttons, *registro.botones(self.model)]
            if boton.permitida(self.request.user, opts) and (html := boton.html(self.object))
        ]
        context["sections"] = [
            (section.title, [(c, c.html(self.object)) for c in section.fields])
            for section in self.sections
        ]
        context["edit_url"] = reverse_or_none(url_name(self.model, "edit"), self.object.pk)
        context["delete_url"] = reverse_or_none(url_name(self.model, "delete"), self.object.pk)
        if hasattr(self.model, "history"):
            context["historial"] = historial(self.object)
        context["paneles"] = registro.paneles(self.request, self.object, context)
        return context


class ObjectEditMixin(ModelPermissionMixin, ModelContextMixin):
    """Create and edit pages: a form, a success message and a safe return URL (`?next=`)."""

    generic_template = "generic/object_edit.html"
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
    title = "Nuevo {verbose_name}"


class ObjectUpdateView(ObjectEditMixin, UpdateView):
    permission_action = "change"
    title = "Editar {verbose_name} {object}"

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


@dataclass(frozen=True)
class Dependencia:
    """Rows that refer to an object about to be deleted (the first ones, and how many)."""

    etiqueta: str
    total: int
    filas: list
    bloquea: bool


class ObjectDeleteView(ModelPermissionMixin, ModelContextMixin, DeleteView):
    """Delete from the pages, after a confirmation page that lists what refers to the object.

    Rows that protect it (a relation with on_delete PROTECT or RESTRICT) or a relation of its
    own named in `en_uso` (equipment on a connection) keep it from being deleted: the page
    says why instead. django-simple-history records the deletion with its user.
    """

    permission_action = "delete"
    # Not DeletionMixin's DELETE: it deletes at once, past the checks of form_valid.
    http_method_names = ["get", "head", "post", "options"]
    generic_template = "generic/object_delete.html"
    title = "Eliminar {verbose_name} {object}"
    en_uso: tuple[str, ...] = ()
    muestra = 10  # dependent rows named on the page; the rest are counted

    def dependencias(self) -> list[Dependencia]:
        """What refers to the object, and what it is on (`en_uso`): one query each."""
        obj = self.object
        dependencias = []
        for nombre in self.en_uso:
            valor = getattr(obj, nombre)
            if valor is not None:
                etiqueta = str(self.model._meta.get_field(nombre).verbose_name)
                dependencias.append(Dependencia(etiqueta, 1, [valor], bloquea=True))
        for relacion in self.model._meta.related_objects:
            modelo = relacion.related_model
            filas = modelo._base_manager.filter(**{relacion.field.name: obj}).order_by("pk")
            vistas = list(filas[: self.muestra + 1])
            if not vistas:
                continue
            total = filas.count() if len(vistas) > self.muestra else len(vistas)
            opts = modelo._meta
            palabra = opts.verbose_name if total == 1 else opts.verbose_name_plural
            etiqueta = f"{palabra} ({relacion.field.verbose_name})"
            bloquea = relacion.on_delete in (PROTECT, RESTRICT)
            dependencias.append(Dependencia(etiqueta, total, vistas[: self.muestra], bloquea))
        return dependencias

    def get_context_data(self, **kwargs):
        dependencias = kwargs.pop("dependencias", None) or self.dependencias()
        return super().get_context_data(
            dependencias=dependencias,
            bloqueado=any(d.bloquea for d in dependencias),
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        nombre = str(self.object)
        destino = self.get_success_url()
        try:
            with transaction.atomic():
                # Locked, so nothing starts using it between the check and the delete.
                self.object = self.get_queryset().select_for_update().get(pk=self.object.pk)
                dependencias = self.dependencias()
                if any(d.bloquea for d in dependencias):
                    return self.render_to_response(
                        self.get_context_data(dependencias=dependencias), status=409
                    )
                self.object.delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            # Something started using it meanwhile (a foreign key the database enforces).
            self.object = self.get_object()
            return self.render_to_response(self.get_context_data(), status=409)
        messages.success(self.request, f"Se eliminó «{nombre}».")
        return HttpResponseRedirect(destino)

    def get_success_url(self):
        return reverse_or_none(url_name(self.model, "list")) or self.object.get_absolute_url()


def primeros(queryset, limite: int) -> tuple[list, bool]:
    """The first `limite` rows and whether there are more: one row more is read, no COUNT."""
    filas = list(queryset[: limite + 1])
    return filas[:limite], len(filas) > limite


def entity_urls(
    prefix: str,
    model=None,
    *,
    form=None,
    delete: bool = False,
    en_uso: tuple[str, ...] = (),
    add_slug: str = "nuevo",
    **vistas,
) -> list:
    """The standard pages of an entity under `prefix`, named `<model>_<action>`: `list`
    (`prefix`), `detail` (`prefix<pk>/`), `add` (`prefix<add_slug>`), `edit`
    (`prefix<pk>/editar`) and `delete` (`prefix<pk>/eliminar`), given as view classes (or
    what `as_view()` returned) by action. `form` makes the plain add and edit pages the
    entity does not give; `delete` the delete page (see ObjectDeleteView for `en_uso`).
    """
    from django.urls import path

    model = model or vistas["list"].model
    if form is not None:
        vistas.setdefault("add", ObjectCreateView.as_view(model=model, form_class=form))
        vistas.setdefault("edit", ObjectUpdateView.as_view(model=model, form_class=form))
    if delete:
        vistas["delete"] = ObjectDeleteView.as_view(model=model, en_uso=en_uso)
    rutas = {
        "list": "",
        "add": add_slug,
        "detail": "<id:pk>/",
        "edit": "<id:pk>/editar",
        "delete": "<id:pk>/eliminar",
    }
    return [
        path(
            f"{prefix}{ruta}",
            vistas[accion].as_view() if isinstance(vistas[accion], type) else vistas[accion],
            name=f"{model._meta.model_name}_{accion}",
        )
        for accion, ruta in rutas.items()
        if accion in vistas
    ]
