"""The six fields of a payment as the operator reports it (SPEC 3.2, 3.4), one parser each.

The live API and the file settlement check a payment's fields with these same functions, so
they take the same payments. Each reads its values into Python types first — the API's
serializer from JSON, the settlement from the file's text with `amount_text` and
`paid_at_text` below — and each parser returns the field's value or raises ValidationError
with a stable code: the API shows the message beside the field, the file names its column.

Plain functions, no database; the file calls them a million times, so a value that passes
costs no more than the check itself.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cashback.constants import MAX_AMOUNT
from core.clock import as_aware, storable
from core.numbers import brn_normalize
from registry.choices import CertificateType

TEXT_LENGTH = 64  # a reference or a customer id, as `Payment` stores them
METHODS = frozenset(CertificateType.values)  # `.values` builds a new list on every call


def ref(value: object) -> str:
    """The payment's reference: 1 to 64 characters once the spaces around it are dropped."""
    text = value.strip() if isinstance(value, str) else ""
    if 0 < len(text) <= TEXT_LENGTH and "\x00" not in text:
        return text
    raise _text_error(text, _("Give a reference of 1 to 64 characters."))


def customer(value: object) -> str:
    """The payment app's opaque customer id, held to the same shape as a reference."""
    text = value.strip() if isinstance(value, str) else ""
    if 0 < len(text) <= TEXT_LENGTH and "\x00" not in text:
        return text
    raise _text_error(text, _("Give the customer's id of 1 to 64 characters."))


def _text_error(text: str, message: str) -> ValidationError:
    """Why a reference or customer id was refused: its length, or a NUL character, which
    PostgreSQL's text cannot hold."""
    if 0 < len(text) <= TEXT_LENGTH:
        return ValidationError(_("Null characters are not allowed."), code="null_characters")
    return ValidationError(message, code="invalid")


def business_number(value: object) -> str:
    """Ten digits that pass the checksum, given with or without hyphens and spaces (SPEC 2.1),
    as everywhere else in the product."""
    return brn_normalize(value)


def amount(value: object) -> int:
    """Whole won, more than 0, and no more than the database's bigint holds."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(
            _("The amount is a whole number of won greater than 0."), code="invalid"
        )
    if value > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="too_large")
    return value


def amount_text(value: str) -> int:
    """An amount written as text: digits only, without sign, separators or decimals."""
    value = value.strip()
    try:
        won = int(value) if value.isdigit() else None
    except ValueError:  # digits Python cannot count with, such as "²"
        won = None
    return amount(won)


def method(value: object) -> str:
    """The certificate type paid with: `paper`, `card` or `mobile`, exactly."""
    if not isinstance(value, str) or value not in METHODS:
        raise ValidationError(_("Choose paper, card or mobile."), code="invalid_choice")
    return value


def paid_at(value: object) -> datetime:
    """The time paid, aware; a time without an offset is Seoul's (SPEC conventions).

    A time within a day of the calendar's ends can fall outside it once turned to UTC, so it
    cannot be stored, and is refused.
    """
    if isinstance(value, datetime):
        moment = as_aware(value)
        if moment.year not in (1, 9999) or storable(moment):
            return moment
    raise ValidationError(_("Give the time of payment."), code="invalid")


def paid_at_text(value: str) -> datetime:
    """A time written in ISO 8601 (`2026-01-09T12:30:00`, with an offset or `Z`, or without)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    return paid_at(moment)
