"""The notices' default texts: created by the data migration as PlantillaAviso rows (which
admins then edit), and used if a row is missing."""

from .choices import TipoAviso

_LISTA = (
    "{% for c in conexiones %}\n  - CID {{ c.cid_enlace }}"
    "{% if c.locacion %} · {{ c.locacion }}{% endif %}"
    "{% if c.direccion %} · {{ c.direccion }}{% endif %}{% endfor %}"
)

_VENTANA = """Inicio: {{ inicio }} (hora de Lima)
Fin:    {{ fin }} (hora de Lima)
Duración estimada: {{ duracion }}"""

_FIRMA = """Ante cualquier consulta comuníquese con nuestro NOC: {{ contacto_noc }}.

Atentamente,
Centro de Operaciones de Red (NOC)"""

_SALUDO = """Estimado cliente {{ cliente.razon_social }}{% if cliente.responsable %}
(atención: {{ cliente.responsable }}){% endif %}:"""

POR_DEFECTO = {
    TipoAviso.AVISO: (
        "Mantenimiento {{ tipo|lower }} el {{ inicio }}: CID {{ cids }}",
        f"""{_SALUDO}

Le informamos que realizaremos un mantenimiento {{{{ tipo|lower }}}} en {{{{ objeto }}}} que
afectará los siguientes servicios suyos:
{_LISTA}

{_VENTANA}

Trabajo: {{{{ descripcion }}}}

Durante la ventana los servicios indicados podrían presentar cortes.

{_FIRMA}
""",
    ),
    TipoAviso.CAMBIO: (
        "Cambio de horario del mantenimiento: CID {{ cids }}",
        f"""{_SALUDO}

La ventana del mantenimiento {{{{ tipo|lower }}}} que le avisamos cambió. Afecta los
siguientes servicios suyos:
{_LISTA}

Nueva ventana:
{_VENTANA}

Trabajo: {{{{ descripcion }}}}

{_FIRMA}
""",
    ),
    TipoAviso.CANCELACION: (
        "Mantenimiento cancelado: CID {{ cids }}",
        f"""{_SALUDO}

El mantenimiento que le avisamos para el {{{{ inicio }}}} (hora de Lima) en {{{{ objeto }}}}
fue cancelado: los siguientes servicios suyos no se verán afectados.
{_LISTA}

{_FIRMA}
""",
    ),
}
