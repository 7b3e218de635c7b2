"""Reads of clients: the one client search, used by the client list and by the connection
form's client box."""

from django.db.models import Q, QuerySet

from isp_portal.validators import normalizar_ruc

from .models import ClienteCorp

RUC_LONGITUD = 11
CID_LONGITUD = ClienteCorp._meta.get_field("cid").max_length
# Shorter prefixes match most clients (every RUC starts with 10, 15, 17 or 20).
RUC_PREFIJO_MINIMO = 4
NUMERO_DE_CODIGO = 8  # digits from which a search is taken as a code, not part of a name


def clientes_buscar(
    texto: str, queryset: QuerySet[ClienteCorp] | None = None, *, al_escribir: bool = False
) -> QuerySet[ClienteCorp]:
    """Clients whose razón social contains `texto`, or whose ERP code, CID or RUC is `texto`,
    or whose RUC starts with it (from RUC_PREFIJO_MINIMO digits).

    `al_escribir`: a box searched as the operator types (the connection form's client
    select), where a number is still incomplete: CIDs and RUCs match by the digits typed so
    far, from the first one.

    Every branch is served by an index on PostgreSQL (clientes migration 0002): a trigram GIN
    index on UPPER(razon_social) for icontains, UPPER(cod_erp) for iexact and the unique
    btrees of cid and ruc (prefixes as their ranges), so the OR becomes a BitmapOr.
    """
    if queryset is None:
        queryset = ClienteCorp.objects.all()
    condicion = Q(cod_erp__iexact=texto)
    # A long number is a RUC, CID or ERP code: its trigrams would match most names.
    if not (texto.isdigit() and len(texto) >= NUMERO_DE_CODIGO):
        condicion |= Q(razon_social__icontains=texto)
    if texto.isdigit():
        condicion |= cid_prefijo(texto) if al_escribir else Q(cid=texto)
    ruc = normalizar_ruc(texto)
    minimo = 1 if al_escribir else RUC_PREFIJO_MINIMO
    if ruc.isdigit() and minimo <= len(ruc) <= RUC_LONGITUD:
        condicion |= ruc_prefijo(ruc)
    return queryset.filter(condicion)


def ruc_prefijo(prefijo: str) -> Q:
    """RUCs starting with `prefijo`, as a range of the unique btree (any collation)."""
    if len(prefijo) == RUC_LONGITUD:
        return Q(ruc=prefijo)
    faltan = RUC_LONGITUD - len(prefijo)
    return Q(ruc__gte=prefijo + "0" * faltan, ruc__lte=prefijo + "9" * faltan)


def cid_prefijo(prefijo: str) -> Q:
    """CIDs starting with the digits `prefijo`, as the cid btree's equality and range: a
    LIKE prefix has no index outside the C collation, and CIDs are digits, which sort
    alike in every collation."""
    faltan = CID_LONGITUD - len(prefijo)
    if faltan <= 0:
        return Q(cid=prefijo)
    return Q(cid=prefijo) | Q(cid__gte=prefijo + "0", cid__lte=prefijo + "9" * faltan)
