"""JSON in and out of the API, with Spanish errors and no input that can break them."""

import codecs
import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer


def _rechazar_constante(nombre):
    raise ValueError(f"{nombre} no es un número JSON")


class JSONEstricto(JSONParser):
    """Standard JSON only (no NaN or Infinity), UTF-8, errors in Spanish."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json.load(codecs.getreader("utf-8")(stream), parse_constant=_rechazar_constante)
        except json.JSONDecodeError as error:
            raise ParseError(
                f"El cuerpo no es un JSON válido (línea {error.lineno}, columna {error.colno})."
            ) from None
        except UnicodeDecodeError:
            raise ParseError("El cuerpo no es un JSON válido: no está en UTF-8.") from None
        except (ValueError, RecursionError):
            # NaN/Infinity, numbers of thousands of digits, nesting deeper than Python's stack.
            raise ParseError("El cuerpo no es un JSON válido.") from None


class JSONSeguro(JSONRenderer):
    """UTF-8 JSON; text that UTF-8 cannot hold (a lone surrogate echoed back in an error
    message) comes out escaped instead of failing the response."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            texto = json.dumps(data, cls=self.encoder_class, ensure_ascii=True)
            return texto.encode("ascii")
