"""Small generators of believable Peruvian values, shared by factories and demo data."""

import random

from stdnum.pe import ruc as stdnum_ruc

PREFIJOS_EMPRESA = [
    "Corporación", "Inversiones", "Grupo", "Consorcio", "Distribuidora", "Transportes",
    "Agroindustrias", "Minera", "Constructora", "Clínica", "Colegio", "Textil", "Pesquera",
    "Comercial", "Servicios Logísticos", "Banco", "Financiera", "Hotelera", "Laboratorios",
]
NOMBRES_EMPRESA = [
    "Andina", "del Pacífico", "Inca", "Los Andes", "Santa Rosa", "San Martín", "Chavín",
    "Amazonía", "Mistiana", "Norteña", "del Sur", "Huascarán", "Titicaca", "Paracas",
    "Cordillera", "Miraflores", "Costa Verde", "Rímac", "Chan Chan", "Kuélap", "Vilcanota",
]
SUFIJOS_EMPRESA = ["S.A.", "S.A.C.", "S.A.A.", "E.I.R.L.", "S.R.L."]
NOMBRES = [
    "María", "José", "Luis", "Carmen", "Jorge", "Rosa", "Carlos", "Ana", "Juan", "Lucía",
    "Miguel", "Patricia", "César", "Milagros", "Víctor", "Giovanna", "Renzo", "Fiorella",
]
APELLIDOS = [
    "Quispe", "Flores", "Sánchez", "Rodríguez", "García", "Mamani", "Huamán", "Chávez",
    "Ramírez", "Torres", "Vargas", "Castillo", "Rojas", "Mendoza", "Gutiérrez", "Salazar",
]
VIAS = [
    "Av. Javier Prado Este", "Av. Larco", "Jr. de la Unión", "Av. Arequipa", "Calle Las Begonias",
    "Av. Benavides", "Av. La Marina", "Av. Ejército", "Av. El Sol", "Jr. Pizarro",
]


def ruc_valido(indice: int, tipo: str = "20") -> str:
    """A RUC with a valid check digit; distinct indices give distinct RUCs."""
    base = f"{tipo}{indice:08d}"
    return base + stdnum_ruc.calc_check_digit(base)


def razon_social(rng: random.Random, indice: int) -> str:
    return (
        f"{rng.choice(PREFIJOS_EMPRESA)} {rng.choice(NOMBRES_EMPRESA)} "
        f"{rng.choice(SUFIJOS_EMPRESA)}"
        + ("" if indice < 400 else f" ({indice})")
    )


def persona(rng: random.Random) -> str:
    return f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"


def direccion(rng: random.Random) -> str:
    return f"{rng.choice(VIAS)} {rng.randint(100, 3999)}"


DOMINIOS = ["empresa.com.pe", "corp.pe", "grupo.com.pe", "gmail.com", "outlook.com"]


def dominio(rng: random.Random) -> str:
    return rng.choice(DOMINIOS)
