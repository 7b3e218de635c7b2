"""What a create or edit of the API receives: typed by a serializer, checked by the rules of
the pages (their forms or the services), written with the user's change history."""

from collections.abc import Mapping
from functools import cache

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from rest_framework import exceptions, serializers

from .errores import GENERAL


def sin_surrogates(texto: str) -> str:
    return texto.encode("utf-8", "backslashreplace").decode("utf-8")


@cache
def nombres_de_entrada(serializer_class) -> dict[str, str]:
    """{model field: API field} of an input whose fields map their names with `source=`."""
    return {
        campo.source: nombre
        for nombre, campo in serializer_class().fields.items()
        if campo.source not in (nombre, "*")
    }


class Entrada(serializers.Serializer):
    """An input that refuses fields it does not know (a typo must not pass for a change).

    A field's model name (its `source`) and the name `salida` (the serializer of the answer)
    gives the same value are hinted at ("use «cid»"); `rechazos` explains why a known field
    is not taken here. `create`/`update` call the page's service or form.
    """

    salida = None
    rechazos: dict[str, str] = {}

    @classmethod
    def pistas(cls) -> dict[str, str]:
        """{a known wrong name: the right one}."""
        fuentes = nombres_de_entrada(cls)
        pistas = dict(fuentes)
        if cls.salida is not None:
            for nombre, campo in cls.salida().fields.items():
                correcto = fuentes.get(campo.source, campo.source)
                if correcto in cls().fields and correcto != nombre:
                    pistas.setdefault(nombre, correcto)
        return pistas

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            desconocidos = [c for c in data if c not in self.fields or self.fields[c].read_only]
            if desconocidos:
                raise exceptions.ValidationError(
                    {sin_surrogates(str(c)): [self.motivo_rechazo(c)] for c in desconocidos}
                )
        return super().to_internal_value(data)

    def motivo_rechazo(self, campo) -> str:
        if campo in self.rechazos:
            return self.rechazos[campo]
        pistas = self.pistas()
        if campo in pistas:
            return f"Campo desconocido: use «{pistas[campo]}»."
        return "Campo desconocido."


def guardar_con_formulario(form_class, *, datos: dict, instancia, usuario, nombres: dict):
    """Check `datos` with the page's form and save them, with `usuario` in the history.

    Editing (the instance has a pk), only the fields in `datos` are checked and written;
    the others keep their stored values, which the form still sees (a new provincia is
    checked against the stored departamento). Errors: a 400 on the API's field names.
    """
    editando = instancia.pk is not None
    valores = {**model_to_dict(instancia), **datos} if editando else dict(datos)
    form = form_class(data=valores, instance=instancia)
    if editando:
        for nombre in set(form.fields) - set(datos):
            del form.fields[nombre]
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                GENERAL if campo == "__all__" else nombres.get(campo, campo): list(errores)
                for campo, errores in form.errors.items()
            }
        )
    objeto = form.save(commit=False)
    objeto._history_user = usuario
    try:
        with transaction.atomic():
            if not editando:
                objeto.save()
            elif form.changed_data:
                auto = [
                    f.name for f in objeto._meta.concrete_fields if getattr(f, "auto_now", False)
                ]
                objeto.save(update_fields=[*form.changed_data, *auto])
    except IntegrityError:
        # Another request took the same unique value after the form checked it.
        objeto.validate_constraints()
        raise
    return objeto


class EntradaDeFormulario(Entrada):
    """An input saved by the page's form (`formulario`), as guardar_con_formulario does; a new
    row is the form's model, or what `nueva(datos)` builds from the input."""

    formulario = None

    def nueva(self, datos: dict):
        return self.formulario._meta.model()

    def create(self, datos):
        return self.update(self.nueva(datos), datos)

    def update(self, instancia, datos):
        usuario = datos.pop("usuario", None)
        nombres = nombres_de_entrada(type(self))
        return guardar_con_formulario(
            self.formulario, datos=datos, instancia=instancia, usuario=usuario, nombres=nombres
        )
