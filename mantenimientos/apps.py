from django.apps import AppConfig


class MantenimientosConfig(AppConfig):
    name = "mantenimientos"
    verbose_name = "Mantenimientos"

    def ready(self):
        from . import paneles

        paneles.registrar_todos()
