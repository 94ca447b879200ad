"""The run: decide the staged rows in `(paid_at, ref)` order against counters in memory, and
the summary the command prints."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import rules
from cashback.models import Campaign, CampaignWeek
from cashback.services.common import (
    WEEK_HOLDER_SLOT,
    campaign_weeks_lock,
    payments_gate_hold,
    week_tally_add,
)
from cashback.settlement.reading import read_rows
from cashback.settlement.staging import Progress, Staging
from core.clock import local_date
from registry.selectors import store_standings


class SettlementRefused(Exception):
    """The file is malformed; `problems` lists (line, message), nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(_("The file has %(count)s malformed rows.") % {"count": len(problems)})
        self.problems = problems


@dataclass
class WeekSummary:
    """What the run did in one week (`week` None: the payments outside the campaign).

    `purchase_total` is what the payments that earned paid, and `new_beneficiaries` the
    customers who held nothing in the week before the run and hold cashback after it.
    """

    week: int | None
    payments: int = 0
    eligible: int = 0
    granted: int = 0
    purchase_total: int = 0
    new_beneficiaries: int = 0
    budget: int = 0
    remaining: int = 0
    exhausted_at: datetime | None = None


@dataclass
class Settlement:
    """What a run did: rows read, payments recorded, refs skipped as already recorded."""

    rows: int = 0
    recorded: int = 0
    skipped: int = 0
    weeks: dict[int | None, WeekSummary] = field(default_factory=dict)


def settle_payments(
    *, campaign: Campaign, stream: TextIO, progress: Progress | None = None
) -> Settlement:
    """Decide and record every payment of the file not already recorded, or refuse the file."""
    progress = progress or (lambda stage, done, total: None)
    result = Settlement()
    with transaction.atomic(), Staging(campaign) as staging:
        result.rows, problems = staging.load(read_rows(stream), progress)
        # From here to COMMIT no live payment of the campaign is in flight (see services.common);
        # the terms are read again, in case a change of terms held the gate while this waited.
        payments_gate_hold(campaign)
        campaign = Campaign.objects.get(pk=campaign.pk)
        problems += staging.duplicates()
        if problems:
            raise SettlementRefused(sorted(problems)[:1000])
        _decide_and_write(staging, campaign, result, progress)
    return result


def _decide_and_write(
    staging: Staging, campaign: Campaign, result: Settlement, progress: Progress
) -> None:
    """Decide the pending rows in order against in-memory counters, writing batch by batch."""
    weeks = {w.number: w for w in campaign_weeks_lock(campaign)}
    frozen = {n for n, w in weeks.items() if w.frozen_at is not None}  # read under the lock
    terms = campaign.terms()
    standings = store_standings(campaign.office_id)
    granted = {n: w.granted for n, w in weeks.items()}
    exhausted = {n: w.exhausted_at for n, w in weeks.items()}
    week_ids = {None: None, **{n: w.pk for n, w in weeks.items()}}
    todo = staging.sort_pending()
    result.skipped = result.rows - todo
    holder = _WeekHolder(weeks, staging)
    summaries = result.weeks
    # Looked up once here rather than once a row.
    assess, allot, standing_of = rules.assess, rules.allot, standings.get
    done = 0
    for batch in staging.pending_batches():
        decided = []
        decide = decided.append
        for seq, line, customer, number, amount, method, paid_at in batch:
            standing = standing_of(number)
            paid_on = local_date(paid_at)
            assessment = assess(
                terms,
                paid_on=paid_on,
                method=method,
                store_known=standing is not None,
                store_eligible=standing is not None and standing.eligible_on(method, paid_on),
                amount=amount,
            )
            week_number = assessment.week
            if week_number in frozen:
                raise SettlementRefused(
                    [
                        (
                            line,
                            _("week %(week)s is confirmed and frozen; nothing can be added to it")
                            % {"week": week_number},
                        )
                    ]
                )
            cashback, reason = 0, assessment.reason
            if reason is None:
                week = weeks[week_number]
                cashback, reason = allot(
                    assessment.raw,
                    customer_room=week.cap - holder.held(week_number, customer),
                    week_remaining=week.budget - granted[week_number],
                )
                if cashback:
                    first = holder.add(customer, cashback)
                    granted[week_number] += cashback
                    if granted[week_number] == week.budget and exhausted[week_number] is None:
                        exhausted[week_number] = paid_at
            decide(
                (
                    seq,
                    week_ids[week_number],
                    standing.store_id if standing is not None else None,
                    cashback,
                    reason,
                )
            )
            summary = summaries.get(week_number)
            if summary is None:
                summary = summaries[week_number] = WeekSummary(week_number)
            summary.payments += 1
            if cashback:
                summary.eligible += 1
                summary.granted += cashback
                summary.purchase_total += amount
                summary.new_beneficiaries += first
        staging.write(decided)
        done += len(decided)
        progress("decide", done, todo)
    holder.flush()
    staging.finish()
    for number, week in weeks.items():
        if granted[number] != week.granted or exhausted[number] != week.exhausted_at:
            CampaignWeek.objects.filter(pk=week.pk).update(
                granted=granted[number], exhausted_at=exhausted[number]
            )
        summary = result.weeks.setdefault(number, WeekSummary(number))
        summary.budget, summary.remaining = week.budget, week.budget - granted[number]
        summary.exhausted_at = exhausted[number]
    _tallies_add(weeks, summaries)
    result.recorded = done


def _tallies_add(weeks: dict[int, CampaignWeek], summaries: dict[int | None, WeekSummary]) -> None:
    """Count the run's payments in their weeks' figures, last: one tally slot per week, that of
    the week's holder, as the run holds every week's row (and the payment gate alone)."""
    for number, week in weeks.items():
        summary = summaries[number]
        if summary.payments:
            week_tally_add(
                week_id=week.pk,
                slot=WEEK_HOLDER_SLOT,
                payments=summary.payments,
                eligible_payments=summary.eligible,
                purchase_total=summary.purchase_total,
                beneficiaries=summary.new_beneficiaries,
            )


class _WeekHolder:
    """What each customer holds in the week being decided; one week in memory at a time.

    Rows arrive in time order, so the weeks come one after another and a week's holdings can be
    written back as soon as the next week begins. The next week's are asked for as soon as a
    week begins, so they are at hand when it ends.
    """

    def __init__(self, weeks: dict[int, CampaignWeek], staging: Staging):
        self.weeks = weeks
        self.staging = staging
        self.week: int | None = None
        self.known: dict[str, int] = {}
        self.changed: dict[str, int] = {}
        self.ahead: dict[int, Callable[[], dict[str, int]]] = {}

    def held(self, week: int, customer: str) -> int:
        if week != self.week:
            ahead, self.ahead = self.ahead, {}
            known = (ahead.get(week) or self.staging.holdings(self.weeks[week]))()
            if week + 1 in self.weeks:
                self.ahead[week + 1] = self.staging.holdings(self.weeks[week + 1])
            self.flush()
            self.week, self.known = week, known
        return self.known.get(customer, 0)

    def add(self, customer: str, amount: int) -> bool:
        """Add to what the customer holds in the week; whether they held nothing before."""
        before = self.known.get(customer, 0)
        self.known[customer] = self.changed[customer] = before + amount
        return before == 0

    def flush(self) -> None:
        if self.changed:
            self.staging.write_holdings(self.weeks[self.week], self.changed)
        self.changed = {}


def summary_lines(result: Settlement) -> Iterable[str]:
    """The per-week summary the command prints."""
    yield _("%(rows)s rows: %(recorded)s recorded, %(skipped)s already recorded and skipped.") % {
        "rows": f"{result.rows:,}",
        "recorded": f"{result.recorded:,}",
        "skipped": f"{result.skipped:,}",
    }
    for number in sorted(n for n in result.weeks if n is not None):
        w = result.weeks[number]
        yield _(
            "week %(week)2s: %(payments)s payments, %(eligible)s with cashback, %(granted)s won "
            "granted; %(remaining)s of %(budget)s won left%(exhausted)s"
        ) % {
            "week": number,
            "payments": f"{w.payments:,}",
            "eligible": f"{w.eligible:,}",
            "granted": f"{w.granted:,}",
            "remaining": f"{w.remaining:,}",
            "budget": f"{w.budget:,}",
            "exhausted": (
                _(", ran out at %(at)s")
                % {"at": timezone.localtime(w.exhausted_at).strftime("%Y-%m-%d %H:%M:%S")}
                if w.exhausted_at
                else ""
            ),
        }
    outside = result.weeks.get(None)
    if outside:
        yield _("outside the campaign: %(payments)s payments") % {
            "payments": f"{outside.payments:,}"
        }
