"""PostgreSQL side of the cashback benchmark: pgbench references and what the backends wait on.

Two pgbench scripts run against the benchmark's database, each on a week of its own:

- `GRANT_SCRIPT`, the target's reference: the bare database work of a grant, a conditional
  budget UPDATE on a real `cashback_campaignweek` row (with its CHECK constraint) and a
  ledger-like INSERT, in one transaction;
- `REQUEST_SCRIPT`, for diagnosis: the 13 statements one payment request sends (the token,
  the permissions, the campaign, the store's standing, then the transaction: the campaign's
  payment gate, the campaign's terms again, the week, the payment, the customer's week, the
  grant's conditional writes and the week's tally), in the same order,
  with pgbench's `\\gset`/`\\if` standing in for the Python between them. The gap between it
  and the API is Django's share.

`ActivitySampler` counts, ten times a second, what the benchmark database's backends are doing
(running, waiting for a row lock, idle inside a transaction waiting for the client…).
"""

import os
import re
import shutil
import statistics
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GRANT_SCRIPT = """\
\\set amount random(1000, 4000)
\\set customer random(1, :customers)
BEGIN;
UPDATE cashback_campaignweek SET granted = granted + :amount
    WHERE id = :week AND granted + :amount <= budget;
INSERT INTO bench_pgbench_ledger (week_id, customer, amount)
    VALUES (:week, 'c' || :customer, :amount);
COMMIT;
"""

REQUEST_READS = """\
\\set customer random(1, :customers)
\\set store random(:store_lo, :store_hi)
\\set amount 100 * random(200, 799)
\\set raw :amount * 500 / 10000
\\set n random(1, 999999999999)
SELECT t.key, t.user_id, t.created, u.* FROM authtoken_token t
    JOIN registry_user u ON t.user_id = u.id WHERE t.key = ':token' LIMIT 21;
(SELECT ct.app_label, p.codename FROM auth_permission p
    JOIN registry_user_user_permissions up ON p.id = up.permission_id
    JOIN django_content_type ct ON p.content_type_id = ct.id WHERE up.user_id = :user)
UNION (SELECT ct.app_label, p.codename FROM auth_permission p
    JOIN auth_group_permissions gp ON p.id = gp.permission_id
    JOIN auth_group g ON gp.group_id = g.id
    JOIN registry_user_groups ug ON g.id = ug.group_id
    JOIN django_content_type ct ON p.content_type_id = ct.id WHERE ug.user_id = :user);
SELECT c.*, o.* FROM cashback_campaign c JOIN registry_office o ON c.office_id = o.id
    WHERE c.office_id = :office AND c.code = ':code' LIMIT 21;
(SELECT s.id, s.business_number, 'store', NULL::varchar, NULL::date, NULL::date, NULL::date,
        NULL::date
    FROM registry_store s WHERE s.office_id = :office AND s.id = :store)
UNION ALL (SELECT a.store_id, s.business_number, 'affiliate', a.certificate_type, a.approved_on,
        a.revoked_on, a.valid_until, NULL::date
    FROM registry_affiliateregistration a JOIN registry_store s ON a.store_id = s.id
    WHERE a.status IN ('approved', 'revoked') AND s.office_id = :office AND s.id = :store)
UNION ALL (SELECT m.store_id, s.business_number, 'membership', NULL::varchar, m.joined_on,
        m.left_on, d.designated_on, d.revoked_on
    FROM registry_membership m JOIN registry_district d ON m.district_id = d.id
        JOIN registry_store s ON m.store_id = s.id
    WHERE d.designated_on IS NOT NULL AND d.office_id = :office AND s.office_id = :office
        AND d.status IN ('designated', 'revoked') AND s.id = :store);
"""

# 1128398849 is cashback.services.common.PAYMENT_GATE, the campaign's payment gate.
REQUEST_TRANSACTION = """\
BEGIN;
SELECT pg_advisory_xact_lock_shared(1128398849, :campaign);
SELECT * FROM cashback_campaign WHERE id = :campaign LIMIT 21;
SELECT id, number, cap, frozen_at FROM cashback_campaignweek
    WHERE campaign_id = :campaign AND number = :number LIMIT 21;
INSERT INTO cashback_payment (campaign_id, ref, customer, business_number, store_id, amount,
        method, paid_at, week_id, cashback, reason, status, recorded_at, cancelled_at)
    VALUES (:campaign, 'pgb-:client_id-:n', 'kp:customer', '4108100017', :store, :amount,
        'card', '2026-01-16 18:00:00+09', :week, 0, 'weekly_cap_reached', 'recorded', now(),
        NULL)
    RETURNING id AS payment \\gset
INSERT INTO cashback_customerweek (week_id, customer, held, cap)
    SELECT id, 'kp:customer', 0, cap FROM cashback_campaignweek WHERE id = :week
    ON CONFLICT (week_id, customer) DO UPDATE SET held = cashback_customerweek.held
    RETURNING id AS holding, cap - held AS room, held AS was_held \\gset
\\set grant least(:raw, :room)
\\set earned least(:grant, 1)
\\set first :earned * (1 - least(:was_held, 1))
\\set slot (1 - :earned) * (1 + :payment % 15)
\\if :grant > 0
WITH spent AS (
    UPDATE cashback_campaignweek SET granted = granted + :grant,
        exhausted_at = CASE WHEN granted + :grant = budget
                            THEN COALESCE(exhausted_at, now()) ELSE exhausted_at END
    WHERE id = :week AND frozen_at IS NULL AND granted + :grant <= budget
    RETURNING id
), held AS (
    UPDATE cashback_customerweek SET held = held + :grant
    WHERE id = :holding AND EXISTS (SELECT FROM spent)
), entry AS (
    INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at)
    SELECT id, :payment, 'kp:customer', 'grant', :grant, now() FROM spent
)
UPDATE cashback_payment SET cashback = :grant, reason = 'granted'
WHERE id = :payment AND EXISTS (SELECT FROM spent);
\\endif
INSERT INTO cashback_weektally (week_id, slot, payments, eligible_payments, purchase_total,
        beneficiaries)
    VALUES (:week, :slot, 1, :earned, :earned * :amount, :first)
    ON CONFLICT (week_id, slot) DO UPDATE SET
        payments = cashback_weektally.payments + EXCLUDED.payments,
        eligible_payments = cashback_weektally.eligible_payments + EXCLUDED.eligible_payments,
        purchase_total = cashback_weektally.purchase_total + EXCLUDED.purchase_total,
        beneficiaries = cashback_weektally.beneficiaries + EXCLUDED.beneficiaries;
COMMIT;
"""
REQUEST_SCRIPT = REQUEST_READS + REQUEST_TRANSACTION


@dataclass
class PgbenchFigures:
    tps: float
    latencies: list[float]
    transactions: int
    activity: Counter

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def run_pgbench(
    name: str, script: str, defines: dict, *, db: dict, clients: int, seconds: int, workdir: Path
) -> PgbenchFigures:
    path = workdir / f"{name}.sql"
    path.write_text(script)
    logs = workdir / f"{name}_log"
    binary = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    command = [
        binary,
        "--no-vacuum",
        "--client",
        str(clients),
        "--jobs",
        "2",
        "--time",
        str(seconds),
        "--file",
        str(path),
        "--log",
        "--log-prefix",
        str(logs),
        "--host",
        db["HOST"] or "127.0.0.1",
        "--port",
        str(db["PORT"] or 5432),
        "--username",
        db["USER"] or "postgres",
        *(f"--define={key}={value}" for key, value in defines.items()),
        db["NAME"],
    ]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})}
    with ActivitySampler(db) as activity:
        done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        raise RuntimeError(f"pgbench {name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    tps = float(re.search(r"tps = ([\d.]+)", done.stdout).group(1))
    transactions = int(re.search(r"actually processed: (\d+)", done.stdout).group(1))
    latencies = [
        int(line.split()[2]) / 1e6
        for log in workdir.glob(f"{name}_log*")
        for line in log.read_text().splitlines()
    ]
    return PgbenchFigures(tps, latencies, transactions, activity.counts)


class ActivitySampler:
    """What the database's client backends are doing, sampled every 100 ms on a connection of
    its own (which it leaves out)."""

    def __init__(self, db: dict):
        self.db = db
        self.counts: Counter = Counter()
        self._stop = threading.Event()

    @staticmethod
    def classify(state: str, wait_type: str | None, wait: str | None) -> str:
        if state == "idle in transaction":
            return "idle in a transaction, waiting for the client"
        if state == "idle":
            return "idle, waiting for the next request"
        if wait_type == "Lock":
            return "waiting for a row lock"
        if wait_type == "IO" or (wait or "").startswith("WAL"):
            return "writing or flushing WAL / IO"
        if wait_type is None:
            return "running a statement"
        return f"other ({wait_type}:{wait})"

    def _run(self) -> None:
        import psycopg

        db = self.db
        with psycopg.connect(
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
            autocommit=True,
        ) as conn:
            while not self._stop.wait(0.1):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()"
                ).fetchall()
                for row in rows:
                    self.counts[self.classify(*row)] += 1

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def shares(counts: Counter) -> str:
        """Where backends spent their time, busiest first, leaving out idle connections."""
        busy = {k: v for k, v in counts.items() if not k.startswith("idle, waiting")}
        total = sum(busy.values()) or 1
        return "; ".join(
            f"{label} {count / total:.0%}" for label, count in Counter(busy).most_common()
        )
