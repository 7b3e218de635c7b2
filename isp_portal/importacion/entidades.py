"""The seven importable entities: columns from <app>/resources.py, natural keys, relations."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from clientes.models import ClienteCorp, Sede
from clientes.resources import CLIENTE_COLUMNS, SEDE_COLUMNS
from conexiones.choices import EstadoConexion, ModoAjuste
from conexiones.models import AjusteBW, Conexion, Equipo, Nodo
from conexiones.resources import CONEXION_COLUMNS, EQUIPO_COLUMNS, NODO_COLUMNS
from conexiones.selectors import servicios_con_capacidad
from conexiones.services import BW_MINIMO
from proveedores.models import Proveedor, ServicioProveedor
from proveedores.resources import PROVEEDOR_COLUMNS, SERVICIO_COLUMNS

from .base import MOTIVO_IMPORTACION, Entidad, Fila, Relacion, buscar_por
from .campos import OMITIR, compactar_ruc, convertidor_opcion, convertidor_referencia
from .escritura import Escritura, en

# The source documents name location fields with an "_enlace" suffix.
ALIAS_UBICACION_ENLACE = {
    "departamento_enlace": "departamento",
    "provincia_enlace": "provincia",
    "distrito_enlace": "distrito",
    "direccion_enlace": "direccion",
    "locacion_enlace": "locacion",
}


def _normalizar_cliente(valor: str) -> str:
    """A client reference: a RUC loses its spaces/dots; a CID stays as written."""
    compacto = compactar_ruc(valor)
    return compacto if compacto.isdigit() else valor


def buscar_cliente(claves: set[tuple]) -> dict[tuple, int]:
    """Clients by RUC, or by CID for the source's `cliente_id` (one query)."""
    valores = {c[0] for c in claves}
    por_ruc, por_cid = {}, {}
    filas = ClienteCorp.objects.filter(
        Q(en(ClienteCorp, "ruc", valores)) | Q(en(ClienteCorp, "cid", valores))
    )
    for pk, ruc, cid in filas.values_list("pk", "ruc", "cid"):
        por_ruc[ruc] = pk
        por_cid[cid] = pk
    encontrados = {}
    for valor in valores:
        pk = por_ruc.get(valor, por_cid.get(valor))
        if pk is not None:
            encontrados[(valor,)] = pk
    return encontrados


def buscar_servicio(claves: set[tuple]) -> dict[tuple, int]:
    """Provider services by (proveedor nombre, código), one query."""
    consulta = ServicioProveedor.objects.filter(
        proveedor__nombre__in={c[0] for c in claves}, codigo__in={c[1] for c in claves}
    ).values_list("pk", "proveedor__nombre", "codigo")
    return {(nombre, codigo): pk for pk, nombre, codigo in consulta}


def relacion_cliente(columna: str) -> Relacion:
    return Relacion(
        "cliente",
        (columna,),
        buscar_cliente,
        lambda clave: f"No existe un cliente con RUC {clave[0]}.",
        obligatoria=True,
    )


REFERENCIA_CLIENTE = convertidor_referencia(normalizar=_normalizar_cliente)


class Clientes(Entidad):
    nombre = "clientes"
    modelo = ClienteCorp
    columnas_export = CLIENTE_COLUMNS
    clave = ("ruc",)
    obligatorias = ("ruc", "razon_social", "cid")
    alias = {
        "cliente_ruc": "ruc",
        "cliente_razon_social": "razon_social",
        "codigo_erp": "cod_erp",
        "cliente_cid": "cid",
        "estado": "is_active",
        "activo": "is_active",
        "cliente_fecha_activacion": "fecha_activacion",
    }
    unicos = {"cid": "Ya existe un cliente con este CID."}
    # Only changed fields are written and the unique constraints guard races: the hot path
    # of large client files skips the row locks.
    bloquear = False


class Sedes(Entidad):
    nombre = "sedes"
    modelo = Sede
    columnas_export = SEDE_COLUMNS
    clave = ("ruc", "oficina")
    obligatorias = ("ruc", "oficina", "direccion")
    alias = {"cliente_ruc": "ruc", "cliente_id": "ruc", "cliente": "ruc", "sede": "oficina"}
    convertidores = {"ruc": REFERENCIA_CLIENTE}
    relaciones = (relacion_cliente("ruc"),)
    select_related = ("cliente",)

    def existentes(self, filas: list[Fila], *, bloquear: bool) -> dict:
        # By the resolved client, so a client given by CID finds its sedes too.
        pares = {(f.ids["cliente"], f.valores["oficina"]) for f in filas if "cliente" in f.ids}
        if not pares:
            return {}
        consulta = self._consulta(bloquear).filter(
            cliente_id__in={p[0] for p in pares}, oficina__in={p[1] for p in pares}
        )
        return {(s.cliente_id, s.oficina): s for s in consulta}

    def buscar_existente(self, fila: Fila, existentes: dict):
        return existentes.get((fila.ids.get("cliente"), fila.valores["oficina"]))


class Proveedores(Entidad):
    """Key: the RUC when the row has one, else the nombre."""

    nombre = "proveedores"
    modelo = Proveedor
    columnas_export = PROVEEDOR_COLUMNS
    clave = ("nombre",)
    obligatorias = ("nombre",)
    alias = {"proveedor": "nombre", "razon_social": "nombre", "correo": "email"}
    unicos = {
        "nombre": "Ya existe un proveedor con este nombre.",
        "ruc": "Ya existe un proveedor con este RUC.",
    }

    def clave_de(self, fila: Fila):
        ruc = fila.valores.get("ruc")
        if ruc:
            return ("ruc", ruc)
        nombre = fila.valores.get("nombre")
        return ("nombre", nombre) if nombre else None

    def describir(self, clave: tuple) -> str:
        return f"{clave[0]} {clave[1]}"

    def existentes(self, filas: list[Fila], *, bloquear: bool) -> dict:
        rucs = {f.clave[1] for f in filas if f.clave[0] == "ruc"}
        nombres = {f.valores.get("nombre") for f in filas} - {None, ""}
        consulta = self._consulta(bloquear).filter(Q(ruc__in=rucs) | Q(nombre__in=nombres))
        resultado = {}
        for proveedor in consulta:
            if proveedor.ruc:
                resultado[("ruc", proveedor.ruc)] = proveedor
            resultado[("nombre", proveedor.nombre)] = proveedor
        return resultado

    def buscar_existente(self, fila: Fila, existentes: dict):
        encontrado = existentes.get(fila.clave)
        if encontrado is None and fila.clave[0] == "ruc":
            # A provider registered without RUC gets it from the file.
            por_nombre = existentes.get(("nombre", fila.valores.get("nombre")))
            if por_nombre is not None and not por_nombre.ruc:
                encontrado = por_nombre
        return encontrado


class Servicios(Entidad):
    nombre = "servicios"
    modelo = ServicioProveedor
    columnas_export = SERVICIO_COLUMNS
    clave = ("proveedor", "codigo")
    obligatorias = ("proveedor", "codigo", "modalidad", "capacidad_contratada")
    alias = {
        "proveedor_nombre": "proveedor",
        "servicio_codigo": "codigo",
        "codigo_circuito": "codigo",
        "capacidad": "capacidad_contratada",
        **ALIAS_UBICACION_ENLACE,
    }
    relaciones = (
        Relacion(
            "proveedor",
            ("proveedor",),
            buscar_por(Proveedor, "nombre"),
            lambda clave: f"No existe un proveedor con nombre «{clave[0]}».",
            obligatoria=True,
        ),
    )
    select_related = ("proveedor",)


class Nodos(Entidad):
    nombre = "nodos"
    modelo = Nodo
    columnas_export = NODO_COLUMNS
    clave = ("nombre",)
    obligatorias = ("nombre", "tipo")
    alias = {"nodo": "nombre", "nodo_nombre": "nombre", "nodo_tipo": "tipo"}


class Equipos(Entidad):
    nombre = "equipos"
    modelo = Equipo
    columnas_export = EQUIPO_COLUMNS
    clave = ("serie",)
    obligatorias = ("serie", "tipo", "marca", "modelo")
    alias = {"sn": "serie", "numero_serie": "serie", "conexion": "cid_enlace", "cid": "cid_enlace"}
    relaciones = (
        Relacion(
            "conexion",
            ("cid_enlace",),
            buscar_por(Conexion, "cid_enlace"),
            lambda clave: f"No existe una conexión con CID {clave[0]}.",
        ),
    )
    select_related = ("conexion",)


class Conexiones(Entidad):
    """Connections; a change of bw_contratado is an adjustment recorded in AjusteBW."""

    nombre = "conexiones"
    modelo = Conexion
    columnas_export = CONEXION_COLUMNS
    clave = ("cid_enlace",)
    obligatorias = ("cid_enlace", "cliente_ruc", "tipo_enlace")
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
    convertidores = {
        "cliente_ruc": REFERENCIA_CLIENTE,
        "estado": convertidor_opcion(
            Conexion._meta.get_field("estado"), traducir=EstadoConexion.desde_fuente
        ),
    }
    relaciones = (
        relacion_cliente("cliente_ruc"),
        Relacion(
            "servicio",
            ("proveedor", "servicio_codigo"),
            buscar_servicio,
            lambda clave: f"El proveedor «{clave[0]}» no tiene un servicio con código {clave[1]}.",
        ),
        Relacion(
            "nodo_a",
            ("nodo_a",),
            buscar_por(Nodo, "nombre"),
            lambda clave: f"No existe un nodo con nombre «{clave[0]}».",
        ),
        Relacion(
            "nodo_b",
            ("nodo_b",),
            buscar_por(Nodo, "nombre"),
            lambda clave: f"No existe un nodo con nombre «{clave[0]}».",
        ),
    )
    select_related = ("cliente", "servicio__proveedor", "nodo_a", "nodo_b")

    def existentes(self, filas: list[Fila], *, bloquear: bool) -> dict:
        if bloquear:
            # The project's lock order: provider services first, then connections.
            cids = {f.clave[0] for f in filas}
            servicios = set(
                Conexion.objects.filter(cid_enlace__in=cids)
                .exclude(servicio=None)
                .values_list("servicio_id", flat=True)
            )
            servicios |= {f.ids.get("servicio") for f in filas} - {None}
            if servicios:
                list(
                    ServicioProveedor.objects.select_for_update()
                    .filter(pk__in=servicios)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
        return super().existentes(filas, bloquear=bloquear)

    def aplicar(self, fila: Fila) -> None:
        nuevo_bw = fila.valores.get("bw_contratado", OMITIR)
        if fila.nuevo or nuevo_bw is OMITIR or nuevo_bw == fila.objeto.bw_contratado:
            super().aplicar(fila)
            return
        # bw_contratado is written only with its ledger row (despues_de_escribir).
        del fila.valores["bw_contratado"]
        super().aplicar(fila)
        fila.valores["bw_contratado"] = nuevo_bw
        anterior = fila.objeto.bw_contratado
        fila.cambios.append(("bw_contratado", anterior, nuevo_bw))
        fila.ajuste = (anterior, nuevo_bw)

    def validar(self, fila: Fila) -> None:
        super().validar(fila)
        obj = fila.objeto
        if obj.nodo_a_id is not None and obj.nodo_a_id == obj.nodo_b_id:
            fila.error("nodo_b", "El nodo A y el nodo B deben ser distintos.")
        ajuste = fila.ajuste
        if ajuste is None:
            return
        anterior, nuevo = ajuste
        if obj.estado == EstadoConexion.BAJA:
            fila.error("bw_contratado", "Una conexión en BAJA no se puede ajustar.")
        elif nuevo < BW_MINIMO:
            fila.error(
                "bw_contratado",
                f"La conexión no puede quedar por debajo de {BW_MINIMO} Mbps "
                f"(BW actual {anterior} Mbps; puede disminuir hasta "
                f"{max(anterior - BW_MINIMO, 0)} Mbps).",
            )

    def despues_de_escribir(self, filas: list[Fila], *, archivo: str) -> None:
        """Write the bandwidth changes with their AjusteBW rows, as conexion_ajustar_bw does.

        Services and connections are locked since `existentes`; the services' available
        capacity is read after this batch's other writes, then carried row by row so each
        ledger row's before/after values are exact.
        """
        ajustadas = [f for f in filas if f.ajuste]
        if not ajustadas:
            return
        servicios = {f.objeto.servicio_id for f in ajustadas} - {None}
        disponible = dict(
            servicios_con_capacidad()
            .filter(pk__in=servicios)
            .values_list("pk", "capacidad_disponible")
        )
        motivo = MOTIVO_IMPORTACION.format(archivo=archivo)[:255]
        registros = []
        for fila in ajustadas:
            anterior, nuevo = fila.ajuste
            delta = nuevo - anterior
            obj = fila.objeto
            if obj.estado == EstadoConexion.BAJA:  # checked in validar; never lose the rule
                error = ValidationError("Una conexión en BAJA no se puede ajustar.")
                error.linea = fila.linea
                raise error
            servicio_antes = servicio_despues = None
            if obj.servicio_id is not None:
                servicio_antes = disponible[obj.servicio_id]
                servicio_despues = servicio_antes - delta
                disponible[obj.servicio_id] = servicio_despues
            obj.bw_contratado = nuevo
            registros.append(
                AjusteBW(
                    conexion_id=obj.pk,
                    servicio_id=obj.servicio_id,
                    modo=ModoAjuste.AUMENTAR if delta > 0 else ModoAjuste.DISMINUIR,
                    mbps=abs(delta),
                    bw_anterior=anterior,
                    bw_resultante=nuevo,
                    servicio_disponible_anterior=servicio_antes,
                    servicio_disponible_resultante=servicio_despues,
                    motivo=motivo,
                    usuario=None,
                )
            )
        Escritura(
            Conexion,
            nuevos=[],
            actualizados=[f.objeto for f in ajustadas],
            campos={"bw_contratado"},
            motivo=motivo,
        ).ejecutar()
        AjusteBW.objects.bulk_create(registros)


ENTIDADES: dict[str, type[Entidad]] = {
    e.nombre: e for e in (Clientes, Sedes, Proveedores, Servicios, Nodos, Equipos, Conexiones)
}
