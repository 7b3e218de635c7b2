"""Create an API token for a user and print it (alone, on the last line)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from isp_portal.services import token_crear


class Command(BaseCommand):
    help = (
        "Crea un token de API (Authorization: Bearer <token>) para USUARIO e imprime el "
        "token solo en la última línea. Se guarda únicamente su huella: no se puede volver "
        "a mostrar."
    )

    def add_arguments(self, parser):
        parser.add_argument("usuario", help="nombre de usuario")
        parser.add_argument(
            "--dias",
            type=int,
            default=settings.API_TOKEN_DIAS,
            help=f"días de validez (1 a {settings.API_TOKEN_DIAS_MAXIMO}; "
            f"por defecto {settings.API_TOKEN_DIAS})",
        )
        parser.add_argument("--nombre", default="", help="descripción, p. ej. «sincronización ERP»")

    def handle(self, *args, **options):
        usuario = get_user_model().objects.filter(username=options["usuario"]).first()
        if usuario is None:
            raise CommandError(f"No existe el usuario «{options['usuario']}».")
        if not usuario.is_active:
            raise CommandError(f"El usuario «{usuario.username}» está inactivo.")
        try:
            fila, token = token_crear(
                usuario=usuario,
                nombre=options["nombre"] or "manage.py crear_token",
                dias=options["dias"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        vence = timezone.localtime(fila.expira)
        self.stderr.write(
            f"Token de {usuario.username}, vence el {vence:%Y-%m-%d %H:%M}. "
            "Guárdelo ahora: no se volverá a mostrar."
        )
        self.stdout.write(token)
