"""The error answers every operation may give, added to the OpenAPI document once."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Las credenciales de autenticación no se proveyeron."},
}
ERRORES_DE_CAMPO = {
    "type": "object",
    "description": "Mensajes por campo (`non_field_errors`: de la entrada entera), o "
    "`detail` si el cuerpo no es JSON.",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
    "example": {"ruc": ["El RUC debe tener 11 dígitos (tiene 9)."]},
}
RESPUESTAS = {
    "400": ("Entrada inválida.", "ErroresDeCampo"),
    "401": ("Sin token, o token inválido, vencido o revocado.", "Error"),
    "403": ("El rol del usuario no permite esta operación.", "Error"),
    "404": ("No existe.", "Error"),
    "429": ("Demasiadas solicitudes: reintente tras `Retry-After` segundos.", "Error"),
}


def agregar_errores(result, generator, request, public):
    """drf-spectacular postprocessing hook: 400/401/403/404/429 on every operation."""
    componentes = result.setdefault("components", {}).setdefault("schemas", {})
    componentes["Error"] = ERROR
    componentes["ErroresDeCampo"] = ERRORES_DE_CAMPO
    for ruta, operaciones in result.get("paths", {}).items():
        for operacion in operaciones.values():
            respuestas = operacion.setdefault("responses", {})
            for codigo, (descripcion, componente) in RESPUESTAS.items():
                if codigo == "404" and "{" not in ruta:
                    continue
                respuesta = {
                    "description": descripcion,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{componente}"}
                        }
                    },
                }
                if codigo == "429":
                    respuesta["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Segundos hasta que se pueda reintentar.",
                        }
                    }
                respuestas.setdefault(codigo, respuesta)
    return result
