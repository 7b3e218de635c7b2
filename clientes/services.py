"""Writes on clients. Clients are deactivated, never deleted once they have connections."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import ClienteCorp


@transaction.atomic
def cliente_desactivar(*, clientes: QuerySet[ClienteCorp]) -> int:
    """Mark the given clients inactive; returns how many were active and changed."""
    return clientes.filter(is_active=True).update(is_active=False, updated_at=timezone.now())
