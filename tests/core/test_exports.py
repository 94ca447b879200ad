"""The export kit's plain functions: formulas neutralised, cells, labels, masks, and the files."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cashback.models import Payment
from core.clock import SEOUL
from core.exports import (
    FORMULA_STARTS,
    Column,
    ExportSpec,
    cell_value,
    csv_lines,
    export_file_name,
    export_header,
    export_row,
    field_column,
    neutralise,
    write_csv,
    write_xlsx,
)
from core.exports.files import column_widths, display_width, sheet_title
from core.numbers import account_mask, brn_format, email_mask, name_mask, phone_format, phone_mask
from registry.choices import AffiliateStatus, StoreStatus
from registry.models import AffiliateRegistration, Store

# --- formulas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+82 10 1234 5678", "'+82 10 1234 5678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("치평 국밥", "치평 국밥"),
        ("010-1234-5678", "010-1234-5678"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_is_prefixed(text, safe):
    assert neutralise(text) == safe


@given(st.text())
def test_no_neutralised_text_starts_a_formula_and_none_loses_a_character(text):
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)
    assert neutralise(safe) == safe


# --- cells ---------------------------------------------------------------------------------------


def test_cells_are_plain_values_in_seoul_time_with_words_for_yes_and_no():
    assert cell_value(None) is None
    assert cell_value(True) == "예"
    assert cell_value(False) == "아니요"
    assert cell_value(57_300) == 57_300
    assert cell_value(Decimal("1200")) == 1200
    assert cell_value(date(2026, 1, 9)) == date(2026, 1, 9)
    # 15:30 UTC is half past midnight the next day in Seoul.
    assert cell_value(datetime(2026, 1, 9, 15, 30, 12, 5, tzinfo=UTC)) == datetime(
        2026, 1, 10, 0, 30, 12
    )
    assert cell_value(["카드", "모바일"]) == "카드, 모바일"
    assert cell_value(gettext_lazy("Closed")) == "폐업"
    assert cell_value("=1+1") == "'=1+1"
    assert cell_value(["=1", "2"]) == "'=1, 2"


def test_a_field_column_reads_the_verbose_name_and_the_label_of_a_choice():
    store = Store(trade_name="치평 국밥", status=StoreStatus.CLOSED, business_number="2208162517")
    registration = AffiliateRegistration(store=store, status=AffiliateStatus.REVOKED)

    status = field_column(Store, "status")
    number = field_column(Store, "business_number", show=brn_format)
    through = field_column(AffiliateRegistration, "store__trade_name")
    named = field_column(Store, "trade_name", header=gettext_lazy("store"))

    assert (str(status.header), status.value(store)) == ("상태", "폐업")
    assert (str(number.header), number.value(store)) == ("사업자등록번호", "220-81-62517")
    assert (str(through.header), through.value(registration)) == ("상호", "치평 국밥")
    assert str(named.header) == "점포"
    assert field_column(AffiliateRegistration, "status").value(registration) == "가맹 취소"
    # A relation left empty gives an empty cell, not an error.
    assert field_column(Payment, "store__trade_name").value(Payment()) is None


def test_a_row_masks_personal_data_only_for_readers_who_may_not_see_it():
    spec = ExportSpec(
        columns=(
            field_column(Store, "representative", mask=name_mask),
            field_column(Store, "phone", show=phone_format, mask=phone_mask),
            Column("계좌", lambda store: "123-456-789012", mask=account_mask),
            field_column(Store, "road_address"),
        )
    )
    store = Store(representative="홍길동", phone="01012345678", road_address="")

    assert export_header(spec) == ["대표자", "전화번호", "계좌", "도로명주소"]
    assert export_row(spec, store, masked=False) == [
        "홍길동",
        "010-1234-5678",
        "123-456-789012",
        "",
    ]
    assert export_row(spec, store, masked=True) == ["홍*동", "010-****-5678", "********9012", ""]
    assert export_row(spec, Store(representative="", phone=""), masked=True)[:2] == ["", ""]


def test_emails_are_masked_like_the_application_queue_masks_them():
    assert email_mask("owner@example.com") == "o****@example.com"
    assert email_mask("a@example.com") == "a*@example.com"
    assert email_mask("") == ""


# --- files ---------------------------------------------------------------------------------------

HEADER = ["상호", "금액(원)", "결제 일시", "개업일", "메모"]
ROWS = [
    ["치평 국밥", 57_300, datetime(2026, 1, 10, 12, 5), date(2019, 3, 2), "'=1+1"],
    ["=SUM(A1)", None, None, None, "줄\x01바꿈"],
]


def test_csv_starts_with_the_byte_order_mark_and_writes_dates_as_text():
    lines = list(csv_lines([HEADER, *ROWS]))

    assert lines[0] == "\ufeff"
    assert lines[1] == "상호,금액(원),결제 일시,개업일,메모\r\n"
    assert lines[2] == "치평 국밥,57300,2026-01-10 12:05,2019-03-02,'=1+1\r\n"
    assert lines[3].startswith("'=SUM(A1),,,,")


def test_a_csv_file_is_utf8_with_bom_and_leaves_the_stream_open():
    stream = io.BytesIO()

    write_csv(stream, HEADER, ROWS, title="점포")

    assert not stream.closed
    assert stream.getvalue().startswith("\ufeff상호".encode())


def test_an_xlsx_file_has_a_bold_frozen_header_and_typed_cells():
    stream = io.BytesIO()

    write_xlsx(stream, HEADER, ROWS, title="점포 목록")

    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    assert sheet.title == "점포 목록"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    _name, money, paid, opened, note = sheet[2]
    assert (money.value, money.number_format) == (57_300, "#,##0")
    assert (paid.value, paid.number_format) == (datetime(2026, 1, 10, 12, 5), "yyyy-mm-dd hh:mm")
    assert (opened.value, opened.number_format) == (datetime(2019, 3, 2), "yyyy-mm-dd")
    assert (note.value, note.data_type) == ("'=1+1", "s")
    formula, _money, _paid, _opened, control = sheet[3]
    assert (formula.value, formula.data_type) == ("'=SUM(A1)", "s")
    assert control.value == "줄바꿈"  # a control character XML cannot carry is dropped
    assert sheet.column_dimensions["A"].width == display_width("치평 국밥") + 2


def test_column_widths_count_korean_characters_twice_and_stay_within_bounds():
    assert display_width("치평") == 4
    assert display_width("ab") == 2
    assert display_width(1_234_567) == len("1,234,567")
    assert column_widths(["a", "긴 제목"], [["x" * 200, 1]]) == [60, 9]
    assert column_widths(["a"], []) == [6]


def test_sheet_titles_and_file_names_avoid_refused_characters():
    assert sheet_title("a/b:c*d?e[f]") == "a b c d e f"
    assert len(sheet_title("가" * 40)) == 31
    at = datetime(2026, 1, 9, 15, 30, tzinfo=UTC)
    assert export_file_name("점포", "xlsx", at) == "점포-20260110-0030.xlsx"
    assert export_file_name('민원/"목록"', "csv", at.astimezone(SEOUL)) == (
        "민원__목록_-20260110-0030.csv"
    )


def test_negative_numbers_stay_numbers_while_text_starting_with_a_minus_is_neutralised():
    rows = [["환불", -57_300, None, None, "-57300"]]
    stream = io.BytesIO()

    write_xlsx(stream, HEADER, rows, title="환불")
    lines = list(csv_lines([HEADER, *rows]))

    _name, money, _paid, _opened, note = load_workbook(io.BytesIO(stream.getvalue())).active[2]
    assert (money.value, money.data_type) == (-57_300, "n")
    assert (note.value, note.data_type) == ("'-57300", "s")
    assert lines[2] == "환불,-57300,,,'-57300\r\n"
    assert cell_value(-57_300) == -57_300
