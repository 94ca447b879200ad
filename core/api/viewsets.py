"""The office-scoped viewset every app's API stands on.

The office wall (`core.walls.for_user` on the queryset: another office's record is a 404), the
role permissions, contact masking and the access log of what is read, in one place. Every write
parses its input with one serializer and calls one service, which owns its transaction and logs
the personal data it changes (`core.audit.change_log`). Services refuse with Django's
`ValidationError` (a 400 keyed by field) or `core.services.Conflict` (a 409), both mapped once in
`core.api.exceptions`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.permissions import RolePermissions
from core.audit import personal_shown
from core.personal import may_see_personal
from core.walls import for_user

REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "Refused: messages keyed by the request's fields (`non_field_errors` for the record as "
        "a whole, with its `code`). Nothing was written."
    ),
)
NOT_FOUND = OpenApiResponse(description=_("No such record in the offices you may see."))
FORBIDDEN = OpenApiResponse(description=_("Your role does not allow this."))
CONFLICT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("The request conflicts with the record as it stands: `detail` says how."),
)


@contextmanager
def service_errors(rename: dict[str, str] | None = None) -> Iterator[None]:
    """Let a service's refusal name the request's field where it calls the field differently."""
    try:
        yield
    except DjangoValidationError as exc:
        if rename and hasattr(exc, "error_dict"):
            raise DjangoValidationError(
                {rename.get(field, field): errors for field, errors in exc.error_dict.items()}
            ) from exc
        raise


class OfficeScopedViewSet(viewsets.GenericViewSet):
    """The office wall, role permissions, contact masking and logged reads, in one place."""

    permission_classes = [RolePermissions]
    office_field = "office"
    lookup_value_regex = r"\d+"
    action_permissions: dict[str, list[str]] = {}

    def base_queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> models.QuerySet:
        return for_user(self.base_queryset(), self.request.user, self.office_field)

    def contacts_visible(self) -> bool:
        """Whether the reader may see personal data unmasked (core.personal)."""
        return may_see_personal(getattr(getattr(self, "request", None), "user", None))

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "masked": not self.contacts_visible()}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        personal_shown(
            user=request.user,
            objects=page or (),
            face="API list",
            masked=not self.contacts_visible(),
        )
        return self.get_paginated_response(data)

    def get_object(self):
        """The record, or a 404 naming in the user's language what was not found (DRF's own
        message names the model's class, in English)."""
        try:
            return super().get_object()
        except Http404 as missing:
            raise self.not_found() from missing

    def not_found(self) -> NotFound:
        return NotFound(
            _("No such %(record)s in the offices you may see.")
            % {"record": self.get_queryset().model._meta.verbose_name}
        )

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        personal_shown(
            user=request.user,
            objects=[instance],
            face="API",
            masked=not self.contacts_visible(),
            single=True,
        )
        return Response(self.get_serializer(instance).data)

    def parse(self, serializer_class, **context):
        """Validate the request body with `serializer_class`; a bad one is a 400 here."""
        serializer = serializer_class(
            data=self.request.data,
            partial=self.request.method == "PATCH",
            context={**self.get_serializer_context(), **context},
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def write(self, service: Callable, *, rename: dict[str, str] | None = None, **kwargs):
        """Call one service as the request's user; its refusals name the request's fields."""
        with service_errors(rename):
            return service(user=self.request.user, **kwargs)

    def answer(self, instance: models.Model, code: int = status.HTTP_200_OK) -> Response:
        """The record as it now stands, read again through the walled, annotated queryset."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=code)
