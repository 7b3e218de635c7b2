from datetime import datetime
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clientes.models import ClienteCorp
from isp_portal.enteros import id_o_none, rango_columna
from isp_portal.fechas import MomentoField
from isp_portal.formatos import mbps_texto
from isp_portal.forms import (
    CrispyFormMixin,
    EnteroField,
    LargeSelect,
    ModeloChoiceField,
    ModeloMultipleChoiceField,
    SharedOptions,
    UbicacionFormMixin,
    campo_de_formulario,
)
from isp_portal.models import CAMPOS_UBICACION
from proveedores.choices import ModalidadServicio
from proveedores.models import Proveedor, ServicioProveedor

from . import selectors
from .choices import ModoAjuste
from .models import Conexion, Equipo, Nodo, equipo_etiqueta
from .selectors import equipos_disponibles, nodo_opciones
from .services import BW_MINIMO

MODALIDADES = dict(ModalidadServicio.choices)
MENSAJE_BW = "Ingrese un número entero de Mbps mayor que cero."
MENSAJE_MOMENTO = "Ingrese fecha y hora (AAAA-MM-DDTHH:MM)."
# The columns of a connection's BW and of an adjustment's Mbps.
RANGO_BW = rango_columna(Conexion._meta.get_field("bw_contratado"))
# Up to this many offered pieces, each equipment row is a plain <select> of all of them;
# beyond it, each row searches (htmx) so the page never carries thousands of options.
EQUIPOS_EN_SELECT = 300


def cliente_opcion(cliente: ClienteCorp) -> str:
    return f"{cliente.razon_social} · RUC {cliente.ruc} · CID {cliente.cid}"


def servicio_opcion(codigo: str, modalidad: str, locacion: str, disponible: int) -> str:
    """Label of a provider service: code, modality, location and remaining Mbps."""
    partes = [codigo, MODALIDADES.get(modalidad, modalidad)]  # as get_modalidad_display()
    if locacion:
        partes.append(locacion)
    partes.append(f"{mbps_texto(disponible)} disponibles")
    return " · ".join(partes)


def servicios_de_proveedor(proveedor_id) -> list[tuple[int, str]]:
    """(pk, label) of a provider's services, with their remaining capacity."""
    if not proveedor_id:
        return []
    filas = selectors.servicios_de_proveedor(proveedor_id)
    return [(pk, servicio_opcion(*campos)) for pk, *campos in filas]


class EquiposField(ModeloMultipleChoiceField):
    """The `equipos` rows: empty rows are ignored and a piece chosen twice counts once."""

    def clean(self, value):
        return super().clean(list(dict.fromkeys(v for v in (value or []) if str(v).strip())))


class ConexionForm(UbicacionFormMixin, CrispyFormMixin, forms.ModelForm):
    """The four-section connection form ("Nueva servicio cliente" and its edit page).

    `cliente` never lists the 100k clients: its select only holds the chosen one and an
    htmx search fills it. `servicio` holds only the chosen provider's services. Equipment
    rows are <select name="equipos">, validated here and again under lock by the service.
    """

    cliente = ModeloChoiceField(
        label="Cliente corporativo",
        queryset=ClienteCorp.objects.all(),
        error_messages={"invalid_choice": "Elija un cliente de la búsqueda."},
    )
    cid_enlace = forms.CharField(
        label="CID",
        max_length=30,
        required=False,
        help_text="Se propone al elegir el cliente; vacío: el siguiente CID del cliente.",
    )
    bw_contratado = EnteroField(
        label="Capacidad contratada (Mbps)",
        campo=Conexion._meta.get_field("bw_contratado"),
        min_value=BW_MINIMO,
        error_messages={"invalid": MENSAJE_BW, "min_value": MENSAJE_BW},
    )
    capacidad_disponible = EnteroField(
        label="Capacidad disponible (Mbps)", rango=RANGO_BW, required=False, disabled=True
    )
    confirmar_sobresuscripcion = forms.BooleanField(
        label="Confirmo la sobresuscripción del servicio del proveedor",
        required=False,
    )
    # The BW the editor saw: an edit applies its difference, so an adjustment made by
    # someone else meanwhile is not overwritten.
    bw_visto = EnteroField(rango=RANGO_BW, required=False, widget=forms.HiddenInput)
    proveedor = ModeloChoiceField(
        label="Proveedor principal",
        queryset=Proveedor.objects.only("pk", "nombre"),
        required=False,
        empty_label="Elija un proveedor…",
        widget=LargeSelect,
    )
    servicio = ModeloChoiceField(
        label="Servicio del proveedor",
        queryset=ServicioProveedor.objects.select_related("proveedor"),
        required=False,
        widget=LargeSelect,  # a provider may have hundreds of services
        error_messages={"invalid_choice": "Elija un servicio del proveedor de la lista."},
    )
    asignacion_ip = forms.CharField(
        label="Asignación IP",
        required=False,
        help_text="Nota local: no se guarda.",
        widget=forms.TextInput(attrs={"placeholder": "192.168.1.1/24"}),
    )
    equipos = EquiposField(
        label="Equipos asignados",
        queryset=Equipo.objects.select_related("conexion__cliente"),
        required=False,
        error_messages={"invalid_choice": "El equipo %(value)s no existe."},
    )

    class Meta:
        model = Conexion
        formfield_callback = campo_de_formulario
        fields = [
            "cliente",
            "cid_enlace",
            "tipo_enlace",
            "bw_contratado",
            "estado",
            "fecha_activacion",
            "departamento",
            "provincia",
            "distrito",
            "locacion",
            "direccion",
            "modalidad_enlace",
            "servicio",
            "nodo_a",
            "configuracion_nodo_a",
            "nodo_b",
            "configuracion_nodo_b",
        ]
        labels = {
            "tipo_enlace": "Tipo de servicio",
            "estado": "Condición",
            "modalidad_enlace": "Tipo de enlace",
            "nodo_a": "Nodo acceso A",
            "nodo_b": "Nodo acceso B",
            "locacion": "Locación",
        }
        # LargeSelect everywhere: the page has several selects, thousands of options in all.
        widgets = {
            "tipo_enlace": LargeSelect,
            "estado": LargeSelect,
            "modalidad_enlace": LargeSelect,
            "nodo_a": LargeSelect,
            "nodo_b": LargeSelect,
            "fecha_activacion": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "configuracion_nodo_a": forms.Textarea(
                attrs={"rows": 5, "class": "font-monospace", "spellcheck": "false"}
            ),
            "configuracion_nodo_b": forms.Textarea(
                attrs={"rows": 5, "class": "font-monospace", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, puede_ajustar_bw: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        editando = bool(self.instance.pk)
        self._preparar_nodos()
        self._preparar_cliente(editando)
        self._preparar_servicio(editando)
        self._preparar_bw(editando, puede_ajustar_bw)
        if editando:
            # An unbound form reads the connection's equipment with its labels once, when the
            # rows are rendered (equipos_filas).
            if self.is_bound or "equipos" in self.initial:
                self.initial.setdefault("equipos", [e.pk for e in self._equipos_actuales])
            self.initial["bw_visto"] = self.instance.bw_contratado
        else:
            del self.fields["bw_visto"]
        self.fields["equipos"].widget.choices = []  # rows are rendered by the template

    # --- set-up --------------------------------------------------------------------------
    def _preparar_nodos(self) -> None:
        """Both selects list every node, read and written once when the form renders (the
        htmx partials built from this form never render them); validation looks the chosen
        node up."""
        opciones = SharedOptions(self._nodo_choices)
        for nombre in ("nodo_a", "nodo_b"):
            self.fields[nombre].queryset = Nodo.objects.all()
            self.fields[nombre].widget.choices = opciones

    def _nodo_choices(self) -> list[tuple]:
        return [("", self.fields["nodo_a"].empty_label), *nodo_opciones()]

    @cached_property
    def _equipos_actuales(self) -> list[Equipo]:
        return list(self.instance.equipos.all()) if self.instance.pk else []

    def _preparar_cliente(self, editando: bool) -> None:
        campo = self.fields["cliente"]
        elegido = self._cliente_elegido()
        campo.widget = LargeSelect(
            choices=[("", "Busque y elija un cliente…")]
            + ([(elegido.pk, cliente_opcion(elegido))] if elegido else []),
            attrs={"class": "form-select"},
        )
        if not editando:
            # Choosing a client proposes its next CID.
            campo.widget.attrs.update(
                {
                    "hx-get": reverse("conexiones:conexion_cid_sugerido"),
                    "hx-trigger": "change",
                    "hx-target": f"#div_{self['cid_enlace'].auto_id}",
                    "hx-swap": "outerHTML",
                }
            )

    def _cliente_elegido(self) -> ClienteCorp | None:
        if self.is_bound:
            valor = self.data.get(self.add_prefix("cliente"))
        else:
            valor = self.initial.get("cliente") or self.instance.cliente_id
        if isinstance(valor, ClienteCorp):
            return valor
        cliente_id = id_o_none(valor)
        if cliente_id is None:
            return None
        if self.instance.cliente_id and cliente_id == self.instance.cliente_id:
            return self.instance.cliente
        return ClienteCorp.objects.filter(pk=cliente_id).first()

    def _preparar_servicio(self, editando: bool) -> None:
        if editando and self.instance.servicio_id:
            self.initial.setdefault("proveedor", self.instance.servicio.proveedor_id)
        if self.is_bound:
            proveedor_id = self.data.get(self.add_prefix("proveedor"))
        else:
            proveedor_id = self.initial.get("proveedor")
        proveedor_id = getattr(proveedor_id, "pk", proveedor_id)
        self.fields["proveedor"].widget.attrs.update(
            {
                "hx-get": reverse("conexiones:conexion_servicios_proveedor"),
                "hx-trigger": "change",
                "hx-target": f"#div_{self['servicio'].auto_id}",
                "hx-swap": "outerHTML",
            }
        )
        opciones = servicios_de_proveedor(id_o_none(proveedor_id))
        self.fields["servicio"].widget.choices = [("", "Elija un servicio…"), *opciones]
        if not opciones:
            self.fields["servicio"].widget.attrs["disabled"] = True

    def _preparar_bw(self, editando: bool, puede_ajustar_bw: bool) -> None:
        self.fields["bw_contratado"].widget.attrs["data-espejo"] = (
            f"#{self['capacidad_disponible'].auto_id}"
        )
        self.fields["capacidad_disponible"].widget.attrs["readonly"] = True
        inicial = self.initial.get("bw_contratado", self.instance.bw_contratado or None)
        self.initial["capacidad_disponible"] = inicial
        if editando:
            self.fields["bw_contratado"].help_text = (
                "Un cambio se registra como ajuste de BW («Edición de la conexión»)."
            )
            if not puede_ajustar_bw:
                self.fields["bw_contratado"].disabled = True
                self.fields["bw_contratado"].help_text = (
                    "Sin permiso para ajustar el BW: no se puede cambiar aquí."
                )

    # --- template helpers ----------------------------------------------------------------
    def equipos_filas(self) -> dict:
        """What the equipment rows need, in at most two queries.

        `opciones`: every offered piece, or None when there are more than
        EQUIPOS_EN_SELECT (each row then searches with htmx and lists only its choice);
        `filas`: [(value, options of that row)] for the submitted or current pieces.
        """
        # Rows, not models: beyond EQUIPOS_EN_SELECT the offer only says there are many.
        ofrecidos = list(
            equipos_disponibles(self.instance).values_list(
                "pk", "tipo", "marca", "modelo", "serie"
            )[: EQUIPOS_EN_SELECT + 1]
        )
        opciones = None
        if len(ofrecidos) <= EQUIPOS_EN_SELECT:
            opciones = [(str(pk), equipo_etiqueta(*campos)) for pk, *campos in ofrecidos]
        actuales = None
        if self.is_bound:
            elegidos = [v for v in self.data.getlist(self.add_prefix("equipos")) if v.strip()]
        elif "equipos" in self.initial:
            elegidos = [str(getattr(v, "pk", v)) for v in self.initial["equipos"]]
        else:
            actuales = self._equipos_actuales
            elegidos = [str(e.pk) for e in actuales]
        if opciones is not None:
            filas = [(v, opciones) for v in elegidos]
        else:
            if actuales is None:
                ids = [id_o_none(v) for v in elegidos]
                actuales = Equipo.objects.filter(pk__in=[i for i in ids if i is not None])
            etiquetas = {str(e.pk): str(e) for e in actuales}
            filas = [(v, [(v, etiquetas[v])] if v in etiquetas else []) for v in elegidos]
        return {"opciones": opciones, "filas": filas, "hay": bool(ofrecidos)}

    # --- validation ----------------------------------------------------------------------
    def clean_cid_enlace(self):
        # As stored (full-width digits as ASCII): the model field's rule.
        cid = Conexion._meta.get_field("cid_enlace").to_python(
            (self.cleaned_data.get("cid_enlace") or "").strip()
        )
        if not cid:
            if self.instance.pk:
                raise forms.ValidationError("El CID es obligatorio.")
            return cid
        otra = (
            Conexion.objects.filter(cid_enlace=cid)
            .exclude(pk=self.instance.pk)
            .select_related("cliente")
            .only("pk", "cid_enlace", "tipo_enlace", "cliente__razon_social")
            .first()
        )
        if otra:
            raise forms.ValidationError(
                f"El CID {cid} ya lo tiene la conexión de «{otra.cliente.razon_social}» "
                f"({otra.get_tipo_enlace_display()}).",
                code="duplicado",
            )
        return cid

    def clean_equipos(self):
        equipos = list(self.cleaned_data.get("equipos") or [])
        ocupados = [e for e in equipos if e.conexion_id not in (None, self.instance.pk)]
        if ocupados:
            detalle = ", ".join(
                f"SN {e.serie} (conexión {e.conexion.cid_enlace})" for e in ocupados
            )
            raise forms.ValidationError(f"Equipos ya asignados a otra conexión: {detalle}.")
        return equipos

    def clean(self):
        cleaned = super().clean()
        nodo_a, nodo_b = cleaned.get("nodo_a"), cleaned.get("nodo_b")
        if nodo_a and nodo_b and nodo_a == nodo_b:
            self.add_error("nodo_b", "El nodo B debe ser distinto del nodo A.")
        servicio, proveedor = cleaned.get("servicio"), cleaned.get("proveedor")
        if servicio and proveedor and servicio.proveedor_id != proveedor.pk:
            self.add_error(
                "servicio",
                f"El servicio {servicio.codigo} no pertenece al proveedor «{proveedor}».",
            )
        elif servicio and not proveedor and "proveedor" not in self.errors:
            self.add_error("proveedor", "Elija el proveedor del servicio.")
        return cleaned

    def datos_modelo(self) -> dict:
        """The model fields to write: all of them on create, the changed ones on edit."""
        nombres = [f for f in self._meta.fields if f in self.cleaned_data]
        if self.instance.pk:
            nombres = [f for f in nombres if f in self.changed_data]
        return {f: self.cleaned_data[f] for f in nombres}


def campo_momento(label: str, ayuda: str) -> MomentoField:
    """An optional date and time: ISO `YYYY-MM-DDTHH:MM[:SS]`, as <input type=datetime-local>
    sends it, in the site's time zone (America/Lima), within the site's range of dates."""
    return MomentoField(
        label=label, required=False, help_text=ayuda, error_messages={"invalid": MENSAJE_MOMENTO}
    )


class AjusteBWForm(forms.Form):
    """The Ajustar BW modal; the rules themselves are checked by conexion_ajustar_bw."""

    modo = forms.ChoiceField(
        label="Modo", choices=ModoAjuste.choices, widget=forms.HiddenInput
    )
    # No column range here: the service bounds the resulting BW (BW_MAXIMO_MBPS) with the
    # message that says how far it can go.
    mbps = EnteroField(
        label="MBPS",
        min_value=1,
        error_messages={
            "required": "Ingrese cuántos Mbps.",
            "invalid": MENSAJE_BW,
            "min_value": MENSAJE_BW,
        },
        widget=forms.NumberInput(attrs={"min": 1, "step": 1, "autofocus": True}),
    )
    motivo = forms.CharField(label="Motivo", max_length=255, required=False)
    confirmar_sobresuscripcion = forms.BooleanField(
        label="Confirmo la sobresuscripción", required=False
    )
    # A later or temporary change (see es_programado); an inicio in the past means now.
    inicio = campo_momento("Inicio", "Vacío o pasado: ahora. Hora de Lima.")
    fin = campo_momento("Fin", "Cambio temporal: a esta hora se revierte.")

    def mbps_valido(self) -> int | None:
        """The typed Mbps if the field takes it (for the preview, even if unbound)."""
        try:
            return self.fields["mbps"].clean(self.data.get("mbps"))
        except ValidationError:
            return None

    def momento_valido(self, nombre: str) -> datetime | None:
        """The typed `inicio` or `fin` if it parses (for the preview, even if unbound)."""
        campo = self.fields[nombre]
        try:
            return campo.clean(self[nombre].data)
        except ValidationError:
            return None

    def campos_programacion(self) -> list:
        return [self["inicio"], self["fin"]]

    def inicio_futuro(self) -> datetime | None:
        """The typed inicio if it is still to come (else the change starts now)."""
        inicio = self.momento_valido("inicio")
        return inicio if inicio is not None and inicio > timezone.now() else None

    def es_programado(self) -> bool:
        """Whether the valid form asks for a later or temporary change, not one now."""
        datos = self.cleaned_data
        return datos.get("fin") is not None or (
            datos.get("inicio") is not None and datos["inicio"] > timezone.now()
        )


class ReversionFallidaForm(forms.Form):
    """Retry (`confirmar_sobresuscripcion`) or resolve (`explicacion`) a failed revert; the
    rules are the services' (ajuste_programado_reintentar, ajuste_programado_resolver)."""

    explicacion = forms.CharField(
        label="Cómo se resolvió", max_length=500, required=False, strip=True
    )
    confirmar_sobresuscripcion = forms.BooleanField(
        label="Confirmo la sobresuscripción", required=False
    )


class NodoForm(UbicacionFormMixin, CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Nodo
        formfield_callback = campo_de_formulario
        fields = ["nombre", "tipo", *CAMPOS_UBICACION]


class EquipoForm(CrispyFormMixin, forms.ModelForm):
    """Inventory data only: the connection it sits on is assigned from the connection form."""

    class Meta:
        model = Equipo
        formfield_callback = campo_de_formulario
        fields = ["tipo", "marca", "modelo", "serie"]

