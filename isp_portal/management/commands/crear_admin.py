"""Create the first-run users (admin, and one per NOC role) and print their login."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from isp_portal.roles import GRUPO_LECTURA, GRUPO_OPERADOR

ARCHIVO = Path(settings.BASE_DIR) / ".credenciales-demo"
USUARIOS = [
    ("admin", None),
    ("operador", GRUPO_OPERADOR),
    ("lectura", GRUPO_LECTURA),
]


class Command(BaseCommand):
    help = "Crea el usuario admin y los usuarios de ejemplo de cada rol, e imprime su acceso."

    def handle(self, *args, **options):
        # The password is kept in a git-ignored file so every run prints a login that works.
        if ARCHIVO.exists():
            clave = ARCHIVO.read_text().strip()
        else:
            clave = secrets.token_urlsafe(9)
            ARCHIVO.write_text(clave + "\n")
            ARCHIVO.chmod(0o600)
        User = get_user_model()
        for nombre, grupo in USUARIOS:
            usuario, creado = User.objects.get_or_create(username=nombre)
            if creado or not usuario.has_usable_password():
                usuario.set_password(clave)
                usuario.is_staff = usuario.is_superuser = grupo is None
                usuario.save()
            if grupo:
                usuario.groups.add(Group.objects.get(name=grupo))
        self.stdout.write(
            self.style.SUCCESS(
                "\n  ISP Portal: http://127.0.0.1:8000/\n"
                f"  Usuario: admin      Contraseña: {clave}   (administrador)\n"
                f"  Usuario: operador   Contraseña: {clave}   (NOC operador)\n"
                f"  Usuario: lectura    Contraseña: {clave}   (NOC lectura)\n"
            )
        )
