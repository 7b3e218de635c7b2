from django.db.models import Sum
from django.views.generic import TemplateView

from conexiones import selectors as conexion_selectors
from proveedores import selectors as servicio_selectors
from proveedores.models import ServicioProveedor


class HomeView(TemplateView):
    """What the NOC wants at a glance."""

    template_name = "isp_portal/home.html"
    extra_context = {"titulo": "Inicio"}

    def get_context_data(self, **kwargs):
        contratado = ServicioProveedor.objects.aggregate(t=Sum("capacidad_contratada"))["t"] or 0
        return super().get_context_data(
            por_estado=conexion_selectors.conexiones_por_estado(),
            bw_vendido=conexion_selectors.bw_vendido_total(),
            bw_contratado=contratado,
            servicios_cargados=servicio_selectors.servicios_mas_cargados(limite=10),
            ajustes=conexion_selectors.ajustes_recientes(limite=10),
            **kwargs,
        )
