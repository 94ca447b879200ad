"""One place where domain failures become API answers.

Services raise Django's `ValidationError` with field keys and codes; here it becomes a 400 whose
body is keyed by field, so the admin, the commands and the API all speak the same messages.
Errors about the record as a whole (Django's `__all__`, e.g. a uniqueness constraint) are
listed under `non_field_errors` as DRF does, and their code is given as `code`. A
`core.services.Conflict` becomes a 409 with its message as `detail`.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.services import Conflict


def validation_error_body(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            _key(field): [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def _key(field: str) -> str:
    return api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field


def _non_field_codes(exc: DjangoValidationError) -> list[str]:
    errors = (
        exc.error_dict.get(NON_FIELD_ERRORS, []) if hasattr(exc, "error_dict") else exc.error_list
    )
    return sorted({e.code for e in errors if getattr(e, "code", None)})


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        body = validation_error_body(exc)
        codes = _non_field_codes(exc)
        if codes and "code" not in body:
            body["code"] = codes[0]
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError):
        return Response(
            {api_settings.NON_FIELD_ERRORS_KEY: [str(exc.detail)]}, status=exc.status_code
        )
    return drf_exception_handler(exc, context)
