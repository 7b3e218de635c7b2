"""CIDs of connections: a client's CID plus a 3-digit sequence (257 → 257001, 257002)."""

from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q

from clientes.models import ClienteCorp
from isp_portal.validators import normalizar_cid

from ..models import Conexion
from .bloqueos import clientes_bloquear

SECUENCIA_DIGITOS = 3
CID_REPETIDO = "Ya existe una conexión con este CID."


def prefijo_de_cid(cid: str) -> str | None:
    """A client's CID as the prefix of its connections' CIDs: ASCII digits ("１３１" is
    read as "131"), or None when it has other characters ("٣٣٣"), which no connection CID
    may carry."""
    prefijo = normalizar_cid(cid or "")
    return prefijo if prefijo.isascii() and (prefijo.isdigit() or not prefijo) else None


def error_cid_de_cliente(cliente_cid: str) -> ValidationError:
    return ValidationError(
        {
            "cid_enlace": f"El CID del cliente («{cliente_cid}») no es válido: solo dígitos "
            "del 0 al 9. Corríjalo en el cliente o ingrese el CID de la conexión."
        }
    )


def conexion_siguiente_cid(*, cliente: ClienteCorp) -> str:
    """Next free cid_enlace of the client's sequence: client 257 → 257001, 257002, …; ""
    when the client's CID cannot prefix one (prefijo_de_cid).

    A proposal only: conexion_crear assigns it again under the client's row lock.
    """
    propuestos = siguientes_cids({cliente: 1})[cliente.pk]
    return propuestos[0] if propuestos else ""


def siguientes_cids(cuantos: dict[ClienteCorp, int]) -> dict[int, list[str]]:
    """The next `n` free CIDs of each client's sequence, in one query; none for a client
    whose CID is not ASCII digits (prefijo_de_cid).

    Only a proposal unless the clients are locked (clientes_bloquear) in the transaction
    that writes them.
    """
    prefijos = {c: p for c in cuantos if (p := prefijo_de_cid(c.cid)) is not None}
    resultado = {c.pk: [] for c in cuantos}
    if not prefijos:
        return resultado
    filtro = Q()
    for prefijo in prefijos.values():
        # Served by the varchar_pattern_ops index of migration 0005 on PostgreSQL.
        filtro |= Q(cid_enlace__startswith=prefijo)
    usados = set(Conexion.objects.filter(filtro).order_by().values_list("cid_enlace", flat=True))
    for cliente, prefijo in prefijos.items():
        n = cuantos[cliente]
        secuencias = [
            int(cid[len(prefijo) :])
            for cid in usados
            if cid.startswith(prefijo)
            and len(cid) == len(prefijo) + SECUENCIA_DIGITOS
            # ASCII: "²" is a digit to isdigit() but not to int().
            and cid[len(prefijo) :].isascii()
            and cid[len(prefijo) :].isdigit()
        ]
        siguiente = max(secuencias, default=0) + 1
        propuestos = []
        while len(propuestos) < n:
            candidato = f"{prefijo}{siguiente:0{SECUENCIA_DIGITOS}d}"
            # Another client's CID can share the prefix (25 + 7001 = 257 + 001): skip it.
            if candidato not in usados:
                propuestos.append(candidato)
                usados.add(candidato)
            siguiente += 1
        resultado[cliente.pk] = propuestos
    return resultado


def conexiones_asignar_cids(conexiones: Sequence[Conexion]) -> None:
    """Give each new connection without cid_enlace the next CID of its client's sequence.

    The clients are locked (one query), so call it inside the transaction that saves the
    connections: two writers creating connections for one client get different CIDs.
    """
    sin_cid = [c for c in conexiones if not c.cid_enlace]
    if not sin_cid:
        return
    cuantos = Counter(c.cliente_id for c in sin_cid)
    clientes = clientes_bloquear(cuantos)
    for cliente in clientes.values():
        if prefijo_de_cid(cliente.cid) is None:
            raise error_cid_de_cliente(cliente.cid)
    cids = siguientes_cids({clientes[pk]: n for pk, n in cuantos.items()})
    for conexion in sin_cid:
        conexion.cid_enlace = cids[conexion.cliente_id].pop(0)
