from django.apps import AppConfig


class IspPortalConfig(AppConfig):
    """Shared bits: base layout, generic views, roles, demo data and import commands."""

    name = "isp_portal"
    verbose_name = "ISP Portal"
