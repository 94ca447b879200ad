"""Reading a CSV or XLSX file into its header and rows, whatever office software wrote it.

CSV comes as UTF-8 (with or without a byte-order mark), UTF-16, or the CP949/EUC-KR that Korean
office software still writes, separated by commas or tabs; the kind of file is told by its content,
not its name. A file that cannot be read is refused on the line where reading failed.
"""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from .results import ImportRefused, RowError

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def table_read(source) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows of a CSV or XLSX file, with their line numbers.

    `source` is a path, bytes or a binary file. The kind is told by content, not by name.
    """
    with _binary(source) as stream:
        magic = stream.read(4)
        stream.seek(0)
        if magic == _XLSX_MAGIC:
            rows = _xlsx_rows(stream)
        elif magic == _XLS_MAGIC:
            raise ImportRefused(
                [
                    RowError(
                        1,
                        "unreadable",
                        _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV."),
                    )
                ]
            )
        else:
            rows = _csv_rows(stream.read())
    if not any(any(cells) for _number, cells in rows):
        raise ImportRefused([RowError(1, "empty_file", _("The file is empty."))])
    if not any(rows[0][1]):
        raise ImportRefused(
            [RowError(1, "columns", _("The first line must hold the column names."))]
        )
    (_first, header), data = rows[0], rows[1:]
    return [h.lstrip("\ufeff").strip().lower() for h in header], [
        (number, cells) for number, cells in data if any(cells)
    ]


@contextmanager
def _binary(source) -> Iterator[BinaryIO]:
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            yield stream
    elif isinstance(source, bytes | bytearray):
        yield io.BytesIO(source)
    elif hasattr(source, "seekable") and source.seekable():
        source.seek(0)
        yield source
    else:
        yield io.BytesIO(source.read())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(stream: BinaryIO) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some programs write a wrong sheet size; reading to the last row is the safe way.
            sheet.reset_dimensions()
            return [
                (number, [_cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
            ]
        finally:
            workbook.close()
    # A damaged workbook fails in many ways (zip, XML, missing parts); each means the same here.
    except Exception as exc:
        raise ImportRefused(
            [RowError(1, "unreadable", _("The file could not be read as an Excel workbook."))]
        ) from exc


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [
                RowError(
                    first_bad_line,
                    "bad_encoding",
                    _(
                        "The file is neither UTF-8 nor CP949 (EUC-KR) text; save it as CSV "
                        "UTF-8 or as .xlsx."
                    ),
                )
            ]
        ) from exc


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, last = [], 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row is numbered by the line it starts on.
            rows.append((last + 1, [c.strip() for c in cells]))
            last = reader.line_num
    except csv.Error as exc:
        raise ImportRefused(
            [
                RowError(
                    last + 1,
                    "unreadable",
                    _("This line cannot be read as CSV: %(why)s") % {"why": exc},
                )
            ]
        ) from exc
    return rows
