"""Campaigns and their weeks (SPEC 3.1): terms, budgets, and when they may change."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cashback import rules
from cashback.models import Campaign, CampaignWeek
from cashback.selectors import campaign_has_payments
from cashback.services.common import (
    campaign_lock,
    campaign_week_lock,
    payments_gate_hold,
    payments_gate_pass,
    refuse_if_frozen,
)
from core.services import attribute, field_error
from registry.choices import CertificateType
from registry.models import Office, User


@dataclass(frozen=True)
class WeekOverride:
    """A week whose budget or cap differs from the campaign's default (None: the default)."""

    week: int
    budget: int | None = None
    cap: int | None = None


def campaign_weeks_plan(
    *,
    first_day: date,
    last_day: date,
    weekly_budget: int,
    weekly_cap: int,
    overrides: list[WeekOverride],
) -> list[CampaignWeek]:
    """The campaign's weeks with their budgets and caps (unsaved), overrides applied."""
    count = rules.week_count(first_day, last_day)
    by_week = {}
    for override in overrides:
        if not 1 <= override.week <= count:
            raise field_error(
                "week_overrides",
                _("Week %(week)s is not a week of this campaign (1 to %(count)s).")
                % {"week": override.week, "count": count},
                "unknown_week",
            )
        if override.week in by_week:
            raise field_error(
                "week_overrides",
                _("Week %(week)s is given twice.") % {"week": override.week},
                "duplicate_week",
            )
        by_week[override.week] = override
    weeks = []
    for number in range(1, count + 1):
        override = by_week.get(number, WeekOverride(number))
        starts_on = first_day + timedelta(days=7 * (number - 1))
        weeks.append(
            CampaignWeek(
                number=number,
                starts_on=starts_on,
                ends_on=min(starts_on + timedelta(days=6), last_day),
                budget=weekly_budget if override.budget is None else override.budget,
                cap=weekly_cap if override.cap is None else override.cap,
            )
        )
    return weeks


DEFAULT_TERMS = {
    "methods": [CertificateType.CARD.value, CertificateType.MOBILE.value],
    "minimum": 20_000,
    "rate_bp": 500,
    "weekly_cap": 10_000,
    "week_overrides": (),
    "rounding_unit": 1,
    "total_budget": None,
}
TERMS = {"first_day", "last_day", "weekly_budget", *DEFAULT_TERMS}


def _terms_apply(campaign: Campaign, terms: dict) -> list[CampaignWeek]:
    """Check the terms, set them on the campaign and plan its weeks (nothing saved).

    The total budget must equal the sum of the weeks' budgets: left out it is derived, given
    and different the campaign is refused.
    """
    methods = sorted(set(terms["methods"] or []))
    if not methods or any(m not in CertificateType.values for m in methods):
        raise field_error("methods", _("Choose one or more of paper, card and mobile."), "invalid")
    _days_check(terms["first_day"], terms["last_day"])
    weeks = campaign_weeks_plan(
        first_day=terms["first_day"],
        last_day=terms["last_day"],
        weekly_budget=terms["weekly_budget"],
        weekly_cap=terms["weekly_cap"],
        overrides=list(terms["week_overrides"]),
    )
    derived = sum(w.budget for w in weeks)
    total = terms["total_budget"]
    if total is not None and total != derived:
        raise field_error(
            "total_budget",
            _(
                "The total budget %(total)s won does not equal the sum of the weeks' budgets, "
                "%(sum)s won."
            )
            % {"total": f"{total:,}", "sum": f"{derived:,}"},
            "total_mismatch",
        )
    for name in (
        "first_day",
        "last_day",
        "minimum",
        "rate_bp",
        "weekly_cap",
        "weekly_budget",
        "rounding_unit",
    ):
        setattr(campaign, name, terms[name])
    campaign.methods = methods
    campaign.total_budget = derived
    return weeks


def _days_check(first_day: date, last_day: date) -> None:
    """The days lie within this century, the last not before the first, and the campaign runs
    at most 104 weeks (`rules.MAX_WEEKS`), before any week is planned."""
    for name, day in (("first_day", first_day), ("last_day", last_day)):
        if not rules.days_possible(day):
            raise field_error(
                name,
                _("Choose a day from %(first)s to %(last)s.")
                % {"first": rules.FIRST_POSSIBLE_DAY, "last": rules.LAST_POSSIBLE_DAY},
                "out_of_range",
            )
    if last_day < first_day:
        raise field_error("last_day", _("The last day cannot be before the first day."), "invalid")
    if not rules.span_possible(first_day, last_day):
        raise field_error(
            "last_day",
            _(
                "A campaign runs at most %(max)s weeks (two years): the last day can be "
                "%(latest)s at the latest, and %(last)s would make %(weeks)s weeks."
            )
            % {
                "max": rules.MAX_WEEKS,
                "latest": first_day + timedelta(days=rules.MAX_DAYS - 1),
                "last": last_day,
                "weeks": rules.week_count(first_day, last_day),
            },
            "too_long",
        )


def _weeks_save(campaign: Campaign, weeks: list[CampaignWeek]) -> None:
    for week in weeks:
        week.campaign = campaign
        week.full_clean(exclude=["campaign"])
    CampaignWeek.objects.bulk_create(weeks)


@transaction.atomic
def campaign_create(
    *,
    office: Office,
    user: User | None,
    code: str,
    name: str,
    first_day: date,
    last_day: date,
    weekly_budget: int,
    **terms,
) -> Campaign:
    """Create a campaign and its weeks (SPEC 3.1); omitted terms take the spec's defaults:
    card and mobile, 20,000 won minimum, 5%, 10,000 won weekly cap, rounding to 1 won."""
    unknown = set(terms) - set(DEFAULT_TERMS)
    if unknown:
        raise TypeError(f"unknown campaign terms: {sorted(unknown)}")
    campaign = Campaign(office=office, code=code, name=name)
    weeks = _terms_apply(
        campaign,
        {
            **DEFAULT_TERMS,
            **terms,
            "first_day": first_day,
            "last_day": last_day,
            "weekly_budget": weekly_budget,
        },
    )
    attribute(campaign, user)
    campaign.full_clean()
    campaign.save()
    _weeks_save(campaign, weeks)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user: User, **changes) -> Campaign:
    """Change a campaign's name, or its terms while no payment has arrived.

    Once payments exist the terms are frozen: budgets can then only be raised, week by week,
    with `campaign_budget_raise`. New terms rebuild the weeks; overrides not given again are
    kept when the days stay the same.
    """
    payments_gate_hold(campaign)  # no payment in flight while "no payment yet" is decided
    campaign = campaign_lock(campaign)
    unknown = set(changes) - TERMS - {"name"}
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    campaign.name = changes.pop("name", campaign.name)
    if changes:
        if campaign_has_payments(campaign):
            raise ValidationError(
                _(
                    "Payments have arrived, so the terms are frozen; budgets can still be raised "
                    "week by week."
                ),
                code="terms_frozen",
            )
        current = {name: getattr(campaign, name) for name in TERMS - {"week_overrides"}}
        current["total_budget"] = None
        # Weeks that differ from the defaults stay overridden unless the days move.
        same_days = not {"first_day", "last_day"} & set(changes)
        current["week_overrides"] = [
            WeekOverride(
                w.number,
                budget=w.budget if w.budget != campaign.weekly_budget else None,
                cap=w.cap if w.cap != campaign.weekly_cap else None,
            )
            for w in campaign.weeks.all()
            if same_days and (w.budget != campaign.weekly_budget or w.cap != campaign.weekly_cap)
        ]
        weeks = _terms_apply(campaign, {**current, **changes})
        campaign.weeks.all().delete()
        _weeks_save(campaign, weeks)
    attribute(campaign, user)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_budget_raise(
    *, campaign: Campaign, user: User | None, week: int, budget: int
) -> CampaignWeek:
    """Raise one week's budget; the only change allowed once payments have arrived.

    The campaign's total rises by as much inside the database, so it keeps equal to the sum of
    the weeks' budgets; a confirmed week's budget stays as it was paid out.
    """
    # Through the gate first: a change of terms, which holds it, rebuilds the weeks and locks
    # the campaign's row, so it must never wait on this raise's week lock or the other way.
    payments_gate_pass(campaign)
    row = campaign_week_lock(campaign=campaign, number=week)
    if budget < row.budget:
        raise field_error("budget", _("A week's budget can only be raised."), "not_raised")
    refuse_if_frozen(row)
    raised = budget - row.budget
    # The total must stay within a money column too: checked by the update that raises it.
    fits = budget <= rules.MAX_WON and Campaign.objects.filter(
        pk=campaign.pk, total_budget__lte=rules.MAX_WON - raised
    ).update(total_budget=F("total_budget") + raised)
    if not fits:
        raise field_error(
            "budget",
            _(
                "The campaign's total budget would pass the largest amount that can be kept, "
                "%(max)s won."
            )
            % {"max": f"{rules.MAX_WON:,}"},
            "too_large",
        )
    row.budget = budget
    row.save(update_fields=["budget"])
    return row
