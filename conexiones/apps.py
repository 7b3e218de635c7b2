from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ConexionesConfig(AppConfig):
    name = "conexiones"
    verbose_name = "Conexiones"

    def ready(self):
        from . import busqueda, registros
        from .agregados import registrar_en_sqlite

        registros.registrar()
        connection_created.connect(registrar_en_sqlite, weak=False)

        # SQLite drops a table's triggers when a migration rebuilds it: re-create them.
        post_migrate.connect(
            lambda using, **kwargs: busqueda.instalar(connections[using]),
            sender=self,
            weak=False,
        )
