from isp_portal.generic import ObjectDetailView, ObjectListView, Section
from isp_portal.tables import Column

from .filters import ConexionFilterSet
from .models import Conexion
from .resources import CONEXION_COLUMNS
from .selectors import conexion_list


class ConexionListView(ObjectListView):
    model = Conexion
    queryset = conexion_list()
    filterset_class = ConexionFilterSet
    title = "Conexiones"
    default_order = ("-created_at", "-pk")
    columns = [
        Column("cid_enlace", "CID", order_by="cid_enlace", link=True),
        Column("get_tipo_enlace_display", "Tipo de servicio", order_by="tipo_enlace"),
        Column("cliente.razon_social", "Cliente", order_by="cliente__razon_social"),
        Column("locacion", "Locación"),
        Column("bw_contratado", "BW contratado", order_by="bw_contratado", css="num"),
        Column("bw_disponible", "BW disponible", order_by="bw_disponible", css="num"),
        Column("bw_utilizado", "BW utilizado", order_by="bw_utilizado", css="num"),
        Column("estado", "Estado", order_by="estado", template="conexiones/_estado_celda.html"),
    ]
    export_columns = CONEXION_COLUMNS


class ConexionDetailView(ObjectDetailView):
    model = Conexion
    queryset = conexion_list().select_related("nodo_a", "nodo_b")
    sections = [
        Section(
            "Servicio",
            (
                "modalidad_enlace",
                "tipo_enlace",
                "estado",
                "fecha_activacion",
                "bw_contratado",
                "bw_disponible",
                "bw_utilizado",
                "servicio",
                "created_at",
            ),
        ),
        Section("Cliente", ("cliente.razon_social", "cliente.ruc")),
        Section("Topología", ("nodo_a", "nodo_b")),
        Section("Ubicación", ("departamento", "provincia", "distrito", "direccion", "locacion")),
    ]
