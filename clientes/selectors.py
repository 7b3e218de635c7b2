"""Reads of clients."""

from django.db.models import QuerySet

from isp_portal.busqueda import buscar
from isp_portal.validators import normalizar_ruc

from .models import ClienteCorp

RUC_LONGITUD = 11


def clientes_buscar(texto: str, *, queryset=None) -> tuple[QuerySet[ClienteCorp], int | None]:
    """The client search of every page: each word in the razón social, RUC, CID or código
    ERP, whatever its case, accents or order. A RUC typed with spaces, dots or dashes
    ("20 100 017 491") is one word. Returns (clients, count or None when more than
    isp_portal.busqueda.MAX_COINCIDENCIAS).
    """
    if queryset is None:
        queryset = ClienteCorp.objects.all()
    ruc = normalizar_ruc(texto)
    if ruc.isdigit() and len(ruc) == RUC_LONGITUD:
        texto = ruc
    return buscar(queryset, texto, "busqueda")
