"""The pure rules of SPEC 7, each with its boundaries."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clock import SEOUL
from programmes import rules

RELIEF = rules.Eligibility(annual_sales_min_exclusive=0, annual_sales_max=300_000_000)
A_BUSINESS = rules.Business(
    active=True,
    annual_sales=120_000_000,
    opened_on=date(2020, 5, 1),
    enterprise_type="",
    dong_id=7,
    ksic_code="56111",
)


def business(**changes) -> rules.Business:
    return rules.Business(**{**A_BUSINESS.__dict__, **changes})


@pytest.mark.parametrize(
    ("sales", "failing"),
    [
        (0, rules.RULE_SALES_MIN),
        (1, None),
        (299_999_999, None),
        (300_000_000, None),
        (300_000_001, rules.RULE_SALES_MAX),
    ],
)
def test_relief_sales_must_be_above_0_and_at_most_300_million(sales, failing):
    assert rules.failing_rule(RELIEF, business(annual_sales=sales)) == failing


def test_a_closed_business_fails_the_active_rule_before_any_other():
    assert rules.failing_rule(RELIEF, business(active=False, annual_sales=0)) == rules.RULE_ACTIVE


@pytest.mark.parametrize(
    ("opened_on", "failing"),
    [
        (date(2025, 12, 31), None),
        (date(2026, 1, 1), rules.RULE_OPENED_BEFORE),
        (None, rules.RULE_OPENED_BEFORE),
    ],
)
def test_opened_before_is_strict_and_an_unknown_opening_date_fails(opened_on, failing):
    terms = rules.Eligibility(opened_before=date(2026, 1, 1))
    assert rules.failing_rule(terms, business(opened_on=opened_on)) == failing


def test_enterprise_types_restrict_only_when_the_programme_names_some():
    terms = rules.Eligibility(enterprise_types=frozenset({"social_enterprise", "cooperative"}))
    assert rules.failing_rule(terms, business(enterprise_type="")) == rules.RULE_ENTERPRISE_TYPES
    assert rules.failing_rule(terms, business(enterprise_type="social_cooperative")) == (
        rules.RULE_ENTERPRISE_TYPES
    )
    assert rules.failing_rule(terms, business(enterprise_type="cooperative")) is None
    assert rules.failing_rule(rules.Eligibility(), business(enterprise_type="")) is None


def test_dongs_restrict_only_when_the_programme_names_some():
    assert rules.failing_rule(rules.Eligibility(dongs=frozenset({1, 2})), A_BUSINESS) == (
        rules.RULE_DONGS
    )
    assert rules.failing_rule(rules.Eligibility(dongs=frozenset({7})), A_BUSINESS) is None


def test_a_restricted_business_type_fails_last():
    terms = rules.Eligibility(restricted_ksic=frozenset({"56211"}))
    assert rules.failing_rule(terms, business(ksic_code="56211")) == rules.RULE_RESTRICTED
    assert rules.failing_rule(terms, business(ksic_code="56111")) is None


def test_the_reason_names_the_rule():
    assert rules.not_eligible(rules.RULE_SALES_MAX) == "not_eligible:annual_sales_max"


OPENS = datetime(2026, 3, 2, 9, tzinfo=SEOUL)
CLOSES = datetime(2026, 3, 25, 18, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (OPENS - timedelta(microseconds=1), False),
        (OPENS, True),
        (CLOSES - timedelta(microseconds=1), True),
        (datetime(2026, 3, 25, 17, 59, 59, tzinfo=SEOUL), True),
        (CLOSES, False),
        (datetime(2026, 3, 25, 9, 0, 0, tzinfo=SEOUL) + timedelta(hours=9), False),
    ],
)
def test_the_window_takes_its_opening_moment_and_ends_at_18_00_00(at, open_):
    assert rules.window_open(OPENS, CLOSES, at) is open_


def test_the_window_compares_instants_not_wall_clocks():
    utc_close = CLOSES.astimezone(SEOUL.__class__("UTC"))
    assert rules.window_open(OPENS, CLOSES, utc_close - timedelta(seconds=1))
    assert not rules.window_open(OPENS, CLOSES, utc_close)


FIVE_DAYS = {
    date(2026, 7, 14): "16",
    date(2026, 7, 15): "27",
    date(2026, 7, 16): "38",
    date(2026, 7, 17): "49",
    date(2026, 7, 18): "50",
}


@pytest.mark.parametrize("last_digit", "0123456789")
def test_each_business_number_has_exactly_one_of_the_five_digit_days(last_digit):
    number = "220816251" + last_digit
    days = [day for day in FIVE_DAYS if rules.digit_day_allows(FIVE_DAYS, day, number)]
    assert len(days) == 1


def test_after_the_digit_days_every_business_may_apply():
    assert rules.digit_day_allows(FIVE_DAYS, date(2026, 7, 20), "2208162517")
    assert not rules.digit_day_allows(FIVE_DAYS, date(2026, 7, 14), "2208162517")
    assert rules.digit_day_allows(FIVE_DAYS, date(2026, 7, 15), "2208162517")


WEIGHTS = {"plan": Decimal("2"), "impact": Decimal("1.5")}


def test_a_reviewers_total_weights_each_criterion_exactly():
    assert rules.review_total({"plan": 4, "impact": 3}, WEIGHTS) == Decimal("12.5")
    assert rules.review_total({"plan": 0, "impact": 0}, WEIGHTS) == 0


def test_the_score_is_the_exact_mean_of_the_totals():
    assert rules.application_score([Decimal(10), Decimal(11), Decimal(11)], trimmed=False) == (
        Fraction(32, 3)
    )
    assert rules.application_score([], trimmed=True) is None


def test_the_trimmed_mean_applies_only_from_five_reviewers():
    four = [Decimal(v) for v in (1, 10, 10, 19)]
    five = [Decimal(v) for v in (1, 10, 10, 10, 40)]
    assert rules.application_score(four, trimmed=True) == 10
    assert rules.application_score(five, trimmed=True) == 10
    assert rules.application_score(five, trimmed=False) == Fraction(71, 5)


def test_the_trimmed_mean_drops_only_one_highest_and_one_lowest():
    totals = [Decimal(v) for v in (5, 5, 8, 9, 9)]
    assert rules.application_score(totals, trimmed=True) == Fraction(22, 3)


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (Fraction(32, 3), "10.67"),
        (Fraction(1, 200), "0.01"),  # 0.005 rounds half up
        (Fraction(1249, 100), "12.49"),
        (Fraction(12345, 1000), "12.35"),
        (Fraction(12344999, 1000000), "12.34"),
        (Fraction(0), "0.00"),
    ],
)
def test_scores_are_shown_rounded_half_up_to_two_decimals(score, shown):
    assert str(rules.score_display(score)) == shown


T0 = datetime(2026, 3, 10, 9, tzinfo=SEOUL)


def candidate(key, score, requested, minutes=0):
    return rules.Candidate(key, Fraction(score), T0 + timedelta(minutes=minutes), requested)


def test_selection_awards_in_rank_order_bounded_by_request_cap_and_budget():
    outcomes = rules.select(
        [
            candidate(1, 90, 25_000_000),
            candidate(2, 80, 15_000_000),
            candidate(3, 70, 20_000_000),
            candidate(4, 60, 5_000_000),
        ],
        pass_mark=Decimal(60),
        max_award=20_000_000,
        budget_left=45_000_000,
    )
    assert [(o.key, o.rank, o.award, o.status, o.reason) for o in outcomes] == [
        (1, 1, 20_000_000, "selected", None),  # the cap
        (2, 2, 15_000_000, "selected", None),  # the request
        (3, 3, 10_000_000, "selected", None),  # the budget's last won
        (4, 4, 0, "not_selected", "budget_exhausted"),
    ]


def test_ties_go_to_the_earlier_submission():
    outcomes = rules.select(
        [candidate(1, 75, 10, minutes=5), candidate(2, 75, 10, minutes=1)],
        pass_mark=Decimal(0),
        max_award=10,
        budget_left=10,
    )
    assert [(o.key, o.award) for o in outcomes] == [(2, 10), (1, 0)]


def test_the_ranking_uses_the_exact_mean_not_the_rounded_one():
    outcomes = rules.select(
        [candidate(1, Fraction(2000, 3), 10), candidate(2, Fraction(66667, 100), 10, minutes=-5)],
        pass_mark=Decimal(0),
        max_award=10,
        budget_left=10,
    )
    # 666.666… and 666.67 both show as 666.67; the exact means decide.
    assert outcomes[0].key == 2


def test_an_application_exactly_at_the_pass_mark_is_ranked_and_below_it_is_not():
    outcomes = rules.select(
        [candidate(1, 60, 10), candidate(2, Fraction(5999, 100), 10)],
        pass_mark=Decimal("60.00"),
        max_award=10,
        budget_left=100,
    )
    assert [(o.key, o.rank, o.status, o.reason) for o in outcomes] == [
        (1, 1, "selected", None),
        (2, None, "not_selected", "below_pass_mark"),
    ]


def test_with_no_budget_left_every_ranked_application_is_budget_exhausted():
    outcomes = rules.select(
        [candidate(1, 90, 10)], pass_mark=Decimal(0), max_award=10, budget_left=0
    )
    assert (outcomes[0].rank, outcomes[0].award, outcomes[0].reason) == (1, 0, "budget_exhausted")


@given(
    st.lists(
        st.tuples(
            st.fractions(min_value=0, max_value=100, max_denominator=30),
            st.integers(min_value=1, max_value=30_000_000),
            st.integers(min_value=0, max_value=10_000),
        ),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=25_000_000),
    st.integers(min_value=0, max_value=200_000_000),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_selection_never_exceeds_the_budget_a_request_or_the_cap(
    applications, max_award, budget, pass_mark
):
    candidates = [
        candidate(key, score, requested, minutes)
        for key, (score, requested, minutes) in enumerate(applications)
    ]
    outcomes = rules.select(
        candidates, pass_mark=pass_mark, max_award=max_award, budget_left=budget
    )
    by_key = {c.key: c for c in candidates}
    assert sum(o.award for o in outcomes) <= budget
    assert len(outcomes) == len(candidates)
    for outcome in outcomes:
        assert 0 <= outcome.award <= min(by_key[outcome.key].requested, max_award)
        assert (outcome.status == "selected") == (outcome.award > 0)
    ranked = [o for o in outcomes if o.rank is not None]
    assert [o.rank for o in ranked] == list(range(1, len(ranked) + 1))
    assert all(o.score >= Fraction(pass_mark) for o in ranked)
    # Awards are greedy in rank order: once one falls short of its bound, none follows.
    short = [o for o in ranked if o.award < min(by_key[o.key].requested, max_award)]
    if short:
        first_short = short[0].rank
        assert all(o.award == 0 for o in ranked if o.rank > first_short)
        assert sum(o.award for o in outcomes) == budget


def test_clerks_move_applications_only_along_the_spec():
    assert rules.moves_from("submitted") == ("screening", "withdrawn")
    assert rules.moves_from("screening") == ("under_review", "changes_requested", "withdrawn")
    assert rules.moves_from("changes_requested") == ("screening", "withdrawn")
    assert rules.moves_from("under_review") == ("withdrawn",)
    for decided in ("selected", "not_selected", "withdrawn", "awarded"):
        assert rules.moves_from(decided) == ()
