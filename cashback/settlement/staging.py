"""Staging a file in PostgreSQL: rows in by COPY, sorted by the database, and each batch's
decisions written back as payments and ledger entries by one INSERT … SELECT.

What the run and the staging pass each other are plain tuples (a million of them): a pending row
is (seq, line, customer, business_number, amount, method, paid_at) and a decision (seq, week_id,
store_id, cashback, reason), `seq` being the row's place in `(paid_at, ref)` order.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import psycopg
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback.choices import EntryKind, PaymentStatus
from cashback.models import Campaign, CampaignWeek

BATCH = 20_000
Progress = Callable[[str, int, int], None]


class Staging:
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

    def load(self, rows: Iterable[tuple[int, tuple | str]], progress: Progress) -> tuple[int, list]:
        """COPY the well-formed rows in; (how many rows, the malformed ones as (line, reason)).
        After the first malformed row nothing more is copied: the run will be refused."""
        problems = []
        count = 0
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
        return count, problems

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
                "campaign": self.campaign.pk,
                "status": PaymentStatus.RECORDED.value,
                "kind": EntryKind.GRANT.value,
                "now": self.now,
                "first": decided[0][0],
                "last": decided[-1][0],
            },
            prepare=False,
        )
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


def _duplicate(ref: str, lines: list[int]) -> tuple[int, str]:
    return lines[1], _("ref %(ref)s appears on line %(first)s with different content") % {
        "ref": ref,
        "first": lines[0],
    }
