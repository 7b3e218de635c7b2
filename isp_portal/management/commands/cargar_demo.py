"""Load a believable Peruvian demo dataset, or a large one for benchmarks.

    .venv/bin/python manage.py cargar_demo                    # a few dozen of everything
    .venv/bin/python manage.py cargar_demo --clientes 100000 --conexiones 200000   # for scale

Believable as a NOC knows its network: codes in plain ASCII, node names with whole place
names, each link's nodes in its own departamento, most clients with a contact e-mail and
phone (some without, as in real life, so the gaps show on the pages that need them).
"""

import random
import re
import time
from collections import defaultdict
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clientes.models import ClienteCorp, Sede
from conexiones.choices import (
    EstadoConexion,
    ModalidadEnlace,
    ModoAjuste,
    TipoEquipo,
    TipoNodo,
    TipoServicio,
)
from conexiones.models import Conexion, Equipo, Nodo
from conexiones.services import PedidoAjuste, conexiones_ajustar_bw
from isp_portal import datos_demo, ubigeo
from proveedores.choices import EstadoServicio, ModalidadServicio
from proveedores.models import Proveedor, ServicioProveedor

CARRIERS = [
    ("Telefónica del Perú S.A.A.", "20100017491"),
    ("América Movil Perú S.A.C.", "20467534026"),
    ("Entel Perú S.A.", "20106897914"),
    ("Internexa Perú S.A.", "20514977624"),
    ("Optical Networks S.A.C.", "20519398177"),
    ("Lumen Technologies Perú S.A.", "20513322276"),
    ("Gilat Networks Perú S.A.", "20514012301"),
    ("Wiñay Telecom S.A.C.", "20601027420"),
]
MARCAS = {
    TipoEquipo.ROUTER: [("MikroTik", "CCR2004-1G-12S+2XS"), ("Cisco", "ISR 4331"),
                        ("Juniper", "MX204")],
    TipoEquipo.SWITCH: [("Huawei", "S5735-L24T4S"), ("Cisco", "Catalyst 9200"),
                        ("TP-Link", "TL-SG3428")],
    TipoEquipo.ONT: [("Huawei", "HG8145V5"), ("ZTE", "F670L")],
    TipoEquipo.RADIO: [("Ubiquiti", "airFiber 5XHD"), ("Cambium", "PTP 670")],
    TipoEquipo.FIREWALL: [("Fortinet", "FortiGate 60F"), ("Palo Alto", "PA-440")],
}
ESTADOS_PESO = [
    (EstadoConexion.ACTIVO, 70),
    (EstadoConexion.PENDIENTE, 8),
    (EstadoConexion.SUSPENDIDO, 8),
    (EstadoConexion.DOWN, 4),
    (EstadoConexion.BAJA, 10),
]
BW_OPCIONES = [10, 20, 30, 50, 100, 200, 300, 500, 1000]
LOTE = 5000
# Share of clients with a contact e-mail and phone; the others show the gap.
CON_CONTACTO = 0.85
NODOS_POR_DEPARTAMENTO = 2


def ascii_mayusculas(texto: str) -> str:
    """«San Juan de Lurigancho» → «SAN-JUAN-DE-LURIGANCHO»: codes and names a CLI accepts."""
    return re.sub(r"[^A-Z0-9]+", "-", ubigeo.normalizar(texto).upper()).strip("-")


class Command(BaseCommand):
    help = "Crea datos de demostración (clientes, sedes, proveedores, nodos, equipos, conexiones)."

    def add_arguments(self, parser):
        parser.add_argument("--clientes", type=int, default=40, help="número de clientes")
        parser.add_argument("--conexiones", type=int, default=120, help="número de conexiones")
        parser.add_argument("--semilla", type=int, default=2026, help="semilla aleatoria")
        parser.add_argument(
            "--si-vacia",
            action="store_true",
            help="no hace nada si ya hay clientes (para el primer arranque)",
        )

    def handle(self, *args, clientes, conexiones, semilla, si_vacia, **options):
        if si_vacia and ClienteCorp.objects.exists():
            self.stdout.write("La base ya tiene datos: no se cargó la demo.")
            return
        if clientes < 1 or conexiones < 0:
            raise CommandError("--clientes debe ser ≥ 1 y --conexiones ≥ 0.")
        if ClienteCorp.objects.exists():
            raise CommandError("La base ya tiene clientes: la demo se carga en una base vacía.")
        inicio = time.monotonic()
        self.rng = random.Random(semilla)
        self.lugares = self._lugares()
        with transaction.atomic():
            proveedores = self._proveedores()
            servicios = self._servicios(proveedores, cantidad=max(24, conexiones // 150))
            nodos = self._nodos(cantidad=max(20, conexiones // 100))
            cliente_ids = self._clientes(clientes)
            conexion_ids = self._conexiones(cliente_ids, servicios, nodos, conexiones)
            self._equipos(conexion_ids)
        # Adjustments go through the service, so the ledger rows are real ones.
        ajustes = self._ajustes(conexion_ids[:30])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo cargada en {time.monotonic() - inicio:.1f} s: {clientes} clientes, "
                f"{len(conexion_ids)} conexiones, {len(servicios)} servicios de proveedor, "
                f"{len(nodos)} nodos, {ajustes} ajustes de BW."
            )
        )

    def _lugares(self):
        """(departamento, provincia, distrito) triples from the ubigeo list, Lima weighted."""
        lugares = []
        for dep in ubigeo.departamentos():
            for prov in ubigeo.provincias(dep):
                for dist in ubigeo.distritos(dep, prov)[:6]:
                    lugares.append((dep, prov, dist))
        lima = [(d, p, x) for d, p, x in lugares if p == "Lima"]
        return lugares + lima * 20

    def _lugar(self):
        return self.rng.choice(self.lugares)

    def _proveedores(self):
        return Proveedor.objects.bulk_create(
            [
                Proveedor(
                    nombre=nombre,
                    ruc=ruc,
                    contacto=datos_demo.persona(self.rng),
                    telefono=f"01 {self.rng.randint(2000000, 7999999)}",
                    email=f"noc@{nombre.split()[0].lower().replace('ñ', 'n').replace('é', 'e')}.pe",
                )
                for nombre, ruc in CARRIERS
            ]
        )

    def _servicios(self, proveedores, *, cantidad):
        servicios = []
        for i in range(cantidad):
            dep, prov, dist = self._lugar()
            servicios.append(
                ServicioProveedor(
                    proveedor=proveedores[i % len(proveedores)],
                    codigo=f"CIR-{ascii_mayusculas(dep)[:3]}-{10000 + i}",
                    modalidad=self.rng.choice(ModalidadServicio.values),
                    tipo=self.rng.choice(["Internet dedicado", "Transporte", "Capacidad IP"]),
                    capacidad_contratada=self.rng.choice([1000, 2000, 5000, 10000]),
                    estado=EstadoServicio.ACTIVO if i % 12 else EstadoServicio.SUSPENDIDO,
                    departamento=dep,
                    provincia=prov,
                    distrito=dist,
                    locacion=f"{prov} - {dist} / Data Center",
                )
            )
        return ServicioProveedor.objects.bulk_create(servicios, batch_size=LOTE)

    def _nodos(self, *, cantidad):
        """At least NODOS_POR_DEPARTAMENTO in every departamento (links are served by nodes
        of their own region), the rest where the links are (Lima weighted)."""
        lugares = [
            self.rng.choice([lugar for lugar in self.lugares if lugar[0] == dep])
            for dep in ubigeo.departamentos()
            for _ in range(NODOS_POR_DEPARTAMENTO)
        ]
        lugares += [self._lugar() for _ in range(max(0, cantidad - len(lugares)))]
        nodos = []
        for i, (dep, prov, dist) in enumerate(lugares):
            tipo = [TipoNodo.POP, TipoNodo.TORRE, TipoNodo.DATA_CENTER, TipoNodo.OLT][i % 4]
            nodos.append(
                Nodo(
                    nombre=f"{ascii_mayusculas(tipo)}-{ascii_mayusculas(dist)}-{i + 1:04d}",
                    tipo=tipo,
                    departamento=dep,
                    provincia=prov,
                    distrito=dist,
                    direccion=datos_demo.direccion(self.rng),
                )
            )
        return Nodo.objects.bulk_create(nodos, batch_size=LOTE)

    def _clientes(self, cantidad) -> list[tuple[int, str]]:
        ids = []
        hoy = date.today()
        for inicio in range(0, cantidad, LOTE):
            lote = [
                ClienteCorp(
                    cid=str(100 + i),
                    cod_erp=f"ERP-{20000 + i}",
                    razon_social=datos_demo.razon_social(self.rng, i),
                    ruc=datos_demo.ruc_valido(1000000 + i),
                    responsable=datos_demo.persona(self.rng),
                    **self._contacto(i),
                    fecha_activacion=hoy - timedelta(days=self.rng.randint(30, 3000)),
                    is_active=i % 25 != 0,
                )
                for i in range(inicio, min(inicio + LOTE, cantidad))
            ]
            creados = ClienteCorp.objects.bulk_create(lote)
            ids += [(c.pk, c.cid) for c in creados]
            Sede.objects.bulk_create(
                [
                    Sede(
                        cliente_id=c.pk,
                        oficina="Oficina Central" if n == 0 else f"Sede {n}",
                        **self._ubicacion(),
                    )
                    for c in creados
                    for n in range(self.rng.randint(1, 2))
                ]
            )
        return ids

    def _contacto(self, i: int) -> dict:
        if self.rng.random() >= CON_CONTACTO:
            return {}
        return {
            "telefono": f"9{self.rng.randint(10000000, 99999999)}",
            "correo": f"noc.cliente{100 + i}@{datos_demo.dominio(self.rng)}",
        }

    def _ubicacion(self):
        dep, prov, dist = self._lugar()
        return {
            "departamento": dep,
            "provincia": prov,
            "distrito": dist,
            "direccion": datos_demo.direccion(self.rng),
            "locacion": f"{prov} - {dist}",
        }

    def _conexiones(self, cliente_ids, servicios, nodos, cantidad) -> list[int]:
        estados = [e for e, _ in ESTADOS_PESO]
        pesos = [p for _, p in ESTADOS_PESO]
        secuencia: dict[int, int] = {}
        nodos_de = defaultdict(list)
        for nodo in nodos:
            nodos_de[nodo.departamento].append(nodo)
        ids = []
        hoy = date.today()
        for inicio in range(0, cantidad, LOTE):
            lote = []
            for i in range(inicio, min(inicio + LOTE, cantidad)):
                # Every client gets a connection before any gets a second one.
                cliente_id, cid = cliente_ids[i % len(cliente_ids)]
                secuencia[cliente_id] = secuencia.get(cliente_id, 0) + 1
                ubicacion = self._ubicacion()
                nodo_a, nodo_b = self.rng.sample(nodos_de[ubicacion["departamento"]], 2)
                bw = self.rng.choice(BW_OPCIONES)
                # The first connections cover every estado so a small demo shows them all.
                estado = estados[i] if i < len(estados) else self.rng.choices(estados, pesos)[0]
                lote.append(
                    Conexion(
                        cid_enlace=f"{cid}{secuencia[cliente_id]:03d}",
                        cliente_id=cliente_id,
                        servicio=servicios[i % len(servicios)],
                        tipo_enlace=self.rng.choice(TipoServicio.values),
                        modalidad_enlace=self.rng.choice(ModalidadEnlace.values),
                        estado=estado,
                        fecha_activacion=hoy - timedelta(days=self.rng.randint(1, 2500)),
                        bw_contratado=bw,
                        bw_utilizado=self.rng.randint(0, bw),
                        nodo_a=nodo_a,
                        nodo_b=nodo_b,
                        configuracion_nodo_a=(
                            f"interface GigabitEthernet0/0/{i % 48}\n"
                            f" description {cid}\n ip address 10.{i % 250}.{i % 199}.1 "
                            "255.255.255.252\n no shutdown"
                        ),
                        configuracion_nodo_b="",
                        **ubicacion,
                    )
                )
            ids += [c.pk for c in Conexion.objects.bulk_create(lote)]
        return ids

    def _equipos(self, conexion_ids):
        equipos = []
        tipos = list(MARCAS)
        for i, conexion_id in enumerate(conexion_ids):
            tipo = tipos[i % len(tipos)]
            marca, modelo = self.rng.choice(MARCAS[tipo])
            equipos.append(
                Equipo(
                    tipo=tipo,
                    marca=marca,
                    modelo=modelo,
                    serie=f"SN{i:09d}",
                    conexion_id=conexion_id,
                )
            )
        # Spare equipment in the warehouse, offered when a new connection is registered.
        for j in range(max(10, len(conexion_ids) // 20)):
            tipo = tipos[j % len(tipos)]
            marca, modelo = self.rng.choice(MARCAS[tipo])
            equipos.append(Equipo(tipo=tipo, marca=marca, modelo=modelo, serie=f"ALM{j:08d}"))
        Equipo.objects.bulk_create(equipos, batch_size=LOTE)

    def _ajustes(self, conexion_ids) -> int:
        conexiones = Conexion.objects.filter(pk__in=conexion_ids).exclude(
            estado=EstadoConexion.BAJA
        )
        pedidos = []
        for i, (pk, bw) in enumerate(conexiones.order_by("pk").values_list("pk", "bw_contratado")):
            if i % 3:
                pedidos.append(PedidoAjuste(pk, modo=ModoAjuste.AUMENTAR, mbps=50))
            elif bw > 1:
                pedidos.append(PedidoAjuste(pk, modo=ModoAjuste.DISMINUIR, mbps=bw // 2))
        return len(
            conexiones_ajustar_bw(
                pedidos=pedidos,
                motivo="Solicitud del cliente (demo)",
                confirmar_sobresuscripcion=True,
            )
        )
