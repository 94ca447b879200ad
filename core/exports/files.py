"""The files an export is written to: CSV that Excel opens in Korean, and XLSX.

Both take the cells of core.exports.columns (text already neutralised against formulas). CSV is
UTF-8 with a byte-order mark, which is what tells Excel the file is not in the legacy Korean
code page; dates and times are written as text Excel recognises. XLSX is written row by row
(openpyxl's write-only mode), so a long list never sits in memory whole: whole numbers are number
cells with thousands separators, dates and times date cells, the header row bold and frozen, and
each column as wide as its header and first rows need.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import chain, islice
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.choices import ExportFormat
from core.exports.columns import Cell, neutralise

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NUMBER_FORMAT = "#,##0"
# Column widths (in characters, a Korean character counting two) are measured on the header and
# this many first rows, then kept within these bounds.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
# Characters Excel refuses in a sheet's name.
_SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


# --- CSV -------------------------------------------------------------------------------------


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, to produce CSV line by line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The byte-order mark, then one CSV line per row (header first), text neutralised."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(
            [neutralise(cell) if isinstance(cell, str) else csv_text(cell) for cell in row]
        )


def write_csv(stream: BinaryIO, header: list[str], rows: Iterable[list[Cell]], *, title: str):
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        text.writelines(csv_lines(chain([header], rows)))
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open


# --- XLSX ------------------------------------------------------------------------------------


def display_width(value: Cell) -> int:
    """How many narrow characters a cell takes on screen: Korean and other wide ones count two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, int):
        return len(f"{value:,}")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def column_widths(header: list[str], sample: list[list[Cell]]) -> list[int]:
    widths = []
    for index, title in enumerate(header):
        widest = max([display_width(title), *(display_width(row[index]) for row in sample)])
        widths.append(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return (title.translate(_SHEET_NAME_REFUSED).strip() or "Sheet")[:31]


def _xlsx_cell(sheet, value: Cell):
    if isinstance(value, str):
        # Characters XML cannot carry (control codes pasted into a text) would spoil the file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, int | date):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        else:
            cell.number_format = NUMBER_FORMAT
        return cell
    return value


def write_xlsx(stream: BinaryIO, header: list[str], rows: Iterable[list[Cell]], *, title: str):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, width in enumerate(column_widths(header, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title_text in header:
        cell = WriteOnlyCell(sheet, value=neutralise(title_text))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    book.save(stream)


WRITERS = {ExportFormat.CSV: write_csv, ExportFormat.XLSX: write_xlsx}
