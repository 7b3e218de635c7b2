"""Starting on a fresh clone: every manage.py command the README shows runs as written.

`make run` writes a git-ignored .env (DEBUG=1, a generated SECRET_KEY) that manage.py reads;
the README's examples call the project's virtualenv, never a system Python without Django.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import reverse

RAIZ = Path(__file__).resolve().parents[2]
# What a command line of the README starts with: the project's Python or make.
COMANDO = re.compile(r"(?P<antes>\S*)\s*manage\.py\s+(?P<nombre>[a-z_]+)")


def lineas_con_manage(texto: str) -> list[tuple[str, str]]:
    """(what runs manage.py, command name) of every `… manage.py <command>` in the README."""
    return [(m["antes"], m["nombre"]) for m in COMANDO.finditer(texto)]


def test_el_readme_llama_al_python_del_proyecto_y_a_comandos_que_existen():
    usos = lineas_con_manage((RAIZ / "README.md").read_text(encoding="utf-8"))
    assert len(usos) >= 5
    comandos = get_commands()
    for antes, nombre in usos:
        # `manage.py <cmd>` named in prose is fine; a line that runs it uses the venv.
        if antes.endswith("python"):
            assert antes.endswith(".venv/bin/python"), f"«{antes} manage.py {nombre}»"
        assert nombre in comandos, f"el README muestra manage.py {nombre}, que no existe"


def _proyecto_sin_env(tmp_path: Path) -> Path:
    """A copy of the project's entry point beside links to its packages (no .env)."""
    for nombre in (
        "isp_portal",
        "clientes",
        "conexiones",
        "proveedores",
        "mantenimientos",
        "templates",
        "static",
    ):
        (tmp_path / nombre).symlink_to(RAIZ / nombre)
    (tmp_path / "manage.py").write_text((RAIZ / "manage.py").read_text())
    return tmp_path


def _manage(carpeta: Path, *args: str) -> subprocess.CompletedProcess:
    entorno = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=carpeta,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_lee_el_env_que_escribe_make_run(tmp_path):
    carpeta = _proyecto_sin_env(tmp_path)
    sin_env = _manage(carpeta, "check")
    assert sin_env.returncode != 0
    assert "SECRET_KEY" in sin_env.stderr

    # The same recipe as the Makefile's .env target.
    hecho = subprocess.run(
        ["make", "-f", str(RAIZ / "Makefile"), f"PYTHON={sys.executable}", ".env"],
        cwd=carpeta,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert hecho.returncode == 0, hecho.stderr
    env = (carpeta / ".env").read_text()
    assert "DEBUG=1" in env
    clave = re.search(r"^SECRET_KEY=(\S+)$", env, re.MULTILINE)[1]
    assert len(clave) >= 50

    con_env = _manage(carpeta, "check")
    assert con_env.returncode == 0, con_env.stderr


def test_el_env_no_se_versiona():
    assert ".env" in (RAIZ / ".gitignore").read_text().split()


@pytest.mark.django_db
def test_clientes_pide_login(client):
    respuesta = client.get("/clientes/")
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/login/")


@pytest.mark.django_db
def test_clientes_lleva_a_la_lista_de_clientes(operador_client):
    respuesta = operador_client.get("/clientes/?busqueda=minera")
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("clientes:clientecorp_list") + "?busqueda=minera"
