import gc

from django.apps import AppConfig


class IspPortalConfig(AppConfig):
    """Shared bits: base layout, generic views, roles, demo data and import commands."""

    name = "isp_portal"
    verbose_name = "ISP Portal"

    def ready(self):
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from isp_portal.enteros import IdConverter
        from isp_portal.fechas import registrar_cargadores, verificar_rango
        from isp_portal.importacion import descubrir
        from isp_portal.validators import verificar_bw_maximo

        checks.register(verificar_bw_maximo)
        checks.register(verificar_rango)
        connection_created.connect(registrar_cargadores, dispatch_uid="fechas_acotadas")
        register_converter(IdConverter, "id")  # before any URLconf is read

        descubrir()  # each app's importacion.py registers its entities with the engine
        # Django, the apps and every module are loaded by now and live as long as the process
        # (~100,000 objects): frozen, the cyclic garbage collector stops scanning them on
        # each full collection. Those collections come every dozen requests of a form page
        # and paused it 60-100 ms; now 20-30 ms.
        gc.collect()
        gc.freeze()
