"""Reads of cashback that carry meaning: weekly figures, ledger checks, payout lists."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum

from cashback.choices import PaymentStatus
from cashback.models import (
    Campaign,
    CampaignWeek,
    CustomerWeek,
    LedgerEntry,
    Payment,
    PayoutBatch,
)


@dataclass(frozen=True)
class WeekFigures:
    """One row of `GET …/weeks/` (SPEC 3.3)."""

    week: int
    starts_on: date
    ends_on: date
    budget: int
    granted: int
    remaining: int
    payments: int
    eligible_payments: int
    beneficiaries: int
    purchase_total: int
    exhausted_at: datetime | None


# What a week's tally keeps, each the sum over its slots.
TALLIED = ("payments", "eligible_payments", "beneficiaries", "purchase_total")


def campaign_week_figures(campaign: Campaign) -> list[WeekFigures]:
    """Each week's budget and what its recorded, not cancelled payments did, in one query.

    The payments' figures are the sums of the week's tally (`WeekTally`), which every write
    that records, cancels or settles a payment keeps; they equal what
    `campaign_week_figures_counted` counts over the rows themselves.
    """
    weeks = (
        CampaignWeek.objects.filter(campaign=campaign)
        .order_by("number")
        .annotate(**{f"tally_{name}": Sum(f"tallies__{name}", default=0) for name in TALLIED})
    )
    return [
        _figures(week, **{name: getattr(week, f"tally_{name}") for name in TALLIED})
        for week in weeks
    ]


def campaign_week_figures_counted(campaign: Campaign) -> list[WeekFigures]:
    """The weeks' figures counted over the payments and the customers' weeks: the reference
    the tallies are held to (`ledger_disagreements`, and the tests), too slow for a page at a
    million payments.

    A week's beneficiaries are its customers' weeks still holding cashback: a customer's
    holding is the sum of the cashback of their recorded payments in the week (the ledger
    keeps it so), so it is above 0 exactly when one of them earned some.
    """
    holding = Q(cashback__gt=0)
    counts = {
        row["week_id"]: row
        for row in Payment.objects.filter(campaign=campaign, status=PaymentStatus.RECORDED)
        .exclude(week=None)
        .values("week_id")
        .annotate(
            payments=Count("id"),
            eligible_payments=Count("id", filter=holding),
            purchase_total=Sum("amount", filter=holding, default=0),
        )
    }
    beneficiaries = dict(
        CustomerWeek.objects.filter(week__campaign=campaign, held__gt=0)
        .order_by()
        .values_list("week_id")
        .annotate(n=Count("id"))
        .values_list("week_id", "n")
    )
    figures = []
    for week in CampaignWeek.objects.filter(campaign=campaign).order_by("number"):
        row = counts.get(week.pk, {})
        figures.append(
            _figures(
                week,
                payments=row.get("payments", 0),
                eligible_payments=row.get("eligible_payments", 0),
                beneficiaries=beneficiaries.get(week.pk, 0),
                purchase_total=row.get("purchase_total", 0),
            )
        )
    return figures


def _figures(
    week: CampaignWeek,
    *,
    payments: int,
    eligible_payments: int,
    beneficiaries: int,
    purchase_total: int,
) -> WeekFigures:
    return WeekFigures(
        week=week.number,
        starts_on=week.starts_on,
        ends_on=week.ends_on,
        budget=week.budget,
        granted=week.granted,
        remaining=week.budget - week.granted,
        payments=payments,
        eligible_payments=eligible_payments,
        beneficiaries=beneficiaries,
        purchase_total=purchase_total,
        exhausted_at=week.exhausted_at,
    )


def ledger_disagreements(campaign: Campaign) -> list[str]:
    """Where the counters differ from the ledger or the payments (empty when all agree).

    The weeks' `granted` and the customers' `held` must equal the sums of their ledger entries,
    each week's `granted` the cashback its recorded payments hold, and each week's tally the
    figures counted over its payments and customers' weeks.
    """
    entries = LedgerEntry.objects.filter(week__campaign=campaign)
    week_sums = dict(
        entries.values("week_id").annotate(t=Sum("amount")).values_list("week_id", "t")
    )
    held_sums = {
        (week_id, customer): total
        for week_id, customer, total in entries.values("week_id", "customer")
        .annotate(t=Sum("amount"))
        .values_list("week_id", "customer", "t")
    }
    holding_sums = dict(
        Payment.objects.filter(campaign=campaign, status=PaymentStatus.RECORDED, cashback__gt=0)
        .values("week_id")
        .annotate(t=Sum("cashback"))
        .values_list("week_id", "t")
    )
    problems = []
    for week in CampaignWeek.objects.filter(campaign=campaign).order_by("number"):
        for source, total in (("ledger", week_sums), ("payments", holding_sums)):
            expected = total.get(week.pk, 0)
            if week.granted != expected:
                problems.append(
                    f"week {week.number}: granted {week.granted} != {source} {expected}"
                )
    for week_id, customer, held in CustomerWeek.objects.filter(week__campaign=campaign).values_list(
        "week_id", "customer", "held"
    ):
        if held != held_sums.pop((week_id, customer), 0):
            problems.append(f"customer {customer} in week id {week_id}: held {held} != ledger")
    problems += [
        f"customer {customer} in week id {week_id}: ledger {total} without a holding"
        for (week_id, customer), total in held_sums.items()
        if total
    ]
    for kept, counted in zip(
        campaign_week_figures(campaign), campaign_week_figures_counted(campaign), strict=True
    ):
        problems += [
            f"week {kept.week}: tally {name} {getattr(kept, name)} != counted "
            f"{getattr(counted, name)}"
            for name in TALLIED
            if getattr(kept, name) != getattr(counted, name)
        ]
    return problems


def payout_csv_lines(batch: PayoutBatch) -> Iterator[str]:
    """The payout list as CSV for the operator: `customer,amount`, one line per customer."""
    yield "customer,amount\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for customer, amount in batch.lines.order_by("customer").values_list("customer", "amount"):
        writer.writerow((customer, amount))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def campaign_has_payments(campaign: Campaign) -> bool:
    """Whether any payment has arrived: from then on the campaign's terms are frozen."""
    return Payment.objects.filter(campaign=campaign).exists()


def campaign_shown(campaigns: QuerySet[Campaign], today: date, code: str = "") -> Campaign | None:
    """The campaign a dashboard shows (SPEC 6): the one named by `code`, else the one running
    `today`, else the latest to start; None when there is none (or no such code)."""
    if code:
        return campaigns.filter(code=code).first()
    running = campaigns.filter(first_day__lte=today, last_day__gte=today).order_by("-first_day")
    return running.first() or campaigns.order_by("-first_day", "-pk").first()
