"""Settling a whole file of payments (SPEC 3.4) with exactly the live path's decisions.

The file is read once, row by row: each row is checked and copied into a temporary table, and a
malformed row stops the run before anything is written. The rows are then decided in
`(paid_at, ref)` order with `cashback.rules` — the same functions the live API calls — against
counters held in memory, seeded from what is already recorded, while the campaign's weeks are
locked so no live payment can interleave. Payments are decided week by week, so memory holds
one week's customers at a time. On PostgreSQL only the decisions go back to the database: each
batch's week, store, cashback and reason are copied into a temporary table, and one
INSERT … SELECT makes the payments and their ledger entries from the rows already staged, all
in one transaction.
"""

import csv
import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import rules
from cashback.choices import EntryKind, PaymentStatus
from cashback.constants import MAX_AMOUNT
from cashback.models import Campaign, CampaignWeek, CustomerWeek, Payment
from registry.choices import CertificateType
from registry.clock import as_aware, local_date, storable
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
    ref, customer, number, amount, method, paid_at = values
    ref = ref.strip()
    if not ref or len(ref) > 64:
        return _("ref must be 1 to 64 characters")
    customer = customer.strip()
    if not customer or len(customer) > 64:
        return _("customer must be 1 to 64 characters")
    if "\x00" in ref or "\x00" in customer:
        return _("ref and customer cannot contain NUL characters")
    digits = _business_number(number)
    if digits is None:
        return _("%(value)s is not a valid business registration number.") % {"value": number}
    amount = amount.strip()
    if not amount.isdigit() or (won := int(amount)) <= 0:
        return _("amount must be a whole number of won greater than 0")
    if won > MAX_AMOUNT:
        return _("amount is too large")
    method = method.strip()
    if method not in METHODS:
        return _("method must be paper, card or mobile")
    try:
        moment = datetime.fromisoformat(paid_at.strip().replace("Z", "+00:00"))
    except ValueError:
        return _("paid_at is not a date and time")
    moment = as_aware(moment)
    if moment.year in (1, 9999) and not storable(moment):
        return _("paid_at is not a date and time")
    return ref, customer, digits, won, method, moment


@functools.lru_cache(maxsize=65_536)
def _business_number(value: str) -> str | None:
    """The ten digits of a number as written in the file, or None if it fails the checksum.

    A file names the same few thousand stores a million times over.
    """
    digits = value.strip().replace("-", "").replace(" ", "")
    return digits if brn_checksum_ok(digits) else None


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

# What the decisions and the stagings pass each other, as plain tuples (a million of them):
# a pending row is (key, line, customer, business_number, amount, method, paid_at) and a
# decision (key, week_id, store_id, cashback, reason), `key` naming the row to its staging.


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
        with staging:
            problems = staging.load(read_rows(stream), result, progress)
            problems += staging.duplicates()
            if problems:
                raise SettlementRefused(sorted(problems)[:1000])
            _decide_and_write(staging, campaign, result, progress)
    return result


def _decide_and_write(staging, campaign: Campaign, result: Settlement, progress) -> None:
    """Decide the pending rows in order against in-memory counters, writing batch by batch."""
    weeks = {
        w.number: w for w in CampaignWeek.objects.select_for_update().filter(campaign=campaign)
    }
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
        for key, line, customer, number, amount, method, paid_at in batch:
            standing = standing_of(number)
            paid_on = local_date(paid_at)
            assessment = assess(
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
                cashback, reason = allot(
                    assessment.raw,
                    customer_room=week.cap - holder.held(week_number, customer),
                    week_remaining=week.budget - granted[week_number],
                )
                if cashback:
                    holder.add(customer, cashback)
                    granted[week_number] += cashback
                    if granted[week_number] == week.budget and exhausted[week_number] is None:
                        exhausted[week_number] = paid_at
            decide((
                key, week_ids[week_number], standing.store_id if standing is not None else None,
                cashback, reason,
            ))  # fmt: skip
            summary = summaries.get(week_number)
            if summary is None:
                summary = summaries[week_number] = WeekSummary(week_number)
            summary.payments += 1
            summary.eligible += cashback > 0
            summary.granted += cashback
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
    result.recorded = done


class _WeekHolder:
    """What each customer holds in the week being decided; one week in memory at a time.

    Rows arrive in time order, so the weeks come one after another and a week's holdings can be
    written back as soon as the next week begins. The next week's are asked for as soon as a
    week begins, so they are at hand when it ends.
    """

    def __init__(self, weeks: dict[int, CampaignWeek], staging):
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

    def add(self, customer: str, amount: int) -> None:
        self.known[customer] = self.known.get(customer, 0) + amount
        self.changed[customer] = self.known[customer]

    def flush(self) -> None:
        if self.changed:
            self.staging.write_holdings(self.weeks[self.week], self.changed)
        self.changed = {}


class _PostgresStaging:
    """Rows staged in temporary tables with COPY and sorted by the database; each batch's
    decisions are copied back and joined to the staged rows to make the payments.

    While the rows are decided, one worker thread does all the database work in order — fetch
    the next batch, write the last one — so Python decides a batch while PostgreSQL writes the
    one before (psycopg lets go of the GIL while it waits for the server). The worker uses the
    same connection, hence the same transaction; the main thread touches the database again
    only after `finish` has waited for every queued step, and leaving the staging stops the
    worker before the transaction can end.
    """

    # Binary COPY and results: psycopg packs and unpacks these in C, with no text to format or
    # parse in Python. Binary results need a server-side binding cursor (`io`), whose
    # statements are never prepared: they name temporary tables that end with the run.
    ROW_TYPES = ("int4", "text", "text", "text", "int8", "text", "timestamptz")
    DECISION_TYPES = ("int4", "int8", "int8", "int8", "text")

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.cursor = connection.cursor()
        self.io = psycopg.Cursor(connection.connection)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settlement")
        self.queued: deque[Future] = deque()
        self.now = timezone.now()
        self.pending = 0
        self.cursor.execute(
            "CREATE TEMP TABLE settle_rows (line integer, ref text, customer text, "
            "business_number text, amount bigint, method text, paid_at timestamptz) "
            "ON COMMIT DROP"
        )

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        # Whatever happened, nothing may reach the connection once the transaction ends.
        self.worker.shutdown(wait=True, cancel_futures=True)
        if error_type is None:
            # ON COMMIT DROP does not fire inside an enclosing transaction; leave nothing.
            self.cursor.execute(
                "DROP TABLE IF EXISTS settle_rows, settle_pending, settle_decided, settle_held"
            )
        self.io.close()
        self.cursor.close()

    def load(self, rows, result: Settlement, progress: Progress) -> list:
        problems = []
        count = result.rows
        with self.cursor.copy(
            "COPY settle_rows (line, ref, customer, business_number, amount, method, paid_at) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.ROW_TYPES)
            write = copy.write_row
            for line, parsed in rows:
                if isinstance(parsed, str):
                    problems.append((line, parsed))
                    continue
                if not problems:
                    write((line, *parsed))
                count += 1
                if count % BATCH == 0:
                    progress("read", count, 0)
        result.rows = count
        return problems

    def duplicates(self) -> list[tuple[int, str]]:
        # Refs seen more than once are found by hashing; only those few are compared by content.
        self.cursor.execute(
            "SELECT ref, array_agg(line ORDER BY line) FROM settle_rows "
            "WHERE ref IN (SELECT ref FROM settle_rows GROUP BY ref HAVING count(*) > 1) "
            "GROUP BY ref "
            "HAVING count(DISTINCT (customer, business_number, amount, method, paid_at)) > 1"
        )
        return [_duplicate(ref, lines) for ref, lines in self.cursor.fetchall()]

    def sort_pending(self) -> int:
        """Number the rows not yet recorded, one per ref, in (paid_at, ref) order; how many."""
        self.cursor.execute(
            "CREATE TEMP TABLE settle_pending ON COMMIT DROP AS "
            "SELECT (row_number() OVER (ORDER BY paid_at, ref))::integer AS seq, "
            "line, ref, customer, business_number, amount, method, paid_at "
            "FROM (SELECT DISTINCT ON (paid_at, ref) * FROM settle_rows s "
            "WHERE NOT EXISTS (SELECT 1 FROM cashback_payment p "
            "WHERE p.campaign_id = %s AND p.ref = s.ref) "
            "ORDER BY paid_at, ref, line) s",
            [self.campaign.pk],
        )
        self.pending = self.cursor.rowcount
        self.cursor.execute("CREATE INDEX ON settle_pending (seq)")
        self.cursor.execute(
            "CREATE TEMP TABLE settle_decided (seq integer, week_id bigint, store_id bigint, "
            "cashback bigint, reason text) ON COMMIT DROP"
        )
        self.cursor.execute(
            "CREATE TEMP TABLE settle_held (customer text, held bigint) ON COMMIT DROP"
        )
        return self.pending

    # --- While deciding: the steps named with an underscore run on the worker, one at a time in
    # the order they were queued; the others queue them and wait for their results.

    def _queue(self, step, *args) -> Future:
        while self.queued and self.queued[0].done():
            self.queued.popleft().result()  # a failed write stops the run here
        future = self.worker.submit(step, *args)
        self.queued.append(future)
        return future

    def _wait(self, future: Future):
        # Steps run in order, so a failure before this one has happened already: report it
        # rather than the aborted transaction it left behind.
        if future in self.queued:
            while (earlier := self.queued.popleft()) is not future:
                earlier.result()
        return future.result()

    def pending_batches(self) -> Iterator[list[tuple]]:
        """The sorted rows a batch at a time, as (seq, line, customer, business_number, amount,
        method, paid_at). The next batch is queued before this one's write, so the worker
        writes a batch while the next is decided."""
        fetched = None
        for first in range(1, self.pending + 1, BATCH):
            following = self._queue(self._fetch, first)
            if fetched is not None:
                yield self._wait(fetched)
            fetched = following
        if fetched is not None:
            yield self._wait(fetched)

    def _fetch(self, first: int) -> list[tuple]:
        self.io.execute(
            "SELECT seq, line, customer, business_number, amount, method, paid_at "
            "FROM settle_pending WHERE seq BETWEEN %s AND %s ORDER BY seq",
            [first, first + BATCH - 1],
            binary=True,
            prepare=False,
        )
        return self.io.fetchall()

    def write(self, decided: list[tuple]) -> None:
        if decided:
            self._queue(self._write, decided)

    def _write(self, decided: list[tuple]) -> None:
        """Payments from one batch's decisions and the staged rows, ids in decision order, and
        a ledger entry for each grant."""
        with self.io.copy(
            "COPY settle_decided (seq, week_id, store_id, cashback, reason) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.DECISION_TYPES)
            write = copy.write_row
            for row in decided:
                write(row)
        self.io.execute(
            "WITH payment AS ("
            "INSERT INTO cashback_payment (campaign_id, ref, customer, business_number, "
            "store_id, amount, method, paid_at, week_id, cashback, reason, status, recorded_at) "
            "SELECT %(campaign)s, s.ref, s.customer, s.business_number, d.store_id, s.amount, "
            "s.method, s.paid_at, d.week_id, d.cashback, d.reason, %(status)s, %(now)s "
            "FROM settle_decided d JOIN settle_pending s USING (seq) "
            "WHERE s.seq BETWEEN %(first)s AND %(last)s ORDER BY seq "
            "RETURNING id, week_id, customer, cashback) "
            "INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, "
            "created_at) "
            "SELECT week_id, id, customer, %(kind)s, cashback, %(now)s FROM payment "
            "WHERE cashback > 0 ORDER BY id",
            {
                "campaign": self.campaign.pk, "status": PaymentStatus.RECORDED.value,
                "kind": EntryKind.GRANT.value, "now": self.now, "first": decided[0][0],
                "last": decided[-1][0],
            },
            prepare=False,
        )  # fmt: skip
        self.io.execute("TRUNCATE settle_decided")

    def holdings(self, week: CampaignWeek) -> Callable[[], dict[str, int]]:
        """The week's holdings as recorded, read in turn; call the result to wait for them."""
        future = self._queue(self._holdings, week.pk)
        return lambda: self._wait(future)

    def _holdings(self, week_id: int) -> dict[str, int]:
        self.io.execute(
            "SELECT customer, held FROM cashback_customerweek WHERE week_id = %s",
            [week_id],
            prepare=False,
        )
        return dict(self.io.fetchall())

    def write_holdings(self, week: CampaignWeek, held: dict[str, int]) -> None:
        self._queue(self._write_holdings, week.pk, week.cap, held)

    def _write_holdings(self, week_id: int, cap: int, held: dict[str, int]) -> None:
        self.io.execute("TRUNCATE settle_held")
        with self.io.copy("COPY settle_held (customer, held) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(("text", "int8"))
            for row in held.items():
                copy.write_row(row)
        self.io.execute(
            "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
            "SELECT %s, customer, held, %s FROM settle_held "
            "ON CONFLICT (week_id, customer) DO UPDATE SET held = EXCLUDED.held",
            [week_id, cap],
            prepare=False,
        )

    def finish(self) -> None:
        """Wait for every queued write; the connection is the main thread's again."""
        while self.queued:
            self.queued.popleft().result()


class _PortableStaging:
    """The same steps in memory and in portable SQL, for databases without COPY (the SQLite
    demo): each batch's rows go in by one prepared statement run for every row.

    Fine for demo-sized files; PostgreSQL takes the streaming path above.
    """

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.rows: dict[str, tuple] = {}
        self.lines: dict[str, int] = {}
        self.clashes: list[tuple[int, str]] = []
        self.sorted: list[tuple] = []

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        self.rows.clear()
        self.sorted = []

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

    def sort_pending(self) -> int:
        """Rows whose refs are not recorded yet, in (paid_at, ref) order; how many."""
        recorded = set()
        refs = list(self.rows)
        for start in range(0, len(refs), 500):
            recorded.update(
                Payment.objects.filter(
                    campaign=self.campaign, ref__in=refs[start : start + 500]
                ).values_list("ref", flat=True)
            )
        self.sorted = sorted(
            (row for ref, row in self.rows.items() if ref not in recorded),
            key=lambda r: (r[6], r[1], r[0]),
        )
        return len(self.sorted)

    def pending_batches(self) -> Iterator[list[tuple]]:
        """Keyed by position in the sorted list."""
        for start in range(0, len(self.sorted), BATCH):
            yield [
                (index, line, customer, number, amount, method, paid_at)
                for index, (line, _ref, customer, number, amount, method, paid_at) in enumerate(
                    self.sorted[start : start + BATCH], start
                )
            ]

    def write(self, decided: list[tuple]) -> None:
        """The batch's payments by one prepared statement, then a ledger entry for each grant
        among them by one INSERT … SELECT; ids follow the decisions."""
        adapt = connection.ops.adapt_datetimefield_value
        now = adapt(timezone.now())
        payments = []
        for index, week_id, store_id, cashback, reason in decided:
            _line, ref, customer, number, amount, method, paid_at = self.sorted[index]
            payments.append((
                self.campaign.pk, ref, customer, number, store_id, amount, method, adapt(paid_at),
                week_id, cashback, reason, PaymentStatus.RECORDED.value, now,
            ))  # fmt: skip
        with connection.cursor() as cursor:
            # Grants above the largest id are this batch's: the campaign's weeks are locked, and
            # no grant is made without its week's lock.
            cursor.execute("SELECT MAX(id) FROM cashback_payment")
            last = cursor.fetchone()[0] or 0
            cursor.executemany(
                "INSERT INTO cashback_payment (campaign_id, ref, customer, business_number, "
                "store_id, amount, method, paid_at, week_id, cashback, reason, status, "
                "recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                payments,
            )
            cursor.execute(
                "INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, "
                "created_at) SELECT week_id, id, customer, %s, cashback, %s "
                "FROM cashback_payment WHERE campaign_id = %s AND id > %s AND cashback > 0 "
                "ORDER BY id",
                [EntryKind.GRANT.value, now, self.campaign.pk, last],
            )

    def holdings(self, week: CampaignWeek) -> Callable[[], dict[str, int]]:
        return lambda: dict(CustomerWeek.objects.filter(week=week).values_list("customer", "held"))

    def write_holdings(self, week: CampaignWeek, held: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
                "VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (week_id, customer) DO UPDATE SET held = excluded.held",
                [(week.pk, customer, amount, week.cap) for customer, amount in held.items()],
            )

    def finish(self) -> None:
        pass


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
