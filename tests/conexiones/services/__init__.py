"""Helpers of the tests of conexiones.services (one test module per service module)."""

import threading

from django.db import connection

from conexiones.choices import EstadoConexion, TipoServicio
from conexiones.factories import NodoFactory
from conexiones.selectors import servicios_con_capacidad


def en_paralelo(cantidad: int, trabajo) -> tuple[list, list]:
    """Run trabajo(i) in `cantidad` threads released at the same moment.

    Each thread closes its own database connection when it ends.
    """
    barrera = threading.Barrier(cantidad, timeout=60)
    resultados, errores = [], []
    candado = threading.Lock()

    def hilo(i):
        try:
            barrera.wait()
            resultado = trabajo(i)
            with candado:
                resultados.append(resultado)
        except Exception as e:  # noqa: BLE001 - reported by the test
            with candado:
                errores.append(e)
        finally:
            connection.close()

    hilos = [threading.Thread(target=hilo, args=(i,)) for i in range(cantidad)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    assert not any(h.is_alive() for h in hilos), "un hilo no terminó (¿bloqueo mutuo?)"
    return resultados, errores


def datos_conexion(cliente, servicio=None, **extra) -> dict:
    nodo_a, nodo_b = NodoFactory(), NodoFactory()
    return {
        "cliente": cliente,
        "servicio": servicio,
        "tipo_enlace": TipoServicio.INTERNET,
        "estado": EstadoConexion.ACTIVO,
        "bw_contratado": 100,
        "departamento": "Lima",
        "provincia": "Lima",
        "distrito": "Miraflores",
        "direccion": "Av. Larco 1150",
        "nodo_a": nodo_a,
        "nodo_b": nodo_b,
        **extra,
    }


def disponible(servicio) -> int:
    return servicios_con_capacidad().get(pk=servicio.pk).capacidad_disponible
