"""Pure registry rules: designation criteria, affiliate eligibility, standing over time, and the
merchant applications' state machine and tracking numbers.

Plain functions of plain values, no database: the services gather the facts and these decide.
The values here are the stored ones; `registry.choices` gives them their labels.
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# --- Designation criteria (SPEC 2.2) -------------------------------------------------------


@dataclass(frozen=True)
class CriteriaSettings:
    """An office's ordinance, as plain numbers."""

    max_area_m2: int
    extra_area_step_m2: int | None  # one more store is required for each further step
    extra_stores_per_step: int
    min_stores: int
    min_stores_commercial: int | None
    min_consent_ratio: Fraction
    owner_consent_required: bool


@dataclass(frozen=True)
class DistrictFacts:
    area_m2: int
    excluded_area_m2: int
    in_commercial_zone: bool
    small_business_store_count: int
    association_name: str
    applied_by_representative: bool
    merchant_count: int
    consenting_merchants: int
    owner_count: int
    consenting_owners: int


@dataclass(frozen=True)
class CheckLine:
    """One pass/fail line shown to the clerk before a decision."""

    rule: str
    passed: bool
    message: str


def required_stores(settings: CriteriaSettings, facts: DistrictFacts) -> int:
    base = settings.min_stores
    if facts.in_commercial_zone and settings.min_stores_commercial is not None:
        base = settings.min_stores_commercial
    counted = counted_area(facts)
    if counted > settings.max_area_m2 and settings.extra_area_step_m2:
        extra_steps = -(-(counted - settings.max_area_m2) // settings.extra_area_step_m2)
        base += extra_steps * settings.extra_stores_per_step
    return base


def counted_area(facts: DistrictFacts) -> int:
    return max(facts.area_m2 - facts.excluded_area_m2, 0)


def _ratio_met(agreeing: int, total: int, minimum: Fraction) -> bool:
    return total > 0 and Fraction(agreeing, total) >= minimum


def designation_checks(settings: CriteriaSettings, facts: DistrictFacts) -> list[CheckLine]:
    """Every criterion of the office's ordinance as a pass/fail line, in the ordinance's order."""
    counted = counted_area(facts)
    needed = required_stores(settings, facts)
    area_ok = counted <= settings.max_area_m2 or bool(settings.extra_area_step_m2)
    lines = [
        CheckLine(
            "area",
            area_ok,
            _(
                "Counted area %(counted)s m² (excluding %(excluded)s m² of roads, parks and car "
                "parks); the limit is %(limit)s m²%(extra)s."
            )
            % {
                "counted": f"{counted:,}",
                "excluded": f"{facts.excluded_area_m2:,}",
                "limit": f"{settings.max_area_m2:,}",
                "extra": (
                    _(", with %(stores)s more store(s) per further %(step)s m²")
                    % {
                        "stores": settings.extra_stores_per_step,
                        "step": f"{settings.extra_area_step_m2:,}",
                    }
                    if settings.extra_area_step_m2
                    else ""
                ),
            },
        ),
        CheckLine(
            "stores",
            facts.small_business_store_count >= needed,
            _(
                "%(count)s small-business stores in licensed buildings; at least %(needed)s are "
                "required."
            )
            % {"count": facts.small_business_store_count, "needed": needed},
        ),
        CheckLine(
            "association",
            bool(facts.association_name.strip()) and facts.applied_by_representative,
            _("A merchants' organisation exists and applies through its representative.")
            if facts.association_name.strip() and facts.applied_by_representative
            else _("A merchants' organisation must exist and apply through its representative."),
        ),
        CheckLine(
            "merchant_consent",
            _ratio_met(
                facts.consenting_merchants, facts.merchant_count, settings.min_consent_ratio
            ),
            _("%(agreeing)s of %(total)s merchants consent; at least %(ratio)s is required.")
            % {
                "agreeing": facts.consenting_merchants,
                "total": facts.merchant_count,
                "ratio": _ratio_text(settings.min_consent_ratio),
            },
        ),
    ]
    if settings.owner_consent_required:
        lines.append(
            CheckLine(
                "owner_consent",
                _ratio_met(facts.consenting_owners, facts.owner_count, settings.min_consent_ratio),
                _(
                    "%(agreeing)s of %(total)s land and building owners consent; at least "
                    "%(ratio)s is required."
                )
                % {
                    "agreeing": facts.consenting_owners,
                    "total": facts.owner_count,
                    "ratio": _ratio_text(settings.min_consent_ratio),
                },
            )
        )
    return lines


def _ratio_text(ratio: Fraction) -> str:
    percent = ratio * 100
    return (
        f"{percent.numerator // percent.denominator}%"
        if percent.denominator == 1
        else (f"{float(percent):.1f}%")
    )


# --- Affiliate eligibility (SPEC 2.4) ------------------------------------------------------


@dataclass(frozen=True)
class AffiliateFacts:
    store_active: bool
    in_designated_district: bool
    in_traditional_market: bool
    ksic_code: str
    restricted_codes: frozenset[str]
    annual_sales: int | None
    sales_cap: int
    last_struck_off_on: date | None
    ban_months: int
    today: date


def add_months(day: date, months: int) -> date:
    """The same day some months later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def affiliate_checks(facts: AffiliateFacts) -> list[CheckLine]:
    """The eligibility rules checked before an Onnuri approval, each line naming its rule."""
    zone_ok = facts.in_designated_district or facts.in_traditional_market
    restricted = facts.ksic_code in facts.restricted_codes
    sales_ok = facts.annual_sales is None or facts.annual_sales <= facts.sales_cap
    ban_ends = (
        add_months(facts.last_struck_off_on, facts.ban_months) if facts.last_struck_off_on else None
    )
    ban_ok = ban_ends is None or facts.today >= ban_ends
    return [
        CheckLine(
            "store_active",
            facts.store_active,
            _("The store is trading.") if facts.store_active else _("The store is closed."),
        ),
        CheckLine(
            "zone",
            zone_ok,
            _("The store is a member of a designated district or inside a traditional market.")
            if zone_ok
            else _(
                "The store is not a member of a designated district, and the office has not "
                "marked it as inside a traditional market or shopping district."
            ),
        ),
        CheckLine(
            "business_type",
            not restricted,
            _("Business type %(code)s is not restricted.") % {"code": facts.ksic_code}
            if not restricted
            else _("Business type %(code)s is on the office's restricted list.")
            % {"code": facts.ksic_code},
        ),
        CheckLine(
            "annual_sales",
            sales_ok,
            (
                _("Annual sales were not reported.")
                if facts.annual_sales is None
                else _("Annual sales of %(sales)s won are within the cap of %(cap)s won.")
                % {"sales": f"{facts.annual_sales:,}", "cap": f"{facts.sales_cap:,}"}
            )
            if sales_ok
            else _("Annual sales of %(sales)s won exceed the cap of %(cap)s won.")
            % {"sales": f"{facts.annual_sales:,}", "cap": f"{facts.sales_cap:,}"},
        ),
        CheckLine(
            "reregistration_ban",
            ban_ok,
            _("No strike-off within the re-registration ban.")
            if ban_ok
            else _("Struck off on %(day)s; re-registration is possible from %(until)s.")
            % {"day": facts.last_struck_off_on.isoformat(), "until": ban_ends.isoformat()},
        ),
    ]


# --- Standing over time (used by cashback step 4) ------------------------------------------


@dataclass(frozen=True)
class Span:
    """Days from `start` (inclusive; None = always) to `end` (exclusive; None = still open)."""

    start: date | None
    end: date | None

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class StoreStanding:
    """When a store was an approved affiliate of each certificate type, and when it was a member
    of a designated district, as spans of days."""

    store_id: int
    affiliate_spans: dict[str, tuple[Span, ...]]
    membership_spans: tuple[Span, ...]

    def eligible_on(self, method: str, day: date) -> bool:
        """SPEC 3.2 step 4: an approved affiliate for `method` and a member of a designated
        district of the office, both on `day`."""
        return any(s.holds(day) for s in self.affiliate_spans.get(method, ())) and any(
            s.holds(day) for s in self.membership_spans
        )


def affiliate_span(
    *, approved_on: date | None, revoked_on: date | None, valid_until: date | None
) -> Span:
    """An approval without a date (imported) counts from the district's designation, which the
    membership span already bounds, so it is open towards the past here."""
    ends = [d for d in (revoked_on, valid_until and valid_until + timedelta(days=1)) if d]
    return Span(start=approved_on, end=min(ends) if ends else None)


def membership_span(
    *,
    joined_on: date | None,
    left_on: date | None,
    designated_on: date,
    revoked_on: date | None,
) -> Span:
    """A membership counts from joining (or, imported, from designation) while the district is
    designated."""
    start = max(joined_on or designated_on, designated_on)
    ends = [d for d in (left_on, revoked_on) if d]
    return Span(start=start, end=min(ends) if ends else None)


# --- Merchant applications (SPEC 2.5) ------------------------------------------------------

APPLICATION_SUBMITTED = "submitted"
APPLICATION_IN_REVIEW = "in_review"
APPLICATION_APPROVED = "approved"
APPLICATION_REJECTED = "rejected"
APPLICATION_CHANGES_REQUESTED = "changes_requested"

# Open applications block another one for the same business number in the office.
APPLICATION_OPEN_STATUSES = (
    APPLICATION_SUBMITTED,
    APPLICATION_IN_REVIEW,
    APPLICATION_CHANGES_REQUESTED,
)
APPLICATION_DECIDED_STATUSES = (APPLICATION_APPROVED, APPLICATION_REJECTED)
# Open applications whose next step is the office's (not the merchant's): the review queue.
APPLICATION_WAITING_STATUSES = (APPLICATION_SUBMITTED, APPLICATION_IN_REVIEW)
# The state machine: who may move an application where. Clerks decide from `in_review` (a
# decision on a `submitted` application records the review step first); the merchant answers a
# change request; an application left unanswered may still be rejected.
APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    APPLICATION_SUBMITTED: (APPLICATION_IN_REVIEW,),
    APPLICATION_IN_REVIEW: (
        APPLICATION_APPROVED,
        APPLICATION_REJECTED,
        APPLICATION_CHANGES_REQUESTED,
    ),
    APPLICATION_CHANGES_REQUESTED: (APPLICATION_SUBMITTED, APPLICATION_REJECTED),
    APPLICATION_APPROVED: (),
    APPLICATION_REJECTED: (),
}
# What the privacy consent promises: documents and details are kept this long after the decision.
RETENTION_YEARS = 3


def application_allowed_moves(status: str) -> tuple[str, ...]:
    """Where an application in `status` may go next (empty once decided, or for an unknown
    status)."""
    return APPLICATION_TRANSITIONS.get(status, ())


def application_transition_check(
    current: str, to: str, labels: Mapping[str, str] | None = None
) -> None:
    """Refuse a move the state machine does not allow, naming the moves it does (`labels` name
    the statuses: the choices' labels, else the values)."""
    allowed = application_allowed_moves(current)
    if to in allowed:
        return

    def label(value: str) -> str:
        return str((labels or {}).get(value, value))

    raise ValidationError(
        _("An application that is %(status)s cannot become %(to)s; it can become: %(allowed)s.")
        % {
            "status": label(current),
            "to": label(to),
            "allowed": ", ".join(label(s) for s in allowed) or "-",
        },
        code="invalid_transition",
    )


# Twelve characters of an alphabet without 0/O and 1/I: 32 symbols, 60 bits of chance.
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12
TRACKING_PATTERN = r"^[2-9A-HJ-NP-Z]{12}$"


def tracking_number_format(number: str) -> str:
    """ABCD2345EFGH → ABCD-2345-EFGH: easier to read out on the phone."""
    return "-".join(number[i : i + 4] for i in range(0, len(number), 4))


def tracking_number_normalize(value: str) -> str:
    """What a merchant typed (any case, spaces, hyphens) as the stored twelve characters, or ""
    when it cannot be a tracking number."""
    cleaned = re.sub(r"[\s\-]", "", str(value or "")).upper()
    return cleaned if re.fullmatch(TRACKING_PATTERN, cleaned) else ""


# The keys the public pages' rate limits count a credential under (core.throttle), read as the
# pages read them, so `ab2c-…` and `A B2C…` count against the same number.
_KEY_SEPARATORS = re.compile(r"[\s\-]")


def tracking_identity(value: str) -> str:
    """A tracking number as the look-up reads it (spaces and hyphens gone, upper case); ""
    when none was typed."""
    raw = str(value or "")[:60]
    number = tracking_number_normalize(raw) or _KEY_SEPARATORS.sub("", raw).upper()
    return "number:" + number if number else ""


def business_number_identity(value: str) -> str:
    """A business number as its digits (hyphens and spaces gone); "" when none was typed."""
    digits = _KEY_SEPARATORS.sub("", str(value or "")[:40])
    return "brn:" + digits if digits else ""
