import django_filters
from django.db.models import Q

from isp_portal import ubigeo
from isp_portal.filters import BaseFilterSet
from isp_portal.validators import normalizar_ruc

from .choices import EstadoCliente
from .models import ClienteCorp, Sede

RUC_LONGITUD = 11
CID_LONGITUD = ClienteCorp._meta.get_field("cid").max_length
# Shorter prefixes match most clients (every RUC starts with 10, 15, 17 or 20).
RUC_PREFIJO_MINIMO = 4
NUMERO_DE_CODIGO = 8  # digits from which a search is taken as a code, not part of a name


class ClienteCorpFilterSet(BaseFilterSet):
    estado = django_filters.ChoiceFilter(
        label="Estado", choices=EstadoCliente.choices, method="filter_estado", empty_label="Todos"
    )

    class Meta:
        model = ClienteCorp
        fields = ["busqueda", "estado"]

    def search(self, queryset, value):
        """Razón social contains the text; CID, ERP code and RUC match exactly or by prefix.

        Every branch is served by an index on PostgreSQL (see migration 0002): a trigram GIN
        index on UPPER(razon_social) for icontains, UPPER(cod_erp) for iexact and the unique
        btrees of cid and ruc, so the OR becomes a BitmapOr of index scans.
        """
        condicion = Q(cod_erp__iexact=value)
        # A long number is a RUC, CID or ERP code: its trigrams would match most names.
        if not (value.isdigit() and len(value) >= NUMERO_DE_CODIGO):
            condicion |= Q(razon_social__icontains=value)
        if value.isdigit():
            condicion |= Q(cid=value)
        ruc = normalizar_ruc(value)
        if ruc.isdigit() and RUC_PREFIJO_MINIMO <= len(ruc) <= RUC_LONGITUD:
            condicion |= self.ruc_prefijo(ruc)
        return queryset.filter(condicion)

    @staticmethod
    def ruc_prefijo(prefijo: str) -> Q:
        """RUCs starting with `prefijo`, as a range of the unique btree (any collation)."""
        if len(prefijo) == RUC_LONGITUD:
            return Q(ruc=prefijo)
        faltan = RUC_LONGITUD - len(prefijo)
        return Q(ruc__gte=prefijo + "0" * faltan, ruc__lte=prefijo + "9" * faltan)

    @staticmethod
    def cid_prefijo(prefijo: str) -> Q:
        """CIDs starting with the digits `prefijo`, as the cid btree's equality and range: a
        LIKE prefix has no index outside the C collation, and CIDs are digits, which sort
        alike in every collation."""
        faltan = CID_LONGITUD - len(prefijo)
        if faltan <= 0:
            return Q(cid=prefijo)
        return Q(cid=prefijo) | Q(cid__gte=prefijo + "0", cid__lte=prefijo + "9" * faltan)

    def filter_estado(self, queryset, name, value):
        return queryset.filter(is_active=value == EstadoCliente.ACTIVO)


class SedeFilterSet(BaseFilterSet):
    departamento = django_filters.ChoiceFilter(
        label="Departamento",
        choices=[(d, d) for d in ubigeo.departamentos()],
        empty_label="Todos",
    )

    class Meta:
        model = Sede
        fields = ["busqueda", "departamento"]

    def search(self, queryset, value):
        return queryset.filter(
            Q(oficina__icontains=value)
            | Q(direccion__icontains=value)
            | Q(locacion__icontains=value)
        )
