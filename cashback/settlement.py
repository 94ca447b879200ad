"""Settling a whole file of payments (SPEC 3.4) with exactly the live path's decisions.

The file is read once, row by row: each row is checked and copied into a temporary table, and a
malformed row stops the run before anything is written. The rows are then decided in
`(paid_at, ref)` order with `cashback.rules` — the same functions the live API calls — against
counters held in memory, seeded from what is already recorded, while the campaign's weeks are
locked so no live payment can interleave. Payments are decided week by week, so memory holds
one week's customers at a time, and everything is written back with COPY in one transaction.
"""

import csv
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, TextIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import rules
from cashback.choices import EntryKind, PaymentStatus, PayoutStatus
from cashback.models import Campaign, CampaignWeek, CustomerWeek, LedgerEntry, Payment
from registry.choices import CertificateType
from registry.clock import SEOUL, local_date
from registry.rules import brn_checksum_ok
from registry.selectors import store_standings

COLUMNS = ("ref", "customer", "business_number", "amount", "method", "paid_at")
METHODS = frozenset(CertificateType.values)  # `.values` builds a new list on every call
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
    if not _checksum_ok(number):
        return _("%(value)s is not a valid business registration number.") % {"value": values[2]}
    if not amount.isdigit() or int(amount) <= 0:
        return _("amount must be a whole number of won greater than 0")
    if method not in METHODS:
        return _("method must be paper, card or mobile")
    try:
        moment = datetime.fromisoformat(paid_at.replace("Z", "+00:00"))
    except ValueError:
        return _("paid_at is not a date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SEOUL)
    return ref, customer, number, int(amount), method, moment


@functools.lru_cache(maxsize=65_536)
def _checksum_ok(number: str) -> bool:
    # A file names the same few thousand stores a million times over.
    return brn_checksum_ok(number)


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


class Decided(NamedTuple):
    """A payment as decided, in the column order of the writers below."""

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


def settle_payments(
    *, campaign: Campaign, stream: TextIO, progress: Progress | None = None
) -> Settlement:
    """Decide and record every payment of the file not already recorded, or refuse the file."""
    progress = progress or (lambda stage, done, total: None)
    result = Settlement()
    with transaction.atomic():
        staging = (
            _PostgresStaging(campaign) if connection.vendor == "postgresql"
            else _PortableStaging(campaign)
        )  # fmt: skip
        problems = staging.load(read_rows(stream), result, progress)
        problems += staging.duplicates()
        if problems:
            raise SettlementRefused(sorted(problems)[:1000])
        _decide_and_write(staging, campaign, result, progress)
        staging.close()
    return result


def _decide_and_write(staging, campaign: Campaign, result: Settlement, progress) -> None:
    """Decide the pending rows in order against in-memory counters, writing batch by batch."""
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
    todo = staging.pending_count()
    result.skipped = result.rows - todo
    holder = _WeekHolder(weeks, staging)
    done = 0
    for batch in staging.sorted_pending():
        decided = []
        for line, ref, customer, number, amount, method, paid_at in batch:
            standing = standings.get(number)
            paid_on = local_date(paid_at)
            assessment = rules.assess(
                terms, paid_on=paid_on, method=method, store_known=standing is not None,
                store_eligible=standing is not None and standing.eligible_on(method, paid_on),
                amount=amount,
            )  # fmt: skip
            week_number = assessment.week
            if week_number in frozen:
                raise SettlementRefused(
                    [(line, _("week %(week)s is confirmed and frozen; nothing can be added to it")
                      % {"week": week_number})]
                )  # fmt: skip
            cashback, reason = 0, assessment.reason
            if reason is None:
                week = weeks[week_number]
                cashback, reason = rules.allot(
                    assessment.raw,
                    customer_room=week.cap - holder.held(week_number, customer),
                    week_remaining=week.budget - granted[week_number],
                )
                if cashback:
                    holder.add(customer, cashback)
                    granted[week_number] += cashback
                    if granted[week_number] == week.budget and exhausted[week_number] is None:
                        exhausted[week_number] = paid_at
            decided.append(
                Decided(
                    ref=ref, customer=customer, business_number=number,
                    store_id=standing.store_id if standing else None, amount=amount,
                    method=method, paid_at=paid_at,
                    week_id=weeks[week_number].pk if week_number else None,
                    cashback=cashback, reason=reason,
                )
            )  # fmt: skip
            summary = result.weeks.setdefault(week_number, WeekSummary(week_number))
            summary.payments += 1
            summary.eligible += cashback > 0
            summary.granted += cashback
        staging.write(decided)
        done += len(decided)
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


class _WeekHolder:
    """What each customer holds in the week being decided; one week in memory at a time.

    Rows arrive in time order, so the weeks come one after another and a week's holdings can be
    written back as soon as the next week begins.
    """

    def __init__(self, weeks: dict[int, CampaignWeek], staging):
        self.weeks = weeks
        self.staging = staging
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

    def add(self, customer: str, amount: int) -> None:
        self.known[customer] = self.known.get(customer, 0) + amount
        self.changed[customer] = self.known[customer]

    def flush(self) -> None:
        if self.changed:
            self.staging.write_holdings(self.weeks[self.week], self.changed)
        self.changed = {}


class _PostgresStaging:
    """Rows staged in a temporary table with COPY, sorted by the database, written with COPY."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.cursor = connection.cursor()
        self.now = timezone.now()
        self.cursor.execute(
            "CREATE TEMP TABLE settle_rows (line integer, ref text, customer text, "
            "business_number char(10), amount bigint, method text, paid_at timestamptz) "
            "ON COMMIT DROP"
        )

    def load(self, rows, result: Settlement, progress: Progress) -> list:
        problems = []
        with self.cursor.copy(
            "COPY settle_rows (line, ref, customer, business_number, amount, method, paid_at) "
            "FROM STDIN"
        ) as copy:
            for line, parsed in rows:
                if isinstance(parsed, str):
                    problems.append((line, parsed))
                    continue
                if not problems:
                    copy.write_row((line, *parsed))
                result.rows += 1
                if result.rows % BATCH == 0:
                    progress("read", result.rows, 0)
        return problems

    def duplicates(self) -> list[tuple[int, str]]:
        self.cursor.execute(
            "SELECT ref, array_agg(line ORDER BY line) FROM settle_rows GROUP BY ref "
            "HAVING count(DISTINCT (customer, business_number, amount, method, paid_at)) > 1"
        )
        return [_duplicate(ref, lines) for ref, lines in self.cursor.fetchall()]

    _PENDING = (
        "FROM settle_rows s WHERE NOT EXISTS (SELECT 1 FROM cashback_payment p "
        "WHERE p.campaign_id = %s AND p.ref = s.ref)"
    )

    def pending_count(self) -> int:
        self.cursor.execute(f"SELECT count(DISTINCT ref) {self._PENDING}", [self.campaign.pk])
        return self.cursor.fetchone()[0]

    def sorted_pending(self) -> Iterator[list[tuple]]:
        """Rows not yet recorded, one per ref, in (paid_at, ref) order, a batch at a time."""
        with connection.connection.cursor(name="settle_sorted") as named:
            named.itersize = BATCH
            named.execute(
                "SELECT DISTINCT ON (paid_at, ref) line, ref, customer, business_number, amount, "
                f"method, paid_at {self._PENDING} ORDER BY paid_at, ref, line",
                [self.campaign.pk],
            )
            while batch := named.fetchmany(BATCH):
                yield batch

    def write(self, rows: list[Decided]) -> None:
        if not rows:
            return
        self.cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('cashback_payment', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in self.cursor.fetchall()]
        with self.cursor.copy(
            "COPY cashback_payment (id, campaign_id, ref, customer, business_number, store_id, "
            "amount, method, paid_at, week_id, cashback, reason, status, recorded_at) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, self.campaign.pk, *row, PaymentStatus.RECORDED, self.now))
        with self.cursor.copy(
            "COPY cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at) "
            "FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, rows, strict=True):
                if row.cashback:
                    copy.write_row(
                        (row.week_id, pk, row.customer, EntryKind.GRANT, row.cashback, self.now)
                    )

    def write_holdings(self, week: CampaignWeek, held: dict[str, int]) -> None:
        self.cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS settle_held (customer text, held bigint) "
            "ON COMMIT DROP"
        )
        self.cursor.execute("TRUNCATE settle_held")
        with self.cursor.copy("COPY settle_held (customer, held) FROM STDIN") as copy:
            for row in held.items():
                copy.write_row(row)
        self.cursor.execute(
            "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
            "SELECT %s, customer, held, %s FROM settle_held "
            "ON CONFLICT (week_id, customer) DO UPDATE SET held = EXCLUDED.held",
            [week.pk, week.cap],
        )

    def close(self) -> None:
        # ON COMMIT DROP does not fire inside an enclosing transaction; leave nothing behind.
        self.cursor.execute("DROP TABLE IF EXISTS settle_rows, settle_held")
        self.cursor.close()


class _PortableStaging:
    """The same steps in memory and with the ORM, for databases without COPY (the SQLite demo).

    Fine for demo-sized files; PostgreSQL takes the streaming path above.
    """

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.rows: dict[str, tuple] = {}
        self.lines: dict[str, int] = {}
        self.clashes: list[tuple[int, str]] = []

    def load(self, rows, result: Settlement, progress: Progress) -> list:
        problems = []
        for line, parsed in rows:
            if isinstance(parsed, str):
                problems.append((line, parsed))
                continue
            result.rows += 1
            ref = parsed[0]
            if ref in self.rows:
                if self.rows[ref][2:] != parsed[1:]:
                    self.clashes.append(_duplicate(ref, [self.lines[ref], line]))
                continue
            self.rows[ref] = (line, *parsed)
            self.lines[ref] = line
        return problems

    def duplicates(self) -> list[tuple[int, str]]:
        return self.clashes

    @functools.cached_property
    def _pending(self) -> list[tuple]:
        """Rows whose refs are not recorded yet, read once for the count and the decisions."""
        recorded = set()
        refs = list(self.rows)
        for start in range(0, len(refs), 500):
            recorded.update(
                Payment.objects.filter(
                    campaign=self.campaign, ref__in=refs[start : start + 500]
                ).values_list("ref", flat=True)
            )
        return [row for ref, row in self.rows.items() if ref not in recorded]

    def pending_count(self) -> int:
        return len(self._pending)

    def sorted_pending(self) -> Iterator[list[tuple]]:
        rows = sorted(self._pending, key=lambda r: (r[6], r[1], r[0]))
        for start in range(0, len(rows), BATCH):
            yield rows[start : start + BATCH]

    def write(self, rows: list[Decided]) -> None:
        payments = Payment.objects.bulk_create(
            [Payment(campaign=self.campaign, **row._asdict()) for row in rows], batch_size=1_000
        )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(week_id=p.week_id, payment=p, customer=p.customer,
                            kind=EntryKind.GRANT, amount=p.cashback)
                for p in payments
                if p.cashback
            ],
            batch_size=1_000,
        )  # fmt: skip

    def write_holdings(self, week: CampaignWeek, held: dict[str, int]) -> None:
        CustomerWeek.objects.bulk_create(
            [CustomerWeek(week=week, customer=c, held=h, cap=week.cap) for c, h in held.items()],
            update_conflicts=True,
            unique_fields=["week", "customer"],
            update_fields=["held"],
            batch_size=1_000,
        )

    def close(self) -> None:
        self.rows.clear()


def _duplicate(ref: str, lines: list[int]) -> tuple[int, str]:
    return lines[1], _("ref %(ref)s appears on line %(first)s with different content") % {
        "ref": ref, "first": lines[0]
    }  # fmt: skip


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
