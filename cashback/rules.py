"""The cashback decision of SPEC 3.2 as pure functions of plain values.

Deciding a payment has two halves. `assess` applies steps 1–6, which depend only on the payment,
the campaign's terms and the store's standing; `allot` applies steps 7–8, which depend on how much
room the customer and the week have left at the moment the payment is decided. The live API and
the file settlement both call these two functions, so they cannot disagree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

# A campaign runs at most two years: 104 weeks. Real ones run a season (Seo-gu's, 12 weeks);
# the bound keeps a typo in a year from planning thousands of weeks. Its days lie within this
# century, far from the ends of the calendar where date arithmetic overflows.
MAX_WEEKS = 104
MAX_DAYS = 7 * MAX_WEEKS
FIRST_POSSIBLE_DAY = date(2000, 1, 1)
LAST_POSSIBLE_DAY = date(2099, 12, 31)
# The largest amount a money column holds (PostgreSQL's bigint).
MAX_WON = 2**63 - 1

OUTSIDE_CAMPAIGN = "outside_campaign"
METHOD_NOT_ELIGIBLE = "method_not_eligible"
STORE_NOT_REGISTERED = "store_not_registered"
STORE_NOT_ELIGIBLE = "store_not_eligible"
BELOW_MINIMUM = "below_minimum"
WEEKLY_CAP_REACHED = "weekly_cap_reached"
BUDGET_EXHAUSTED = "budget_exhausted"
PARTIAL = "partial"
GRANTED = "granted"

REASONS = (
    OUTSIDE_CAMPAIGN,
    METHOD_NOT_ELIGIBLE,
    STORE_NOT_REGISTERED,
    STORE_NOT_ELIGIBLE,
    BELOW_MINIMUM,
    WEEKLY_CAP_REACHED,
    BUDGET_EXHAUSTED,
    PARTIAL,
    GRANTED,
)


@dataclass(frozen=True)
class Terms:
    """What a campaign promises, as plain values."""

    first_day: date
    last_day: date
    methods: frozenset[str]
    minimum: int
    rate_bp: int
    rounding_unit: int


@dataclass(frozen=True)
class Assessment:
    """Steps 1–6: the week the payment falls in, and the cashback it earns before any limit.

    `reason` is set when the payment earns nothing before limits (steps 1–5).
    """

    week: int | None
    raw: int
    reason: str | None


def week_number(first_day: date, day: date) -> int:
    """SPEC 3.1: weeks start on the first day's weekday; week 1 holds the first day."""
    return (day - first_day).days // 7 + 1


def week_count(first_day: date, last_day: date) -> int:
    return week_number(first_day, last_day)


def days_possible(day: date) -> bool:
    return FIRST_POSSIBLE_DAY <= day <= LAST_POSSIBLE_DAY


def span_possible(first_day: date, last_day: date) -> bool:
    """At most MAX_WEEKS weeks from the first day to the last, inclusive."""
    return last_day - first_day < timedelta(days=MAX_DAYS)


def raw_cashback(amount: int, rate_bp: int, rounding_unit: int) -> int:
    """Step 6: floor(amount × rate / 10000), then down to the rounding unit. Integers only."""
    raw = amount * rate_bp // 10_000
    return raw - raw % rounding_unit


def assess(
    terms: Terms,
    *,
    paid_on: date,
    method: str,
    store_known: bool,
    store_eligible: bool,
    amount: int,
) -> Assessment:
    """Steps 1–6 of SPEC 3.2, in the spec's order: the first failing step gives the reason."""
    if not terms.first_day <= paid_on <= terms.last_day:
        return Assessment(week=None, raw=0, reason=OUTSIDE_CAMPAIGN)
    week = week_number(terms.first_day, paid_on)
    if method not in terms.methods:
        return Assessment(week=week, raw=0, reason=METHOD_NOT_ELIGIBLE)
    if not store_known:
        return Assessment(week=week, raw=0, reason=STORE_NOT_REGISTERED)
    if not store_eligible:
        return Assessment(week=week, raw=0, reason=STORE_NOT_ELIGIBLE)
    if amount < terms.minimum:
        return Assessment(week=week, raw=0, reason=BELOW_MINIMUM)
    return Assessment(
        week=week, raw=raw_cashback(amount, terms.rate_bp, terms.rounding_unit), reason=None
    )


def allot(raw: int, *, customer_room: int, week_remaining: int) -> tuple[int, str]:
    """Steps 7–8: cut the cashback to the customer's weekly room, then to the week's budget.

    Returns the amount granted and its reason; a grant cut by either limit is `partial`.
    """
    capped = min(raw, max(customer_room, 0))
    if capped <= 0:
        return 0, WEEKLY_CAP_REACHED
    granted = min(capped, max(week_remaining, 0))
    if granted <= 0:
        return 0, BUDGET_EXHAUSTED
    return granted, GRANTED if granted == raw else PARTIAL
