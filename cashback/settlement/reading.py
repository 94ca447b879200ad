"""Reading a payment file: the header, then each row checked and typed, or the reason it is
malformed, with its line number."""

import csv
import functools
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from django.utils.translation import gettext as _

from cashback.constants import MAX_AMOUNT
from registry.choices import CertificateType
from registry.clock import as_aware, storable
from registry.rules import brn_checksum_ok

COLUMNS = ("ref", "customer", "business_number", "amount", "method", "paid_at")
METHODS = frozenset(CertificateType.values)  # `.values` builds a new list on every call


def _parse_row(values: list[str]) -> tuple | str:
    """One CSV row as a typed tuple, or the reason it is malformed."""
    if len(values) != len(COLUMNS):
        return _("expected %(n)s columns, found %(m)s") % {"n": len(COLUMNS), "m": len(values)}
    ref, customer, number, amount, method, paid_at = values
    ref = ref.strip()
    if not ref or len(ref) > 64:
        return _("ref must be 1 to 64 characters")
    customer = customer.strip()
    if not customer or len(customer) > 64:
        return _("customer must be 1 to 64 characters")
    if "\x00" in ref or "\x00" in customer:
        return _("ref and customer cannot contain NUL characters")
    digits = _business_number(number)
    if digits is None:
        return _("%(value)s is not a valid business registration number.") % {"value": number}
    amount = amount.strip()
    if not amount.isdigit() or (won := int(amount)) <= 0:
        return _("amount must be a whole number of won greater than 0")
    if won > MAX_AMOUNT:
        return _("amount is too large")
    method = method.strip()
    if method not in METHODS:
        return _("method must be paper, card or mobile")
    try:
        moment = datetime.fromisoformat(paid_at.strip().replace("Z", "+00:00"))
    except ValueError:
        return _("paid_at is not a date and time")
    moment = as_aware(moment)
    if moment.year in (1, 9999) and not storable(moment):
        return _("paid_at is not a date and time")
    return ref, customer, digits, won, method, moment


@functools.lru_cache(maxsize=65_536)
def _business_number(value: str) -> str | None:
    """The ten digits of a number as written in the file, or None if it fails the checksum.

    A file names the same few thousand stores a million times over.
    """
    digits = value.strip().replace("-", "").replace(" ", "")
    return digits if brn_checksum_ok(digits) else None


def read_rows(stream: TextIO) -> Iterator[tuple[int, tuple | str]]:
    """(line number, parsed row or reason) for every data row; the header is line 1."""
    reader = csv.reader(stream)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    if header != list(COLUMNS):
        yield 1, _("the header must be %(columns)s") % {"columns": ",".join(COLUMNS)}
        return
    for values in reader:
        if values:
            yield reader.line_num, _parse_row(values)
