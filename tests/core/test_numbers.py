import pytest
from django.core.exceptions import ValidationError

from core.numbers import (
    brn_checksum_ok,
    brn_complete,
    brn_format,
    brn_normalize,
    brn_parts_ok,
    brn_valid,
)


@pytest.mark.parametrize("number", ["220-81-62517", "124-81-00998", "120-81-47521"])
def test_spec_examples_are_valid(number):
    assert brn_normalize(number) == number.replace("-", "")


@pytest.mark.parametrize("number", ["220-81-62518", "101-81-15122"])
def test_spec_counter_examples_are_refused_in_korean(number):
    with pytest.raises(ValidationError) as exc:
        brn_normalize(number)
    assert exc.value.code == "invalid_business_number"
    assert "유효한 사업자등록번호가 아닙니다" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("number", "part"),
    [
        ("000-00-00000", "every part"),
        ("100-81-00013", "tax office 100, below 101"),
        ("220-00-00017", "kind of business 00"),
        ("220-81-00001", "serial 0000"),
    ],
)
def test_numbers_whose_parts_cannot_be_real_are_refused_though_their_checksum_holds(number, part):
    digits = number.replace("-", "")
    assert brn_checksum_ok(digits)
    assert not brn_parts_ok(digits) and not brn_valid(digits)
    with pytest.raises(ValidationError) as exc:
        brn_normalize(number)
    assert exc.value.code == "invalid_business_number"
    assert "유효한 사업자등록번호가 아닙니다" in exc.value.messages[0]


def test_the_lowest_real_parts_are_accepted():
    assert brn_normalize("101-01-00014") == "1010100014"


@pytest.mark.parametrize(
    "typed", ["2208162517", "220 81 62517", " 220-81-62517 ", "220-8162517", "220 - 81 - 62517"]
)
def test_hyphens_and_spaces_are_accepted(typed):
    assert brn_normalize(typed) == "2208162517"


@pytest.mark.parametrize(
    "typed", ["", "220816251", "22081625170", "22O8162517", "２２０８１６２５１７", "abc", None]
)
def test_wrong_shapes_are_refused(typed):
    with pytest.raises(ValidationError):
        brn_normalize(typed)


def test_every_check_digit_but_one_is_refused():
    valid = [d for d in "0123456789" if brn_checksum_ok("220816251" + d)]
    assert valid == ["7"]


def test_completing_nine_digits_gives_a_valid_number():
    for first_nine in ("220816251", "124810099", "000000000", "999999999", "123456789"):
        assert brn_checksum_ok(brn_complete(first_nine))


def test_numbers_are_shown_with_hyphens():
    assert brn_format("2208162517") == "220-81-62517"
