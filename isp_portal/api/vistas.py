"""The API's generic views: a list (filters, limit/offset, count) and the base of every
endpoint (authentication, the pages' permissions, the rate limit, JSON errors).

An endpoint is a few lines: a queryset, a serializer, and for a list its filterset.
"""

from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from isp_portal.busqueda import MAX_COINCIDENCIAS
from isp_portal.enteros import parse_entero
from isp_portal.listas import contar_hasta, ordenar, pocas_coincidencias, ventana

from .campos import MAX_ID
from .entrada import nombres_de_entrada

ACCIONES = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change"}
LIMITE_POR_DEFECTO = 10
LIMITE_MAXIMO = 100
OFFSET_MAXIMO = 1_000_000_000
# Lists count their rows up to this many, as the pages' searches (isp_portal.busqueda); past
# it they answer `"count": CONTEO_MAXIMO, "mas_de": true`: counting 200,000 connections
# costs more than a page of them.
CONTEO_MAXIMO = MAX_COINCIDENCIAS


class VistaAPI(GenericAPIView):
    """Base of every endpoint.

    Permissions are the pages' model permissions: reading needs `view_<modelo>`, POST
    `add_<modelo>`, PUT `change_<modelo>`; `permisos` replaces them per method. A write
    validates its body with `entrada` and saves it through that serializer, which calls the
    page's service or form (`escribir`); their errors come back on `entrada`'s field names.
    """

    modelo = None
    permisos: dict[str, tuple[str, ...]] = {}
    entrada = None
    # No OPTIONS: the API is described by its OpenAPI document, not by DRF's metadata.
    http_method_names = ["get", "post", "put", "head"]

    def get_queryset(self):
        return self.queryset.all() if self.queryset is not None else self.modelo.objects.all()

    def permisos_requeridos(self, metodo: str) -> tuple[str, ...]:
        if metodo in self.permisos:
            return self.permisos[metodo]
        modelo = self.modelo or self.queryset.model
        return (f"{modelo._meta.app_label}.{ACCIONES[metodo]}_{modelo._meta.model_name}",)

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not have is 405 for everyone, before authentication.
        if request.method.lower() not in (m.lower() for m in self.allowed_methods):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def objeto(self, pk):
        """The row `pk` of the queryset, or a JSON 404."""
        fila = self.get_queryset().filter(pk=pk).first()
        if fila is None:
            modelo = self.modelo or self.get_queryset().model
            raise exceptions.NotFound(f"{capfirst(modelo._meta.verbose_name)} {pk} no existe.")
        return fila

    def nombres_api(self) -> dict[str, str]:
        """{model field: API field} where they differ, for the errors of the services."""
        return nombres_de_entrada(self.entrada) if self.entrada is not None else {}

    def escribir(self, request, instancia=None, **contexto):
        """The body checked by `entrada` and saved through it, with the user's history."""
        contexto = {"request": request, **contexto}
        serializer = self.entrada(instancia, data=request.data, context=contexto)
        serializer.is_valid(raise_exception=True)
        return serializer.save(usuario=request.user)


def leer_entero(parametros, nombre: str, defecto: int, minimo: int, maximo: int) -> int:
    if nombre not in parametros:
        return defecto
    try:
        return parse_entero(parametros[nombre], minimo=minimo, maximo=maximo)
    except DjangoValidationError:
        raise exceptions.ValidationError(
            {nombre: [f"Ingrese un entero de {minimo} a {maximo}."]}
        ) from None


class VistaLista(VistaAPI):
    """A paginated list: `{"count", "limit", "offset", "results"}`, and `"mas_de": true` when
    there are more rows than it counts (CONTEO_MAXIMO, or a search's cap: BaseFilterSet).

    Query parameters are the filterset's, renamed by `parametros` ({API name: filter
    name}). A constant number of queries: the search's own (if any), a COUNT, the page.
    """

    filterset_class = None
    parametros: dict[str, str] = {}
    resumen = ""  # the operation's summary in the OpenAPI document
    orden: tuple[str, ...] = ("pk",)
    # A search matching up to this many rows sorts them rather than walking the index of
    # `orden` (see isp_portal.listas.SortWithoutIndex). 0: never.
    ordenar_coincidencias = 0
    limite_por_defecto = LIMITE_POR_DEFECTO

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.serializer_class is not None:
            extend_schema_view(
                get=extend_schema(
                    summary=cls.resumen,
                    parameters=cls.parametros_openapi(),
                    responses=sobre_de_lista(cls.serializer_class),
                )
            )(cls)

    def get(self, request, *args, **kwargs):
        parametros = request.query_params
        limite = leer_entero(parametros, "limit", self.limite_por_defecto, 1, LIMITE_MAXIMO)
        offset = leer_entero(parametros, "offset", 0, 0, OFFSET_MAXIMO)
        queryset, conteo, mas_de = self.filtrar(self.get_queryset())
        if conteo is None and not mas_de:
            # Counted up to a cap: a count stays cheap at any table size.
            conteo = contar_hasta(queryset, CONTEO_MAXIMO)
            if conteo > CONTEO_MAXIMO:
                conteo, mas_de = None, CONTEO_MAXIMO
        buscada = bool(parametros.get("busqueda", "").strip())
        sin_indice = buscada and pocas_coincidencias(queryset, conteo, self.ordenar_coincidencias)
        filas = []
        if mas_de or offset < conteo:
            # The list engine of the pages (isp_portal.listas): the window's ids, then rows;
            # a search's best matches first (isp_portal.busqueda).
            ordenado = ordenar(queryset, list(self.orden), sin_indice=sin_indice, por_rango=True)
            filas = ventana(ordenado, offset, offset + limite)
        datos = {
            "count": mas_de or conteo,
            "limit": limite,
            "offset": offset,
            "results": self.get_serializer(filas, many=True).data,
        }
        if mas_de:
            datos["mas_de"] = True
        return Response(datos)

    def filtrar(self, queryset):
        """(queryset, its count if the search knows it, the cap if it matched more)."""
        if self.filterset_class is None:
            return queryset, None, None
        # {query parameter: filter}: the filters' own names, or the API's where they differ.
        propios = set(self.filterset_class.base_filters) - set(self.parametros.values())
        nombres = {**{f: f for f in propios}, **self.parametros}
        datos = {
            filtro: self.request.query_params[nombre]
            for nombre, filtro in nombres.items()
            if nombre in self.request.query_params
        }
        inverso = {filtro: nombre for nombre, filtro in nombres.items()}
        vacios = [
            f
            for f, valor in datos.items()
            if _es_id(self.filterset_class.base_filters[f]) and not valor.strip()
        ]
        if vacios:
            raise exceptions.ValidationError(
                {inverso[f]: ["Indique un id, u omita el parámetro."] for f in vacios}
            )
        filterset = self.filterset_class(datos, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(
                {inverso.get(campo, campo): errores for campo, errores in filterset.errors.items()}
            )
        queryset = filterset.qs
        return queryset, filterset.conteo, filterset.mas_de

    @classmethod
    def parametros_openapi(cls) -> list[OpenApiParameter]:
        """The query parameters of the list, for its OpenAPI description."""
        parametros = []
        if cls.filterset_class is not None:
            inverso = {filtro: nombre for nombre, filtro in cls.parametros.items()}
            for nombre, filtro in cls.filterset_class.base_filters.items():
                parametros.append(_parametro(inverso.get(nombre, nombre), filtro))
        return [
            *parametros,
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": LIMITE_MAXIMO},
                description=f"Filas por página (1 a {LIMITE_MAXIMO}; "
                f"{cls.limite_por_defecto} si falta).",
            ),
            OpenApiParameter(
                "offset",
                {"type": "integer", "minimum": 0, "maximum": OFFSET_MAXIMO},
                description="Filas a saltar (desde 0).",
            ),
        ]


def _es_id(filtro) -> bool:
    """An id filter (NumberFilter, ModelChoiceFilter, or a choice of rows read at run time),
    not the search box nor a choice of fixed values."""
    choices = filtro.extra.get("choices")
    return filtro.field_name != "busqueda" and (callable(choices) or choices in (None, []))


def _parametro(nombre: str, filtro) -> OpenApiParameter:
    choices = filtro.extra.get("choices")
    if filtro.field_name == "busqueda":
        return OpenApiParameter(nombre, str, description="Texto a buscar.")
    if _es_id(filtro):
        tipo = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        return OpenApiParameter(nombre, tipo, description=str(filtro.label or nombre))
    # Empty: no filter, as on the list pages (`?estado=` lists every estado).
    valores = ["", *(str(valor) for valor, _ in choices)]
    descripcion = f"{filtro.label or nombre} (vacío: todos)."
    return OpenApiParameter(nombre, str, enum=valores, description=descripcion)


@cache
def sobre_de_lista(serializer_class) -> type[serializers.Serializer]:
    """The OpenAPI shape of a list of `serializer_class`: count, limit, offset, results."""
    nombre = serializer_class.__name__.removesuffix("Serializer") + "Lista"
    return type(
        nombre,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(
                help_text="Filas que cumplen los filtros; con `mas_de`, hay más que estas "
                f"(se cuentan hasta {CONTEO_MAXIMO} filas)."
            ),
            "limit": serializers.IntegerField(),
            "offset": serializers.IntegerField(),
            "results": serializer_class(many=True),
            "mas_de": serializers.BooleanField(
                required=False,
                help_text="Solo si hay más filas de las que se cuentan: la lista se recorre "
                "con `offset` hasta que `results` venga incompleto; o afine los filtros.",
            ),
            "__module__": serializer_class.__module__,
        },
    )
