"""What a create or edit of the API receives: typed by a serializer, checked by the rules of
the pages (their forms or the services), written with the user's change history."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from rest_framework import exceptions, serializers

from .errores import GENERAL


def sin_surrogates(texto: str) -> str:
    return texto.encode("utf-8", "backslashreplace").decode("utf-8")


class Entrada(serializers.Serializer):
    """An input that refuses fields it does not know (a typo must not pass for a change).

    `pistas` names the right field for a known wrong one ({"cid_enlace": "cid"});
    `rechazos` explains why a known field is not taken here.
    """

    pistas: dict[str, str] = {}
    rechazos: dict[str, str] = {}

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
        if campo in self.pistas:
            return f"Campo desconocido: use «{self.pistas[campo]}»."
        return "Campo desconocido."


def validar_entrada(serializer_class, datos, **kwargs) -> dict:
    """The typed fields sent (only those: PUT changes only what it sends), or a 400."""
    serializer = serializer_class(data=datos, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


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
