"""What the OpenAPI document says once for every operation: the error answers each may give
and the links from a created row to what can be done with it next."""

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


# (path, method, status) → [(target path, target method, {parameter: value of the answer})]
ENLACES = {
    ("/v1/conexiones", "post", "201"): [
        ("/v1/conexiones/{id}", "get", {"id": "$response.body#/enlace_id"}),
        ("/v1/conexiones/{id}", "put", {"id": "$response.body#/enlace_id"}),
        ("/v1/conexiones/{id}/ajustar-bw", "post", {"id": "$response.body#/enlace_id"}),
        ("/v1/conexiones/{id}/ajustes", "get", {"id": "$response.body#/enlace_id"}),
    ],
    ("/v1/conexiones/{id}/ajustar-bw", "post", "200"): [
        ("/v1/conexiones/{id}/ajustes", "get", {"id": "$response.body#/ajuste/enlace_id"}),
        ("/v1/conexiones/{id}", "get", {"id": "$response.body#/ajuste/enlace_id"}),
    ],
    ("/v1/clientes-corporativo/crear", "post", "201"): [
        ("/v1/clientes-corporativo/{id}", "get", {"id": "$response.body#/id"}),
        ("/v1/clientes-corporativo/editar/{id}", "put", {"id": "$response.body#/id"}),
        ("/v1/sedes/cliente/{cliente_id}", "get", {"cliente_id": "$response.body#/id"}),
    ],
    ("/v1/sedes/crear", "post", "201"): [
        ("/v1/sedes/cliente/{cliente_id}", "get", {"cliente_id": "$response.body#/cliente_id"}),
    ],
}


def agregar_enlaces(result, generator, request, public):
    """drf-spectacular postprocessing hook: OpenAPI links (ENLACES) between operations."""
    rutas = result.get("paths", {})
    for (ruta, metodo, codigo), destinos in ENLACES.items():
        respuesta = rutas.get(ruta, {}).get(metodo, {}).get("responses", {}).get(codigo)
        if respuesta is None:
            continue
        enlaces = respuesta.setdefault("links", {})
        for destino, metodo_destino, parametros in destinos:
            operacion = rutas.get(destino, {}).get(metodo_destino)
            if operacion is not None:
                enlaces[operacion["operationId"]] = {
                    "operationId": operacion["operationId"],
                    "parameters": parametros,
                }
    return result


def agregar_errores(result, generator, request, public):
    """drf-spectacular postprocessing hook: 400/401/403/404/429 on every operation."""
    componentes = result.setdefault("components", {}).setdefault("schemas", {})
    componentes["Error"] = ERROR
    componentes["ErroresDeCampo"] = ERRORES_DE_CAMPO
    for ruta, operaciones in result.get("paths", {}).items():
        for operacion in operaciones.values():
            respuestas = operacion.setdefault("responses", {})
            for codigo, (descripcion, componente) in RESPUESTAS.items():
                if codigo == "404" and "{" not in ruta and "requestBody" not in operacion:
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
