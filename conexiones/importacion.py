"""Spreadsheet columns of nodos, equipos and connections (the lists' export) and their import
definitions. Connections are written through conexiones.services, as the forms do."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import Q

from clientes.importacion import CLIENTE_POR_RUC_O_CID
from clientes.models import ClienteCorp
from isp_portal.importacion import Entidad, LoteConErrores, Relacion, registrar
from isp_portal.models import CAMPOS_UBICACION
from proveedores.importacion import ALIAS_UBICACION_ENLACE

from .choices import EstadoConexion
from .models import Conexion, Equipo, MuestraUtilizacion, Nodo
from .services import (
    Carga,
    ErroresDeAjuste,
    Lectura,
    MuestrasInvalidas,
    PedidoAjuste,
    Sobresuscripcion,
    clientes_bloquear,
    conexiones_ajustar_bw,
    conexiones_asignar_cids,
    conexiones_bloquear,
    error_cid_de_cliente,
    lecturas_validar,
    muestras_registrar,
    prefijo_de_cid,
    servicios_verificar_carga,
)

NODO_COLUMNS = {c: c for c in ("nombre", "tipo", *CAMPOS_UBICACION)}

EQUIPO_COLUMNS = {
    **{c: c for c in ("serie", "tipo", "marca", "modelo")},
    "cid_enlace": "conexion.cid_enlace",
}

CONEXION_COLUMNS = {
    "cid_enlace": "cid_enlace",
    "cliente_ruc": "cliente.ruc",
    "proveedor": "servicio.proveedor.nombre",
    "servicio_codigo": "servicio.codigo",
    **{c: c for c in ("tipo_enlace", "modalidad_enlace", "estado", "fecha_activacion")},
    **{c: c for c in ("bw_contratado", "bw_utilizado", *CAMPOS_UBICACION)},
    "nodo_a": "nodo_a.nombre",
    "configuracion_nodo_a": "configuracion_nodo_a",
    "nodo_b": "nodo_b.nombre",
    "configuracion_nodo_b": "configuracion_nodo_b",
}

# Export only: who to notify when a node or provider service fails.
IMPACTO_COLUMNS = {
    "cid_enlace": "cid_enlace",
    "cliente": "cliente.razon_social",
    "cliente_ruc": "cliente.ruc",
    "responsable": "cliente.responsable",
    "telefono": "cliente.telefono",
    "correo": "cliente.correo",
    "estado": "estado",
    "bw_contratado": "bw_contratado",
    "proveedor": "servicio.proveedor.nombre",
    "servicio_codigo": "servicio.codigo",
    **{c: c for c in CAMPOS_UBICACION},
}

NODO_POR_NOMBRE = Relacion(no_existe="No existe un nodo con nombre «{}».")


@registrar
class Nodos(Entidad):
    nombre = "nodos"
    modelo = Nodo
    columnas = NODO_COLUMNS
    clave = ("nombre",)
    alias = {"nodo": "nombre", "nodo_nombre": "nombre", "nodo_tipo": "tipo"}


@registrar
class Equipos(Entidad):
    nombre = "equipos"
    modelo = Equipo
    columnas = EQUIPO_COLUMNS
    clave = ("serie",)
    relaciones = {"conexion": Relacion(no_existe="No existe una conexión con CID {}.")}
    alias = {"sn": "serie", "numero_serie": "serie", "conexion": "cid_enlace", "cid": "cid_enlace"}


@registrar
class Conexiones(Entidad):
    """A new connection without cid_enlace gets its client's next CID; provider load and
    bandwidth changes go through conexiones.services, in the order of the edit form: the load
    a new, moved or reactivated connection adds is checked, the rows are written, then each
    new bw_contratado of a stored connection is an adjustment with its ledger row."""

    nombre = "conexiones"
    modelo = Conexion
    columnas = CONEXION_COLUMNS
    clave = ("cid_enlace",)
    clave_opcional = True
    obligatorias = ("cliente_ruc", "tipo_enlace")
    normalizar = {"estado": EstadoConexion.desde_fuente}  # the old system's INACTIVO
    relaciones = {
        "cliente": CLIENTE_POR_RUC_O_CID,
        "servicio": Relacion(no_existe="El proveedor «{}» no tiene un servicio con código {}."),
        "nodo_a": NODO_POR_NOMBRE,
        "nodo_b": NODO_POR_NOMBRE,
    }
    alias = {
        "cid": "cid_enlace",
        "cliente_id": "cliente_ruc",
        "ruc": "cliente_ruc",
        "enlace_estado": "estado",
        "condicion": "estado",
        "enlace_fecha_activacion": "fecha_activacion",
        "tipo_de_servicio": "tipo_enlace",
        "proveedor_nombre": "proveedor",
        "codigo_servicio": "servicio_codigo",
        "servicio": "servicio_codigo",
        "nodo_a_nombre": "nodo_a",
        "nodo_b_nombre": "nodo_b",
        **ALIAS_UBICACION_ENLACE,
    }

    def guardadas(self, lote):
        # The project's lock order: clients (whose CID sequences grow), provider services,
        # connections.
        clientes_bloquear(f.ids["cliente"] for f in lote.validas if not f.claves)
        conexiones_bloquear(
            Q(cid_enlace__in=[f.valores["cid_enlace"] for f in lote.validas if f.claves]),
            servicio_ids=(f.ids.get("servicio") for f in lote.validas),
        )
        return super().guardadas(lote)

    def _sin_prefijo_de_cid(self, lote) -> None:
        """A new row without cid_enlace whose client's CID cannot prefix one is a row error
        (conexiones_asignar_cids would refuse the batch)."""
        sin_cid = [f for f in lote.nuevas if not f.objeto.cid_enlace]
        cids = dict(
            ClienteCorp.objects.filter(pk__in={f.objeto.cliente_id for f in sin_cid}).values_list(
                "pk", "cid"
            )
        )
        malas = [f for f in sin_cid if prefijo_de_cid(cids[f.objeto.cliente_id]) is None]
        for fila in malas:
            error = error_cid_de_cliente(cids[fila.objeto.cliente_id])
            fila.error("cid_enlace", error.message_dict["cid_enlace"][0])
        if malas:
            raise LoteConErrores

    def crear(self, conexiones):
        # Those with their own CID first, so the sequence of the others skips them.
        propias = [c for c in conexiones if c.cid_enlace]
        sin_cid = [c for c in conexiones if not c.cid_enlace]
        super().crear(propias)
        conexiones_asignar_cids(sin_cid)
        super().crear(sin_cid)

    def escribir(self, lote):
        self._sin_prefijo_de_cid(lote)
        ajustes = []
        for fila in lote.cambiadas:
            if "bw_contratado" in fila.antes:  # written below, as an adjustment
                ajustes.append(
                    (fila, PedidoAjuste(fila.objeto.pk, bw_nuevo=fila.objeto.bw_contratado))
                )
                fila.objeto.bw_contratado = fila.antes.pop("bw_contratado")
        cargas = [(f, Carga(f.objeto.servicio_id, m)) for f in lote.validas if (m := _carga(f))]
        with _errores_en_filas([f for f, _ in cargas]):
            servicios_verificar_carga(
                cargas=[c for _, c in cargas],
                confirmar_sobresuscripcion=lote.permitir_sobresuscripcion,
            )
        super().escribir(lote)
        with _errores_en_filas([f for f, _ in ajustes]):
            conexiones_ajustar_bw(
                pedidos=[p for _, p in ajustes],
                motivo=lote.motivo,
                usuario=lote.usuario,
                confirmar_sobresuscripcion=lote.permitir_sobresuscripcion,
            )


def _carga(fila) -> int:
    """Mbps a row adds to its provider service before any bandwidth change: all of it for a
    new connection and for one moved to the service or back from BAJA (only BAJA frees
    capacity), as the connection form counts it."""
    conexion = fila.objeto
    if conexion.servicio_id is None or conexion.estado == EstadoConexion.BAJA:
        return 0
    if not fila.nueva:
        mismo_servicio = fila.antes.get("servicio_id", conexion.servicio_id) == conexion.servicio_id
        if mismo_servicio and fila.antes.get("estado", conexion.estado) != EstadoConexion.BAJA:
            return 0
    return conexion.bw_contratado


@contextmanager
def _errores_en_filas(filas):
    """A service's ErroresDeAjuste (by position in `filas`) become errors of those rows, on
    the bw_contratado column, and the batch is refused."""
    try:
        yield
    except ErroresDeAjuste as errores:
        for posicion, error in errores.errores.items():
            for mensaje in _mensajes(error):
                filas[posicion].error("bw_contratado", mensaje)
        raise LoteConErrores from None


def _mensajes(error: ValidationError) -> list[str]:
    if isinstance(error, Sobresuscripcion):
        return [
            f"sobresuscribe el servicio {error.servicio.codigo} en {error.mbps} Mbps"
            f"{error.cuando} (para aceptarlo, importe con --permitir-sobresuscripcion)."
        ]
    return error.messages


UTILIZACION_COLUMNS = {
    "cid_enlace": "conexion.cid_enlace",
    "momento": "momento",
    "entrada_mbps": "entrada_mbps",
    "salida_mbps": "salida_mbps",
}


@registrar
class Utilizacion(Entidad):
    """Back-filled utilisation readings (`manage.py importar utilizacion FILE`): checked by
    the rules of conexiones.services.utilizacion and stored by it, as the API's; a reading
    already stored for (connection, momento) is replaced. A moment without a zone is the
    site's time."""

    nombre = "utilizacion"
    modelo = MuestraUtilizacion
    columnas = UTILIZACION_COLUMNS
    clave = ("cid_enlace", "momento")
    relaciones = {"conexion": Relacion(no_existe="No existe una conexión con CID {}.")}
    alias = {
        "cid": "cid_enlace",
        "enlace": "cid_enlace",
        "fecha": "momento",
        "fecha_hora": "momento",
        "entrada": "entrada_mbps",
        "salida": "salida_mbps",
    }

    def validar(self, muestra):
        try:
            lecturas_validar(
                [
                    {
                        "enlace_id": muestra.conexion_id,
                        "momento": muestra.momento,
                        "entrada_mbps": muestra.entrada_mbps,
                        "salida_mbps": muestra.salida_mbps,
                    }
                ]
            )
        except MuestrasInvalidas as invalidas:
            raise ValidationError(dict(invalidas.errores[0])) from None

    def guardadas(self, lote):
        return []  # the service replaces a stored reading itself

    def escribir(self, lote):
        muestras_registrar(
            [
                Lectura(m.conexion_id, m.momento, m.entrada_mbps, m.salida_mbps)
                for m in (f.objeto for f in lote.nuevas)
            ]
        )
