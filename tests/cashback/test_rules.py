from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cashback import rules
from cashback.rules import Terms, allot, assess, raw_cashback, week_count, week_number

ALLEY_PAY = Terms(
    first_day=date(2026, 1, 9),  # a Friday
    last_day=date(2026, 4, 2),
    methods=frozenset({"card", "mobile"}),
    minimum=20_000,
    rate_bp=500,
    rounding_unit=1,
)


def assessed(**overrides):
    payment = {
        "paid_on": date(2026, 1, 9),
        "method": "card",
        "store_known": True,
        "store_eligible": True,
        "amount": 20_000,
    }
    return assess(ALLEY_PAY, **{**payment, **overrides})


def test_the_reference_campaign_has_twelve_weeks_starting_on_fridays():
    assert week_count(ALLEY_PAY.first_day, ALLEY_PAY.last_day) == 12
    assert week_number(ALLEY_PAY.first_day, date(2026, 1, 15)) == 1  # Thursday
    assert week_number(ALLEY_PAY.first_day, date(2026, 1, 16)) == 2  # Friday
    assert week_number(ALLEY_PAY.first_day, date(2026, 2, 6)) == 5
    assert week_number(ALLEY_PAY.first_day, date(2026, 2, 19)) == 6
    assert week_number(ALLEY_PAY.first_day, date(2026, 4, 2)) == 12


@pytest.mark.parametrize("day", [date(2026, 1, 8), date(2026, 4, 3), date(2025, 1, 9)])
def test_a_payment_outside_the_campaign_earns_nothing_and_has_no_week(day):
    assert assessed(paid_on=day) == rules.Assessment(week=None, raw=0, reason="outside_campaign")


@pytest.mark.parametrize("day", [date(2026, 1, 9), date(2026, 4, 2)])
def test_the_first_and_last_days_are_inside(day):
    assert assessed(paid_on=day).reason is None


def test_paper_certificates_do_not_earn_in_a_digital_campaign():
    assert assessed(method="paper").reason == "method_not_eligible"
    assert assessed(method="paper").week == 1


def test_an_unknown_store_comes_before_eligibility():
    assert assessed(store_known=False, store_eligible=False).reason == "store_not_registered"


def test_an_ineligible_store_earns_nothing():
    assert assessed(store_eligible=False).reason == "store_not_eligible"


def test_the_minimum_is_inclusive():
    assert assessed(amount=19_999).reason == "below_minimum"
    assert assessed(amount=20_000) == rules.Assessment(week=1, raw=1_000, reason=None)


def test_steps_are_applied_in_the_spec_order():
    # Everything wrong at once: the first step decides.
    result = assessed(paid_on=date(2026, 5, 1), method="paper", store_known=False, amount=1)
    assert result.reason == "outside_campaign"
    result = assessed(method="paper", store_known=False, amount=1)
    assert result.reason == "method_not_eligible"


@pytest.mark.parametrize(
    ("amount", "rate_bp", "unit", "expected"),
    [
        (20_000, 500, 1, 1_000),
        (20_019, 500, 1, 1_000),  # 1,000.95 floors to 1,000
        (20_020, 500, 1, 1_001),
        (199_999, 500, 1, 9_999),
        (57_300, 500, 1_000, 2_000),  # 2,865 rounds down to the unit
        (59_999, 500, 1_000, 2_000),
        (60_000, 500, 1_000, 3_000),
        (12_345, 1, 1, 1),
        (9_999, 1, 1, 0),
        (10_000_000_000, 10_000, 1, 10_000_000_000),
    ],
)
def test_raw_cashback_floors_then_rounds_down_to_the_unit(amount, rate_bp, unit, expected):
    assert raw_cashback(amount, rate_bp, unit) == expected


def test_a_full_grant_is_granted():
    assert allot(1_000, customer_room=10_000, week_remaining=5_000) == (1_000, "granted")


def test_a_grant_cut_by_the_customers_cap_is_partial():
    assert allot(1_000, customer_room=400, week_remaining=5_000) == (400, "partial")


def test_a_grant_cut_by_the_weeks_budget_is_partial():
    assert allot(1_000, customer_room=10_000, week_remaining=250) == (250, "partial")


def test_the_tighter_of_cap_and_budget_wins():
    assert allot(1_000, customer_room=300, week_remaining=250) == (250, "partial")


def test_no_room_left_for_the_customer_is_weekly_cap_reached():
    assert allot(1_000, customer_room=0, week_remaining=5_000) == (0, "weekly_cap_reached")


def test_the_cap_is_checked_before_the_budget():
    assert allot(1_000, customer_room=0, week_remaining=0) == (0, "weekly_cap_reached")


def test_no_budget_left_is_budget_exhausted():
    assert allot(1_000, customer_room=10_000, week_remaining=0) == (0, "budget_exhausted")


def test_exact_fits_are_full_grants():
    assert allot(1_000, customer_room=1_000, week_remaining=1_000) == (1_000, "granted")


@given(
    raw=st.integers(0, 10**9),
    room=st.integers(-(10**6), 10**9),
    remaining=st.integers(-(10**6), 10**12),
)
def test_a_grant_never_exceeds_the_raw_amount_the_room_or_the_budget(raw, room, remaining):
    granted, reason = allot(raw, customer_room=room, week_remaining=remaining)
    assert 0 <= granted <= raw
    assert granted <= max(room, 0) and granted <= max(remaining, 0)
    assert (granted > 0) == (reason in {"granted", "partial"})
    assert reason in rules.REASONS


@given(
    first_day=st.dates(date(2024, 1, 1), date(2030, 1, 1)),
    offset=st.integers(0, 400),
)
def test_weeks_are_seven_days_from_the_first_day(first_day, offset):
    day = first_day + timedelta(days=offset)
    number = week_number(first_day, day)
    assert number == offset // 7 + 1
    assert (day - first_day).days - (number - 1) * 7 in range(7)
