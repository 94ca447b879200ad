"""The payment's field parsers, which the API and the file settlement share: every bad input."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cashback import parsing
from cashback.constants import MAX_AMOUNT

SEOUL = ZoneInfo("Asia/Seoul")


def refused(parse, value) -> str:
    with pytest.raises(ValidationError) as exc:
        parse(value)
    return exc.value.code


@pytest.mark.parametrize("parse", [parsing.ref, parsing.customer])
def test_a_reference_or_customer_id_is_read_without_the_spaces_around_it(parse):
    assert parse("  T-1 ") == "T-1"
    assert parse("r" * 64) == "r" * 64
    assert parse(" 고객 7 ") == "고객 7"


@pytest.mark.parametrize("parse", [parsing.ref, parsing.customer])
@pytest.mark.parametrize("value", ["", "   ", "\t\n", "r" * 65, " " + "r" * 65, None, 5, ["r"]])
def test_a_reference_or_customer_id_must_be_1_to_64_characters_of_text(parse, value):
    assert refused(parse, value) == "invalid"


@pytest.mark.parametrize("parse", [parsing.ref, parsing.customer])
@pytest.mark.parametrize("value", ["a\x00b", "\x00", " r\x00 "])
def test_a_nul_character_is_refused_as_postgresql_cannot_store_it(parse, value):
    assert refused(parse, value) == "null_characters"


def test_the_messages_say_which_field_is_wrong():
    with pytest.raises(ValidationError) as ref:
        parsing.ref("")
    with pytest.raises(ValidationError) as customer:
        parsing.customer("")
    assert ref.value.messages != customer.value.messages


@pytest.mark.parametrize(
    "value", ["2208162517", "220-81-62517", " 220-81-62517 ", "220 81 62517", "220\t81-62517"]
)
def test_a_business_number_is_read_with_or_without_hyphens_and_spaces(value):
    assert parsing.business_number(value) == "2208162517"


@pytest.mark.parametrize(
    "value", ["", "220-81-62518", "220816251", "22081625170", "２２０８１６２５１７", "220.8162517"]
)
def test_a_business_number_must_pass_the_checksum(value):
    assert refused(parsing.business_number, value) == "invalid_business_number"


@pytest.mark.parametrize("value", [1, 20_000, MAX_AMOUNT])
def test_an_amount_is_whole_won_above_zero(value):
    assert parsing.amount(value) == value


@pytest.mark.parametrize("value", [0, -1, True, False, 1.0, 20_000.5, "20000", None])
def test_an_amount_that_is_not_a_positive_whole_number_is_refused(value):
    assert refused(parsing.amount, value) == "invalid"


def test_an_amount_beyond_a_bigint_is_too_large():
    assert refused(parsing.amount, MAX_AMOUNT + 1) == "too_large"


@pytest.mark.parametrize(
    ("text", "won"), [("20000", 20_000), (" 57300 ", 57_300), ("007", 7), ("２００００", 20_000)]
)
def test_an_amount_as_text_is_digits(text, won):
    assert parsing.amount_text(text) == won


@pytest.mark.parametrize(
    "text", ["", "0", "-5", "+5", "1.5", "20000.0", "2_0000", "20,000", "2만", "²", "lots"]
)
def test_an_amount_as_text_with_anything_but_digits_is_refused(text):
    assert refused(parsing.amount_text, text) == "invalid"


def test_an_amount_as_text_beyond_a_bigint_is_too_large():
    assert refused(parsing.amount_text, str(MAX_AMOUNT + 1)) == "too_large"


@pytest.mark.parametrize("value", ["paper", "card", "mobile"])
def test_the_three_certificate_types_are_methods(value):
    assert parsing.method(value) == value


@pytest.mark.parametrize("value", ["cash", "Card", " card", "", None, ["card"]])
def test_any_other_method_is_refused(value):
    assert refused(parsing.method, value) == "invalid_choice"


def test_a_time_without_an_offset_is_seoul_time():
    assert parsing.paid_at(datetime(2026, 1, 9, 12, 30)) == datetime(
        2026, 1, 9, 12, 30, tzinfo=SEOUL
    )
    utc = datetime(2026, 1, 9, 3, 30, tzinfo=UTC)
    assert parsing.paid_at(utc) is utc


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("America/Anchorage")),
        "2026-01-09T12:30:00",
        None,
    ],
)
def test_a_time_that_cannot_be_stored_or_is_not_a_time_is_refused(value):
    assert refused(parsing.paid_at, value) == "invalid"


def test_a_time_at_the_calendars_edge_that_can_be_stored_is_taken():
    assert parsing.paid_at(datetime(9999, 12, 31, 23, tzinfo=UTC)).year == 9999


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-01-09T12:30:00", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        (" 2026-01-09T12:30:00 ", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        ("2026-01-09T03:30:00Z", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        ("2026-01-09T12:30:00+09:00", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        ("2026-01-09 12:30", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        ("20260109T123000", datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL)),
        ("2026-01-09", datetime(2026, 1, 9, tzinfo=SEOUL)),
    ],
)
def test_a_time_as_text_is_iso_8601(text, moment):
    assert parsing.paid_at_text(text) == moment


@pytest.mark.parametrize(
    "text", ["", "soon", "어제", "09/01/2026 12:30", "2026-13-01T00:00:00", "0001-01-01T00:00:00"]
)
def test_a_time_as_text_that_is_not_iso_8601_or_cannot_be_stored_is_refused(text):
    assert refused(parsing.paid_at_text, text) == "invalid"
