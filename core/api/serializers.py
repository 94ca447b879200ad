"""The API kit's serializer pieces every app's API uses.

Input serializers only check types and shapes and hand plain values to one service, which owns
every business rule. They refuse fields they do not know instead of ignoring them, so a client
never believes it changed something that it did not. Contacts are masked when the serializer
context says `masked`; the viewsets decide that from the reader's permissions.
"""

from collections.abc import Mapping
from functools import cache

from django.db.models import Model, TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.actors import Actor
from core.personal import masked_values
from core.walls import office_model


class StrictInputMixin:
    """Refuse fields the endpoint does not take, naming each one."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields) - {"csrfmiddlewaretoken"})
            if unknown:
                raise serializers.ValidationError(
                    {name: [gettext("This field cannot be set here.")] for name in unknown},
                    code="not_accepted",
                )
        return super().to_internal_value(data)


class InputSerializer(StrictInputMixin, serializers.Serializer):
    pass


class DateTimeField(serializers.DateTimeField):
    """DRF's field, refusing a time at the edge of the calendar instead of failing with it.

    A time without an offset near year 1 or 9999 is made aware and then checked by turning it
    to UTC, which overflows; DRF answers that check only for times that had an offset.
    """

    default_error_messages = {"overflow": _("The date and time is out of range.")}

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(serializers.SlugRelatedField):
    """A user shown by username, read only, and null where nobody is named yet (a decision not
    taken, a case not assigned): the schema says both, instead of the user model's own text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class MaskedContactsMixin:
    """Mask the model's personal fields (core.personal) when the context says `masked`."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("masked", True):
            data.update(masked_values(self.Meta.model, {k: v for k, v in data.items() if v}))
        return data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_contacts_masked(self, instance) -> bool:
        return self.context.get("masked", True)


def office_resolve(user: Actor, code: str | None) -> Model:
    """The office a new record goes into: the given code, or else the user's own office.

    Staff may only file records into their own office; superusers into any.
    """
    code = (code or "").strip()
    if not code:
        if user.office_id:
            return user.office
        raise serializers.ValidationError(
            {"office": [gettext("Choose the office by its five-digit administrative code.")]}
        )
    office = office_model().objects.filter(code=code).first()
    if office is None:
        raise serializers.ValidationError(
            {"office": [gettext("No office has the code %(code)s.") % {"code": code}]}
        )
    if not user.is_superuser and office.pk != user.office_id:
        raise serializers.ValidationError(
            {"office": [gettext("You can only file records for your own office.")]}
        )
    return office


@cache
def enum_field(choices: type[TextChoices], component: str) -> type[serializers.ChoiceField]:
    """A ChoiceField for `choices`, shown in the schema as one named enum component.

    Every field holding the same choice set then points at the same component, whatever the
    field is called (`ground` in a request, `revocation_ground` in a response), and in whichever
    app it is asked for. An empty value of an optional choice is shown as null.
    """

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

        def to_representation(self, value):
            if value == "" and self.allow_null:
                return None
            return super().to_representation(value)

    EnumField.__name__ = EnumField.__qualname__ = f"{component}Field"
    return EnumField
