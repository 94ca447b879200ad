"""A file's rows keyed by column, and the readers that turn cells into values.

Each reader records what is wrong with a cell on its line and carries on, so that one pass over the
file names every bad line.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from registry.services.stores import phone_normalize

from .files import table_read
from .results import ImportRefused, RowError

LIST_SEPARATOR = "|"
_DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_AREA_UNIT = re.compile(r"\s*(㎡|m²|m2|제곱미터)$", re.IGNORECASE)


@dataclass
class Line:
    """One data row of the file: its cells by column name, and the problems found in it."""

    number: int
    cells: dict[str, str]
    errors: list[RowError]
    ok: bool = True

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, code, message))
        self.ok = False

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.fail("required", _("%(column)s is empty.") % {"column": column})
        return value


def file_lines(
    source, columns: tuple[str, ...], errors: list[RowError], optional: tuple[str, ...] = ()
) -> list[Line]:
    """The file's rows keyed by column; refuses the file at once when the header is wrong.

    An `optional` column may be left out of the file; a line then has no cell for it at all,
    so that the importer can tell "no such column" from an empty cell."""
    header, rows = table_read(source)
    positions = _header_check(header, columns, optional)
    if not rows:
        raise ImportRefused(
            [RowError(1, "empty_file", _("The file has no rows under its header."))]
        )
    lines = []
    for number, cells in rows:
        line = Line(
            number, {c: cells[i] if i < len(cells) else "" for c, i in positions.items()}, errors
        )
        named = set(positions.values())
        if any(v for i, v in enumerate(cells) if i not in named):
            line.fail("extra_values", _("This row has values outside the named columns."))
        lines.append(line)
    return lines


def _header_check(
    header: list[str], columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, int]:
    problems = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            problems.append(_("Column %(column)s appears twice.") % {"column": name})
        seen.setdefault(name, index)
    missing = [c for c in columns if c not in seen]
    unknown = [c for c in seen if c not in columns and c not in optional]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if problems:
        problems.append(_("The columns are: %(columns)s.") % {"columns": ", ".join(columns)})
        if optional:
            problems.append(_("Optional columns: %(columns)s.") % {"columns": ", ".join(optional)})
        raise ImportRefused([RowError(1, "columns", " ".join(problems))])
    return {c: seen[c] for c in (*columns, *optional) if c in seen}


def date_value(line: Line, column: str) -> date | None:
    text = line.required(column)
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError(text)
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        line.fail(
            "invalid_date",
            _("%(column)s: %(value)s is not a date such as 2025-06-01.")
            % {"column": column, "value": text},
        )
        return None


def whole_number(line: Line, column: str) -> int:
    text = _AREA_UNIT.sub("", line.text(column)).replace(",", "").strip()
    if not text:
        return 0
    try:
        number = Decimal(text)
        if not number.is_finite() or number < 0:
            raise InvalidOperation(text)
    except InvalidOperation:
        line.fail(
            "invalid_number",
            _("%(column)s: %(value)s is not a number.")
            % {"column": column, "value": line.text(column)},
        )
        return 0
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def phone_value(line: Line, column: str) -> str:
    text = line.text(column)
    digits = re.sub(r"\D", "", text)
    # A phone typed into a number cell of a spreadsheet loses its leading zero.
    if digits and not digits.startswith(("0", "82")) and 8 <= len(digits) <= 10:
        text = "0" + digits
    try:
        return phone_normalize(text)
    except ValidationError as exc:
        line.fail("invalid_phone", about(column, exc.messages[0]))
        return ""


def about(column: str, message: str) -> str:
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


def list_value(line: Line, column: str) -> list[str]:
    return list(
        dict.fromkeys(p.strip() for p in line.text(column).split(LIST_SEPARATOR) if p.strip())
    )


def field_errors(line: Line, model: type[models.Model], values: dict, columns: dict) -> None:
    """Report what the model's own field checks say (lengths, formats), named by column."""
    given = {f: v for f, v in values.items() if v not in ("", None)}
    instance = model(**given)
    try:
        instance.clean_fields(exclude=[f.name for f in model._meta.fields if f.name not in given])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                line.fail("invalid_value", about(columns.get(name, name), message))


def first_seen(line: Line, key: str, seen: dict[str, int], code: str, label: str) -> bool:
    """Whether `key` is new in the file; a repeat is reported on the later line."""
    if key in seen:
        line.fail(
            code,
            _("%(label)s %(key)s appears twice in the file (first on line %(first)s).")
            % {"label": label, "key": key, "first": seen[key]},
        )
        return False
    seen[key] = line.number
    return True
