"""The arithmetic and logic of support programmes (SPEC 7) as plain functions of plain values.

Eligibility, the application window and digit days, a review's total, an application's score
and the selection to the budget line: no database here, so each rule and its boundaries are
tested exhaustively. The spec's words are the code's words: the refusal reasons below are the
values the API returns.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

COMPETITIVE = "competitive"
ENTITLEMENT = "entitlement"

# Refusals of an application (SPEC 7).
OUTSIDE_WINDOW = "outside_window"
DIGIT_DAY = "digit_day"
NOT_REGISTERED = "not_registered"
DUPLICATE = "duplicate"
BUDGET_EXHAUSTED = "budget_exhausted"
NOT_ELIGIBLE = "not_eligible"
# Selection outcomes besides an award.
BELOW_PASS_MARK = "below_pass_mark"

# Eligibility rules, in the order they are checked; `not_eligible:<rule>` names the first failing.
RULE_ACTIVE = "active"
RULE_SALES_MIN = "annual_sales_min_exclusive"
RULE_SALES_MAX = "annual_sales_max"
RULE_OPENED_BEFORE = "opened_before"
RULE_ENTERPRISE_TYPES = "enterprise_types"
RULE_DONGS = "dongs"
RULE_RESTRICTED = "restricted_business_type"
ELIGIBILITY_RULES = (
    RULE_ACTIVE,
    RULE_SALES_MIN,
    RULE_SALES_MAX,
    RULE_OPENED_BEFORE,
    RULE_ENTERPRISE_TYPES,
    RULE_DONGS,
    RULE_RESTRICTED,
)

# Competitive statuses (SPEC 7) and the entitlement's one outcome.
SUBMITTED = "submitted"
SCREENING = "screening"
CHANGES_REQUESTED = "changes_requested"
UNDER_REVIEW = "under_review"
SELECTED = "selected"
NOT_SELECTED = "not_selected"
WITHDRAWN = "withdrawn"
AWARDED = "awarded"

OPEN_STATUSES = (SUBMITTED, SCREENING, CHANGES_REQUESTED, UNDER_REVIEW)
# Moves a clerk makes; `selected` and `not_selected` are reached only by the selection.
MOVES: dict[str, tuple[str, ...]] = {
    SUBMITTED: (SCREENING, WITHDRAWN),
    SCREENING: (UNDER_REVIEW, CHANGES_REQUESTED, WITHDRAWN),
    CHANGES_REQUESTED: (SCREENING, WITHDRAWN),
    UNDER_REVIEW: (WITHDRAWN,),
}
# Statuses that hold an award once decided.
AWARD_STATUSES = (SELECTED, AWARDED)


def not_eligible(rule: str) -> str:
    return f"{NOT_ELIGIBLE}:{rule}"


@dataclass(frozen=True)
class Eligibility:
    """A programme's eligibility rules as the office set them; None or empty means no rule."""

    annual_sales_min_exclusive: int | None = None
    annual_sales_max: int | None = None
    opened_before: date | None = None
    enterprise_types: frozenset[str] = frozenset()
    dongs: frozenset[int] = frozenset()
    restricted_ksic: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Business:
    """What the rules look at: the registry's record of the business and its declared sales."""

    active: bool
    annual_sales: int
    opened_on: date | None
    enterprise_type: str
    dong_id: int
    ksic_code: str


def failing_rule(rules: Eligibility, business: Business) -> str | None:
    """The first eligibility rule the business fails, or None when it passes them all.

    Sales must be above the minimum (strictly) and at most the maximum; a business with no
    opening date cannot prove it opened before the programme's date, so it fails that rule.
    """
    checks = (
        (RULE_ACTIVE, business.active),
        (
            RULE_SALES_MIN,
            rules.annual_sales_min_exclusive is None
            or business.annual_sales > rules.annual_sales_min_exclusive,
        ),
        (
            RULE_SALES_MAX,
            rules.annual_sales_max is None or business.annual_sales <= rules.annual_sales_max,
        ),
        (
            RULE_OPENED_BEFORE,
            rules.opened_before is None
            or (business.opened_on is not None and business.opened_on < rules.opened_before),
        ),
        (
            RULE_ENTERPRISE_TYPES,
            not rules.enterprise_types or business.enterprise_type in rules.enterprise_types,
        ),
        (RULE_DONGS, not rules.dongs or business.dong_id in rules.dongs),
        (RULE_RESTRICTED, business.ksic_code not in rules.restricted_ksic),
    )
    return next((rule for rule, passed in checks if not passed), None)


def window_open(opens_at: datetime, closes_at: datetime, at: datetime) -> bool:
    """The window includes its opening moment and ends at its closing moment: a programme
    closing at 18:00 takes an application at 17:59:59.999 and refuses one at 18:00:00."""
    return opens_at <= at < closes_at


def digit_day_allows(digit_days: Mapping[date, str], on: date, business_number: str) -> bool:
    """On a digit day (5부제) only business numbers ending in that day's digits may apply;
    on any other day of the window every business may."""
    digits = digit_days.get(on)
    return digits is None or business_number[-1] in digits


def review_total(points: Mapping[str, int], weights: Mapping[str, Decimal]) -> Decimal:
    """A reviewer's total: the sum over the criteria of points × weight, exact."""
    return sum((Decimal(points[key]) * weights[key] for key in weights), Decimal(0))


def application_score(totals: Sequence[Decimal], *, trimmed: bool) -> Fraction | None:
    """The exact mean of the reviewers' totals, or None when nobody scored.

    With `trimmed`, the highest and the lowest total are dropped, but only from five scoring
    reviewers: with fewer the plain mean is kept.
    """
    if not totals:
        return None
    kept = sorted(totals)
    if trimmed and len(kept) >= 5:
        kept = kept[1:-1]
    return Fraction(sum(kept, Decimal(0))) / len(kept)


def score_display(score: Fraction) -> Decimal:
    """The score as shown and returned: rounded half up to two decimals."""
    hundredths = math.floor(score * 100 + Fraction(1, 2))  # scores are never negative
    return Decimal(hundredths).scaleb(-2)


@dataclass(frozen=True)
class Candidate:
    """A scored application as the selection sees it."""

    key: int
    score: Fraction
    submitted_at: datetime
    requested: int


@dataclass(frozen=True)
class Outcome:
    key: int
    score: Fraction
    rank: int | None
    award: int
    status: str
    reason: str | None


def select(
    candidates: Iterable[Candidate], *, pass_mark: Decimal, max_award: int, budget_left: int
) -> list[Outcome]:
    """Rank and award (SPEC 7): candidates at or above the pass mark by score, ties to the
    earlier submission, each awarded `min(requested, max_award, what is left)`; an award of 0
    is `not_selected` for `budget_exhausted`. Below the pass mark: no rank, `below_pass_mark`.

    The awards never add up to more than `budget_left`, and none exceeds its request or the cap.
    """
    ordered = sorted(candidates, key=lambda c: (-c.score, c.submitted_at, c.key))
    passing = [c for c in ordered if c.score >= Fraction(pass_mark)]
    failing = [c for c in ordered if c.score < Fraction(pass_mark)]
    outcomes, left = [], budget_left
    for rank, candidate in enumerate(passing, start=1):
        award = max(0, min(candidate.requested, max_award, left))
        left -= award
        outcomes.append(
            Outcome(
                candidate.key,
                candidate.score,
                rank,
                award,
                SELECTED if award else NOT_SELECTED,
                None if award else BUDGET_EXHAUSTED,
            )
        )
    outcomes.extend(
        Outcome(c.key, c.score, None, 0, NOT_SELECTED, BELOW_PASS_MARK) for c in failing
    )
    return outcomes


def moves_from(status: str) -> tuple[str, ...]:
    return MOVES.get(status, ())
