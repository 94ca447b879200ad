"""One way a service's refusal reaches a form, for the admin and the public and staff pages."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def service_errors_to_form(
    form: forms.BaseForm, error: ValidationError, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on `form`: under the field it names (through `rename` where the
    form calls the field differently), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = (rename or {}).get(field, field)
        form.add_error(target if target in form.fields else None, errors)
