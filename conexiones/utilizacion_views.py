"""The saturation page (/utilizacion/): three tabs, each a list page with filters and export.

- Saturadas: connections whose 95th percentile of the last 7 days reaches the threshold
  (UTILIZACION_UMBRAL_PCT, or `?umbral=`) of bw_contratado, worst first.
- Sin lecturas: connections that had readings and stopped (none for 30 minutes).
- Servicios: provider services by the current traffic of their connections.
"""

from functools import cached_property

import django_filters
from django import forms
from django.conf import settings

from isp_portal import celdas, registro
from isp_portal.filters import BaseFilterSet, EnteroFilter
from isp_portal.generic import ObjectListView
from isp_portal.tables import Column
from proveedores.models import Proveedor, ServicioProveedor

from . import tablas
from .models import Conexion, UtilizacionSemanal
from .utilizacion_selectors import saturadas, servicios_por_trafico, sin_lecturas

PESTANAS = "conexiones/utilizacion_list.html"


class _ConProveedor(BaseFilterSet):
    # Choices read once per request, as the connections list does.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["proveedor"].choices = self.proveedor_choices

    @cached_property
    def _proveedores(self) -> list[tuple[str, str]]:
        return [(str(p.pk), p.nombre) for p in Proveedor.objects.only("pk", "nombre")]

    def proveedor_choices(self) -> list[tuple[str, str]]:
        return self._proveedores


class SaturadasFilterSet(_ConProveedor):
    umbral = EnteroFilter(
        label="Umbral (%)",
        method="filter_umbral",
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"min": 1, "max": 1000}),
    )
    proveedor = django_filters.ChoiceFilter(
        label="Proveedor",
        field_name="conexion__servicio__proveedor_id",
        choices=[],
        empty_label="Todos",
    )

    class Meta:
        model = UtilizacionSemanal
        fields = ["busqueda", "umbral", "proveedor"]

    documento = "conexion__busqueda"

    def filter_umbral(self, queryset, name, value):
        return queryset.filter(porcentaje__gte=value)


class SinLecturasFilterSet(_ConProveedor):
    proveedor = django_filters.ChoiceFilter(
        label="Proveedor", field_name="servicio__proveedor_id", choices=[], empty_label="Todos"
    )

    class Meta:
        model = Conexion
        fields = ["busqueda", "proveedor"]

    documento = "busqueda"


class ServiciosFilterSet(_ConProveedor):
    proveedor = django_filters.ChoiceFilter(
        label="Proveedor", field_name="proveedor_id", choices=[], empty_label="Todos"
    )

    class Meta:
        model = ServicioProveedor
        fields = ["busqueda", "proveedor"]

    documento = None

    def filter_busqueda(self, queryset, name, value):
        return queryset.filter(codigo__icontains=value.strip()) if value.strip() else queryset


class _Pestana(ObjectListView):
    template_name = PESTANAS
    pestana = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pestana"] = self.pestana
        context["umbral_por_defecto"] = settings.UTILIZACION_UMBRAL_PCT
        return context


class SaturadasListView(_Pestana):
    model = UtilizacionSemanal
    filterset_class = SaturadasFilterSet
    title = "Saturación"
    pestana = "saturadas"
    default_order = ("-porcentaje", "conexion_id")
    row_actions = [tablas.VER_UTILIZACION]
    columns = [
        Column("conexion.cid_enlace", "CID", order_by="conexion__cid_enlace"),
        Column("conexion.cliente.razon_social", "Cliente", order_by=None),
        Column("conexion.bw_contratado", "BW contratado", render=celdas.mbps, css="num"),
        Column("p95_mbps", "P95 7 días (Mbps)", order_by="p95_mbps", css="num"),
        Column("porcentaje", "% del contratado", order_by="porcentaje", css="num"),
        Column(
            "conexion.bw_utilizado",
            "BW utilizado",
            render=tablas.bw_utilizado,
            css="num",
            order_by=None,
        ),
    ]
    export_columns = {
        "cid_enlace": "conexion.cid_enlace",
        "cliente": "conexion.cliente.razon_social",
        "cliente_ruc": "conexion.cliente.ruc",
        "bw_contratado": "conexion.bw_contratado",
        "p95_mbps": "p95_mbps",
        "porcentaje": "porcentaje",
        "muestras": "muestras",
        "calculado": "calculado",
    }

    def get_queryset(self):
        # Without ?umbral= the configured threshold; with it, the filter narrows or widens
        # (the selector's own threshold is then the lowest the filter accepts: 1 %).
        return saturadas(None if "umbral" not in self.request.GET else 1)


class SinLecturasListView(_Pestana):
    model = Conexion
    filterset_class = SinLecturasFilterSet
    title = "Saturación: sin lecturas"
    pestana = "sin_lecturas"
    default_order = ("bw_utilizado_momento", "id")
    row_actions = [tablas.VER_UTILIZACION]
    columns = [
        Column("cid_enlace", "CID"),
        Column("cliente.razon_social", "Cliente", order_by=None),
        Column("estado", "Estado"),
        Column(
            "bw_utilizado", "Última lectura", render=tablas.bw_utilizado, css="num", order_by=None
        ),
        Column("bw_utilizado_momento", "Medido", order_by="bw_utilizado_momento"),
    ]
    export_columns = {
        "cid_enlace": "cid_enlace",
        "cliente": "cliente.razon_social",
        "cliente_ruc": "cliente.ruc",
        "estado": "estado",
        "bw_utilizado": "bw_utilizado",
        "bw_utilizado_momento": "bw_utilizado_momento",
    }

    def get_queryset(self):
        return sin_lecturas()


class ServiciosTraficoListView(_Pestana):
    model = ServicioProveedor
    filterset_class = ServiciosFilterSet
    title = "Saturación: servicios del proveedor"
    pestana = "servicios"
    default_order = ("-trafico", "id")
    row_actions = [tablas.VER_UTILIZACION]
    columns = [
        Column("codigo", "Servicio"),
        Column("proveedor.nombre", "Proveedor", order_by=None),
        Column("capacidad_contratada", "Contratada", render=celdas.mbps, css="num"),
        Column("trafico", "Tráfico actual", render=celdas.mbps, css="num", order_by="trafico"),
        Column("medidas", "Conexiones medidas", css="num", order_by="medidas"),
    ]
    export_columns = {
        "proveedor": "proveedor.nombre",
        "codigo": "codigo",
        "capacidad_contratada": "capacidad_contratada",
        "capacidad_vendida": "vendida",
        "trafico_mbps": "trafico",
        "conexiones_medidas": "medidas",
    }

    def get_queryset(self):
        # With the capacity columns every provider service list shows (isp_portal.registro).
        return registro.consulta(ServicioProveedor, servicios_por_trafico())
