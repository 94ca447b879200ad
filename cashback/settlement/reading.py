"""Reading a payment file: the header, then each row checked and typed with
`cashback.parsing`, the live API's own field parsers, or the reason it is malformed, with its
line number."""

import csv
import functools
from collections.abc import Callable, Iterator
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cashback import parsing

COLUMNS = ("ref", "customer", "business_number", "amount", "method", "paid_at")

# A file names the same few thousand stores a million times over.
_business_number = functools.lru_cache(maxsize=65_536)(parsing.business_number)


def _method(value: str) -> str:
    return parsing.method(value.strip())


# Each cell's parser, in the order of COLUMNS; every cell is read without the spaces around it.
PARSERS: tuple[Callable[[str], object], ...] = (
    parsing.ref,
    parsing.customer,
    _business_number,
    parsing.amount_text,
    _method,
    parsing.paid_at_text,
)

# A line has no field to key its message by, so the file's messages name the column; those
# not listed (the business number's) are the parser's own.
MESSAGES = {
    ("ref", "invalid"): gettext_lazy("ref must be 1 to 64 characters"),
    ("ref", "null_characters"): gettext_lazy("ref and customer cannot contain NUL characters"),
    ("customer", "invalid"): gettext_lazy("customer must be 1 to 64 characters"),
    ("customer", "null_characters"): gettext_lazy("ref and customer cannot contain NUL characters"),
    ("amount", "invalid"): gettext_lazy("amount must be a whole number of won greater than 0"),
    ("amount", "too_large"): gettext_lazy("amount is too large"),
    ("method", "invalid_choice"): gettext_lazy("method must be paper, card or mobile"),
    ("paid_at", "invalid"): gettext_lazy("paid_at is not a date and time"),
}


def read_rows(stream: TextIO) -> Iterator[tuple[int, tuple | str]]:
    """(line number, parsed row or reason) for every data row; the header is line 1."""
    reader = csv.reader(stream)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    if header != list(COLUMNS):
        yield 1, _("the header must be %(columns)s") % {"columns": ",".join(COLUMNS)}
        return
    for values in reader:
        if values:
            yield reader.line_num, parse_row(values)


def parse_row(values: list[str]) -> tuple | str:
    """One row as (ref, customer, business_number, amount, method, paid_at), typed, or the
    reason it is malformed: the first bad cell's, naming its column."""
    if len(values) != len(COLUMNS):
        return _("expected %(n)s columns, found %(m)s") % {"n": len(COLUMNS), "m": len(values)}
    ref, customer, number, amount, method, paid_at = values
    try:
        return (
            parsing.ref(ref),
            parsing.customer(customer),
            _business_number(number),
            parsing.amount_text(amount),
            parsing.method(method.strip()),
            parsing.paid_at_text(paid_at),
        )
    except ValidationError:
        return _problem(values)


def _problem(values: list[str]) -> str:
    """The first bad cell's message; a malformed row stops the run, so it is parsed again
    here, cell by cell, rather than tracked on every good row."""
    for column, parse, value in zip(COLUMNS, PARSERS, values, strict=True):
        try:
            parse(value)
        except ValidationError as error:
            message = MESSAGES.get((column, error.code))
            return str(message) if message is not None else error.messages[0]
    raise AssertionError("the row parsed the second time")
