"""Reading import files: CSV in the encodings Korean offices use, XLSX, and broken files."""

import pytest

from registry.importers import ImportRefused, import_stores, table_read
from registry.models import Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory
from tests.registry.fixtures import (
    BRN_A,
    BRN_B,
    STORE_HEADER,
    csv_bytes,
    store_row,
    xlsx_bytes,
)

ROWS = [store_row(BRN_A), store_row(BRN_B, trade_name="풍암분식")]


@pytest.fixture
def ready(office):
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    return office


def refused_lines(office, data):
    with pytest.raises(ImportRefused) as exc:
        import_stores(office=office, source=data)
    assert Store.objects.count() == 0
    return [(e.line, e.code) for e in exc.value.row_errors]


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(STORE_HEADER, ROWS),
        csv_bytes(STORE_HEADER, ROWS, bom=True),
        csv_bytes(STORE_HEADER, ROWS, encoding="cp949"),
        csv_bytes(STORE_HEADER, ROWS, encoding="euc-kr"),
        csv_bytes(STORE_HEADER, ROWS, encoding="utf-16"),
        csv_bytes(STORE_HEADER, ROWS, delimiter="\t"),
        xlsx_bytes(STORE_HEADER, ROWS),
    ],
    ids=["utf8", "utf8-bom", "cp949", "euc-kr", "utf16", "tab", "xlsx"],
)
def test_every_accepted_format_reads_the_same_korean_text(ready, data):
    import_stores(office=ready, source=data)

    assert sorted(Store.objects.values_list("trade_name", flat=True)) == ["골목식당", "풍암분식"]


def test_a_file_in_no_known_encoding_is_refused_naming_the_first_bad_line(ready):
    data = csv_bytes(STORE_HEADER, ROWS) + b"\x80\xff\xfe broken\r\n"

    assert refused_lines(ready, data) == [(4, "bad_encoding")]


def test_a_path_on_disk_is_read(ready, tmp_path):
    path = tmp_path / "stores.xlsx"
    path.write_bytes(xlsx_bytes(STORE_HEADER, ROWS))

    assert import_stores(office=ready, source=path).created == 2


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\r\n", xlsx_bytes([], [])], ids=["zero", "blank", "xlsx"]
)
def test_an_empty_file_is_refused(ready, data):
    assert refused_lines(ready, data) == [(1, "empty_file")]


def test_a_header_without_rows_is_refused(ready):
    assert refused_lines(ready, csv_bytes(STORE_HEADER, [])) == [(1, "empty_file")]


def test_a_missing_column_is_refused_on_line_one(ready):
    header = [c for c in STORE_HEADER if c != "dong"]
    rows = [[c for i, c in enumerate(r) if STORE_HEADER[i] != "dong"] for r in ROWS]

    assert refused_lines(ready, csv_bytes(header, rows)) == [(1, "columns")]


def test_an_unknown_column_is_refused_and_named(ready):
    from django.utils import translation

    header = [*STORE_HEADER, "email"]
    with translation.override("en"), pytest.raises(ImportRefused) as exc:
        import_stores(office=ready, source=csv_bytes(header, [[*r, "a@b.kr"] for r in ROWS]))
    assert "email" in exc.value.row_errors[0].message
    assert exc.value.messages == [f"line 1: {exc.value.row_errors[0].message}"]


def test_columns_may_come_in_any_order_and_any_case(ready):
    order = list(reversed(range(len(STORE_HEADER))))
    header = [STORE_HEADER[i].upper() for i in order]
    rows = [[r[i] for i in order] for r in ROWS]

    assert import_stores(office=ready, source=csv_bytes(header, rows)).created == 2


def test_blank_lines_are_skipped_but_still_counted(ready):
    data = csv_bytes(STORE_HEADER, [ROWS[0], ["", "", ""], [], store_row("220-81-62518")])

    assert refused_lines(ready, data) == [(5, "invalid_business_number")]


def test_a_quoted_cell_spanning_lines_keeps_the_line_numbers_right(ready):
    rows = [store_row(BRN_A, address="광주 서구\n상무대로 1"), store_row("220-81-62518")]

    assert refused_lines(ready, csv_bytes(STORE_HEADER, rows)) == [(4, "invalid_business_number")]


def test_values_beyond_the_named_columns_are_refused(ready):
    assert refused_lines(ready, csv_bytes(STORE_HEADER, [[*ROWS[0], "extra"]])) == [
        (2, "extra_values")
    ]


def test_an_old_xls_or_damaged_workbook_is_refused(ready):
    assert refused_lines(ready, b"\xd0\xcf\x11\xe0" + b"\0" * 100) == [(1, "unreadable")]
    assert refused_lines(ready, b"PK\x03\x04 not really a zip") == [(1, "unreadable")]


def test_table_read_numbers_rows_from_the_header_as_line_one():
    header, rows = table_read(xlsx_bytes(["a", "b"], [["1", "2"], [None, None], ["3", None]]))

    assert header == ["a", "b"]
    assert rows == [(2, ["1", "2"]), (4, ["3"])]
