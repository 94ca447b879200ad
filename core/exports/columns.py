"""What a list export holds: its columns, declared per list, and the cells they give.

A column is a header and a function of one row; `field_column` builds one from a model field,
with the field's verbose name as the header and the label of a choice instead of its stored value.
Columns of fields holding personal data carry the mask of core.personal, applied when the
reader's role may not see the data unmasked. Cells come out as plain values: text, whole numbers
(money is whole won), dates, and times in Asia/Seoul, with text that a spreadsheet program would
run as a formula neutralised.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext

from core.clock import SEOUL
from core.personal import field_mask

Cell = str | int | date | datetime | None

# A cell starting with one of these is taken for a formula (or DDE call) by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet program shows as it is and never runs: a leading ' where needed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, how a row gives its value, and the mask of
    personal data (None for columns holding none)."""

    header: str | Promise
    value: Callable[[Any], Any]
    mask: Callable[[str], str] | None = None


@dataclass(frozen=True)
class ExportSpec:
    """The columns a list is exported with.

    `prepare` adds the joins the columns need to the list's own queryset (without changing its
    rows or their order); `personal` tells which rows hold personal data, each of which the
    export writes to the access log (None: the rows hold none).
    """

    columns: tuple[Column, ...]
    prepare: Callable[[QuerySet], QuerySet] | None = None
    personal: Callable[[Any], bool] | None = None

    def prepared(self, queryset: QuerySet) -> QuerySet:
        return self.prepare(queryset) if self.prepare else queryset


def every_row(obj: Any) -> bool:
    """For `ExportSpec.personal`: every row of the list holds personal data."""
    return True


def attribute(path: str) -> Callable[[Any], Any]:
    """A value function following attributes: "store.trade_name"; None once a step is None."""
    steps = path.split(".")

    def value(obj: Any) -> Any:
        for step in steps:
            if obj is None:
                return None
            obj = getattr(obj, step)
        return obj

    return value


def field_column(
    model: type[Model],
    path: str,
    *,
    header: str | Promise | None = None,
    show: Callable[[Any], Any] | None = None,
    mask: Callable[[str], str] | None = None,
) -> Column:
    """A column of a model field, or of a field across relations ("store__trade_name").

    The header is the field's verbose name unless given; a field with choices shows the label of
    its value; `show` turns a non-empty value into what the list shows (a business number with
    its hyphens, say).
    """
    names = path.split("__")
    field = model._meta.get_field(names[0])
    for name in names[1:]:
        field = field.related_model._meta.get_field(name)
    read = attribute(".".join(names))
    labels = dict(field.flatchoices) if field.choices else None

    def value(obj: Any) -> Any:
        found = read(obj)
        if found is None or found == "":
            return found
        if labels is not None:
            found = labels.get(found, found)
        return show(found) if show else found

    # A field holding personal data carries the mask core.personal gives it.
    if mask is None and len(names) == 1:
        mask = field_mask(model, names[0])
    return Column(header=header or capfirst(field.verbose_name), value=value, mask=mask)


def export_header(spec: ExportSpec) -> list[str]:
    return [str(column.header) for column in spec.columns]


def export_row(spec: ExportSpec, obj: Any, *, masked: bool) -> list[Cell]:
    """One row's cells, personal data masked when `masked`."""
    cells = []
    for column in spec.columns:
        value = column.value(obj)
        if masked and column.mask and value not in (None, ""):
            value = column.mask(str(value))
        cells.append(cell_value(value))
    return cells


def cell_value(value: Any) -> Cell:
    """A plain cell: None, neutralised text, a whole number, a date, or a Seoul wall-clock time.

    Yes/no values read as words, lists are joined with commas, records and labels as text.
    """
    if value is None:
        return None
    if isinstance(value, str | Promise):
        return neutralise(str(value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(SEOUL).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return neutralise(", ".join(str(item) for item in value))
    return neutralise(str(value))
