"""The engine's errors: a file that cannot be imported, and a batch an entity refused."""


class ErrorDeImportacion(Exception):
    """The file cannot be imported at all (missing, unreadable, unknown entity, columns
    missing); the message is Spanish and meant for the operator. Row errors are not raised:
    they are listed in the Resultado."""


class LoteConErrores(Exception):
    """Raised by an entity's `escribir` after marking the rows a service refused
    (`fila.error(...)`): the batch's writes are rolled back, the import goes on checking."""
