"""Settling a whole file of payments (SPEC 3.4) with exactly the live path's decisions.

The file is read once, row by row: each row is checked and copied into a temporary table, and a
malformed row stops the run before anything is written. The rows are then decided in
`(paid_at, ref)` order with `cashback.rules` — the same functions the live API calls — against
counters held in memory, seeded from what is already recorded, while the campaign's weeks are
locked so no live payment can interleave. Payments are decided week by week, so memory holds
one week's customers at a time, and everything is written back with COPY in one transaction.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, TextIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import rules
from cashback.choices import EntryKind, PaymentStatus, PayoutStatus
from cashback.models import Campaign, CampaignWeek, CustomerWeek
from registry.choices import CertificateType
from registry.clock import SEOUL, local_date
from registry.rules import brn_checksum_ok
from registry.selectors import store_standings

COLUMNS = ("ref", "customer", "business_number", "amount", "method", "paid_at")
BATCH = 20_000
Progress = Callable[[str, int, int], None]


class SettlementRefused(Exception):
    """The file is malformed; `problems` lists (line, message), nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(_("The file has %(count)s malformed rows.") % {"count": len(problems)})
        self.problems = problems


@dataclass
class WeekSummary:
    week: int | None
    payments: int = 0
    eligible: int = 0
    granted: int = 0
    budget: int = 0
    remaining: int = 0
    exhausted_at: datetime | None = None


@dataclass
class Settlement:
    rows: int = 0
    recorded: int = 0
    skipped: int = 0
    weeks: dict[int | None, WeekSummary] = field(default_factory=dict)


# --- Reading -------------------------------------------------------------------------------


def _parse_row(values: list[str]) -> tuple | str:
    """One CSV row as a typed tuple, or the reason it is malformed."""
    if len(values) != len(COLUMNS):
        return _("expected %(n)s columns, found %(m)s") % {"n": len(COLUMNS), "m": len(values)}
    ref, customer, number, amount, method, paid_at = (v.strip() for v in values)
    if not ref or len(ref) > 64:
        return _("ref must be 1 to 64 characters")
    if not customer or len(customer) > 64:
        return _("customer must be 1 to 64 characters")
    number = number.replace("-", "").replace(" ", "")
    if not brn_checksum_ok(number):
        return _("%(value)s is not a valid business registration number.") % {"value": values[2]}
    if not amount.isdigit() or int(amount) <= 0:
        return _("amount must be a whole number of won greater than 0")
    if method not in CertificateType.values:
        return _("method must be paper, card or mobile")
    try:
        moment = datetime.fromisoformat(paid_at.replace("Z", "+00:00"))
    except ValueError:
        return _("paid_at is not a date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SEOUL)
    return ref, customer, number, int(amount), method, moment


def read_rows(stream: TextIO) -> Iterator[tuple[int, tuple | str]]:
    """(line number, parsed row or reason) for every data row; the header is line 1."""
    reader = csv.reader(stream)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    if header != list(COLUMNS):
        yield 1, _("the header must be %(columns)s") % {"columns": ",".join(COLUMNS)}
        return
    for values in reader:
        if values:
            yield reader.line_num, _parse_row(values)


# --- Settling ------------------------------------------------------------------------------


def settle_payments(
    *, campaign: Campaign, stream: TextIO, progress: Progress | None = None
) -> Settlement:
    """Decide and record every payment of the file not already recorded, or refuse the file."""
    progress = progress or (lambda stage, done, total: None)
    result = Settlement()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE settle_rows (line integer, ref text, customer text, "
            "business_number char(10), amount bigint, method text, paid_at timestamptz) "
            "ON COMMIT DROP"
        )
        problems = _load(cursor, stream, result, progress)
        problems += _duplicates(cursor)
        if problems:
            raise SettlementRefused(sorted(problems)[:1000])
        _decide_and_write(cursor, campaign, result, progress)
        # ON COMMIT DROP does not fire inside an enclosing transaction; leave nothing behind.
        cursor.execute("DROP TABLE IF EXISTS settle_rows, settle_held")
    return result


def _load(cursor, stream: TextIO, result: Settlement, progress: Progress) -> list:
    problems = []
    with cursor.copy(
        "COPY settle_rows (line, ref, customer, business_number, amount, method, paid_at) "
        "FROM STDIN"
    ) as copy:
        for line, parsed in read_rows(stream):
            if isinstance(parsed, str):
                problems.append((line, parsed))
                continue
            if not problems:
                copy.write_row((line, *parsed))
            result.rows += 1
            if result.rows % BATCH == 0:
                progress("read", result.rows, 0)
    return problems


def _duplicates(cursor) -> list[tuple[int, str]]:
    """A ref twice in one file with different content is malformed; identical twice is one."""
    cursor.execute(
        "SELECT ref, array_agg(line ORDER BY line) FROM settle_rows GROUP BY ref "
        "HAVING count(DISTINCT (customer, business_number, amount, method, paid_at)) > 1"
    )
    return [
        (lines[1], _("ref %(ref)s appears on line %(first)s with different content")
         % {"ref": ref, "first": lines[0]})
        for ref, lines in cursor.fetchall()
    ]  # fmt: skip


def _decide_and_write(cursor, campaign: Campaign, result: Settlement, progress) -> None:
    weeks = {
        w.number: w for w in CampaignWeek.objects.select_for_update().filter(campaign=campaign)
    }
    frozen = set(
        CampaignWeek.objects.filter(
            campaign=campaign, payout__status=PayoutStatus.CONFIRMED
        ).values_list("number", flat=True)
    )
    terms = campaign.terms()
    standings = store_standings(campaign.office_id)
    granted = {n: w.granted for n, w in weeks.items()}
    exhausted = {n: w.exhausted_at for n, w in weeks.items()}
    cursor.execute(
        "SELECT count(DISTINCT ref) FROM settle_rows s WHERE NOT EXISTS (SELECT 1 FROM "
        "cashback_payment p WHERE p.campaign_id = %s AND p.ref = s.ref)",
        [campaign.pk],
    )
    (todo,) = cursor.fetchone()
    result.skipped = result.rows - todo
    writer = _Writer(cursor, campaign)
    holder = _WeekHolder(weeks)
    done = 0
    for batch in _sorted_new_rows(campaign):
        for line, ref, customer, number, amount, method, paid_at in batch:
            standing = standings.get(number)
            paid_on = local_date(paid_at)
            assessment = rules.assess(
                terms, paid_on=paid_on, method=method, store_known=standing is not None,
                store_eligible=standing is not None and standing.eligible_on(method, paid_on),
                amount=amount,
            )  # fmt: skip
            number_of_week = assessment.week
            if number_of_week in frozen:
                raise SettlementRefused(
                    [(line, _("week %(week)s is confirmed and frozen; nothing can be added to it")
                      % {"week": number_of_week})]
                )  # fmt: skip
            cashback, reason = 0, assessment.reason
            if reason is None:
                held = holder.held(number_of_week, customer)
                week = weeks[number_of_week]
                cashback, reason = rules.allot(
                    assessment.raw,
                    customer_room=week.cap - held,
                    week_remaining=week.budget - granted[number_of_week],
                )
                if cashback:
                    holder.add(number_of_week, customer, cashback)
                    granted[number_of_week] += cashback
                    if granted[number_of_week] == week.budget and exhausted[number_of_week] is None:
                        exhausted[number_of_week] = paid_at
            writer.add(
                Decided(
                    ref=ref, customer=customer, business_number=number,
                    store_id=standing.store_id if standing else None, amount=amount,
                    method=method, paid_at=paid_at,
                    week_id=weeks[number_of_week].pk if number_of_week else None,
                    cashback=cashback, reason=reason,
                )
            )  # fmt: skip
            summary = result.weeks.setdefault(number_of_week, WeekSummary(number_of_week))
            summary.payments += 1
            summary.eligible += cashback > 0
            summary.granted += cashback
            done += 1
        writer.flush()
        progress("decide", done, todo)
    holder.flush()
    for number, week in weeks.items():
        if granted[number] != week.granted or exhausted[number] != week.exhausted_at:
            CampaignWeek.objects.filter(pk=week.pk).update(
                granted=granted[number], exhausted_at=exhausted[number]
            )
        summary = result.weeks.setdefault(number, WeekSummary(number))
        summary.budget, summary.remaining = week.budget, week.budget - granted[number]
        summary.exhausted_at = exhausted[number]
    result.recorded = done


def _sorted_new_rows(campaign: Campaign) -> Iterator[list[tuple]]:
    """The file's rows not yet recorded, one copy of each ref, in (paid_at, ref) order."""
    raw = connection.connection
    with raw.cursor(name="settle_sorted") as named:
        named.itersize = BATCH
        named.execute(
            "SELECT DISTINCT ON (paid_at, ref) line, ref, customer, business_number, amount, "
            "method, paid_at FROM settle_rows s WHERE NOT EXISTS (SELECT 1 FROM cashback_payment "
            "p WHERE p.campaign_id = %s AND p.ref = s.ref) ORDER BY paid_at, ref, line",
            [campaign.pk],
        )
        while batch := named.fetchmany(BATCH):
            yield batch


class _WeekHolder:
    """What each customer holds in the week being decided; one week in memory at a time."""

    def __init__(self, weeks: dict[int, CampaignWeek]):
        self.weeks = weeks
        self.week: int | None = None
        self.known: dict[str, int] = {}
        self.changed: dict[str, int] = {}

    def held(self, week: int, customer: str) -> int:
        if week != self.week:
            self.flush()
            self.week = week
            self.known = dict(
                CustomerWeek.objects.filter(week=self.weeks[week]).values_list("customer", "held")
            )
        return self.known.get(customer, 0)

    def add(self, week: int, customer: str, amount: int) -> None:
        self.known[customer] = self.known.get(customer, 0) + amount
        self.changed[customer] = self.known[customer]

    def flush(self) -> None:
        if not self.changed:
            return
        week = self.weeks[self.week]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS settle_held (customer text, held bigint) "
                "ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE settle_held")
            with cursor.copy("COPY settle_held (customer, held) FROM STDIN") as copy:
                for row in self.changed.items():
                    copy.write_row(row)
            cursor.execute(
                "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
                "SELECT %s, customer, held, %s FROM settle_held "
                "ON CONFLICT (week_id, customer) DO UPDATE SET held = EXCLUDED.held",
                [week.pk, week.cap],
            )
        self.changed = {}


class Decided(NamedTuple):
    """A payment as decided, in the column order of the COPY below."""

    ref: str
    customer: str
    business_number: str
    store_id: int | None
    amount: int
    method: str
    paid_at: datetime
    week_id: int | None
    cashback: int
    reason: str


class _Writer:
    """Buffers decided payments and their ledger rows and writes them with COPY."""

    def __init__(self, cursor, campaign: Campaign):
        self.cursor = cursor
        self.campaign = campaign
        self.now = timezone.now()
        self.rows: list[Decided] = []

    def add(self, decided: Decided) -> None:
        self.rows.append(decided)

    def flush(self) -> None:
        if not self.rows:
            return
        cursor = self.cursor
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('cashback_payment', 'id')) "
            "FROM generate_series(1, %s)",
            [len(self.rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(
            "COPY cashback_payment (id, campaign_id, ref, customer, business_number, store_id, "
            "amount, method, paid_at, week_id, cashback, reason, status, recorded_at) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, self.rows, strict=True):
                copy.write_row((pk, self.campaign.pk, *row, PaymentStatus.RECORDED, self.now))
        with cursor.copy(
            "COPY cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at) "
            "FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, self.rows, strict=True):
                if row.cashback:
                    copy.write_row(
                        (row.week_id, pk, row.customer, EntryKind.GRANT, row.cashback, self.now)
                    )
        self.rows = []


def summary_lines(result: Settlement) -> Iterable[str]:
    """The per-week summary the command prints."""
    yield _("%(rows)s rows: %(recorded)s recorded, %(skipped)s already recorded and skipped.") % {
        "rows": f"{result.rows:,}", "recorded": f"{result.recorded:,}",
        "skipped": f"{result.skipped:,}",
    }  # fmt: skip
    for number in sorted(n for n in result.weeks if n is not None):
        w = result.weeks[number]
        yield _(
            "week %(week)2s: %(payments)s payments, %(eligible)s with cashback, %(granted)s won "
            "granted; %(remaining)s of %(budget)s won left%(exhausted)s"
        ) % {
            "week": number, "payments": f"{w.payments:,}", "eligible": f"{w.eligible:,}",
            "granted": f"{w.granted:,}", "remaining": f"{w.remaining:,}",
            "budget": f"{w.budget:,}",
            "exhausted": (_(", ran out at %(at)s") % {
                "at": timezone.localtime(w.exhausted_at).strftime("%Y-%m-%d %H:%M:%S")}
                if w.exhausted_at else ""),
        }  # fmt: skip
    outside = result.weeks.get(None)
    if outside:
        yield _("outside the campaign: %(payments)s payments") % {
            "payments": f"{outside.payments:,}"
        }
