"""One place where domain failures become API answers.

Services raise Django's `ValidationError` with field keys and codes; here it becomes a 400 whose
body is keyed by field, so the admin, the commands and the API all speak the same messages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_body(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        body = validation_error_body(exc)
        codes = (
            sorted({e.code for e in exc.error_list if getattr(e, "code", None)})
            if not hasattr(exc, "error_dict")
            else []
        )
        if codes:
            body["code"] = codes[0]
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError):
        return Response({"non_field_errors": [str(exc.detail)]}, status=exc.status_code)
    return drf_exception_handler(exc, context)
