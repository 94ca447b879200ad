"""Cashback benchmark: a whole campaign's payment file, and the live payment API under load.

Run from the project root (about 4½ minutes; see bench/README.md):

    python -m bench.cashback [--payments 1000000] [--duration 30] [--clients 16] [--keep]

1. Creates its own PostgreSQL database (`golmok_bench_cashback`, or BENCH_CASHBACK_DATABASE_NAME,
   on the server of TEST_DATABASE_URL), migrates it and builds Seo-gu: 11,000 stores in 110
   designated districts with their memberships and Onnuri registrations (bulk inserts), and the
   reference campaign of SPEC 3.1. Meanwhile a child process writes the payment file of a whole
   12-week campaign (`bench.cashback_data`: 1,000,000 payments of about 120,000 customers).
2. Settlement: times `manage.py settle_payments` (in-process) beside a raw baseline measured in
   the same run on the same database: COPY of the file into a plain table plus ONE set-based
   query deciding every payment with window sums. Prints seconds, rows/s, the ratio, the time of
   each step of the settlement, the process's memory while settling, and the "schema floor" (the
   baseline's decisions written into the product's tables, rolled back); checks both agree
   payment by payment.
3. Live API: serves the product with gunicorn on loopback and has 16 clients post unique
   payments to one campaign week for 30 s (token of a payment_operator user); then a pgbench
   run of the bare database work of a grant (the conditional budget UPDATE and a ledger INSERT)
   with as many clients for as long, and two shorter diagnostic runs (the request's own
   statements, and the same work with the week locked by one final statement). Prints req/s and
   p50/p99, what the database's backends wait on, the queries of one request, and checks no
   overspend, no customer over the cap, no duplicate ref and the ledger.
4. Stops gunicorn and drops the database (keep it with --keep).
"""

import argparse
import contextlib
import cProfile
import http.client
import io
import json
import os
import pstats
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# The benchmark always runs on its own settings, whatever the shell exported.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.cashback_settings"

from bench import cashback_data as data
from bench.cashback_pg import (
    GRANT_SCRIPT,
    REQUEST_SCRIPT,
    ActivitySampler,
    PgbenchFigures,
    run_pgbench,
)
from bench.cashback_phases import Phases

ROOT = Path(__file__).resolve().parent.parent
WSGI_APP = "config.wsgi"  # what gunicorn serves: the product as deployed
CAMPAIGN = "alleypay-2026"
LIVE_CAMPAIGN = "bench-live-2026"
PGBENCH_CAMPAIGN = "bench-pgbench-2026"
LIVE_CUSTOMERS = 5_000
RACE_BUDGET = 300_000  # week 2 of the live campaign: sixteen clients race to exhaust it
TARGET_SETTLE_RATIO = 2.0
TARGET_RATE_SHARE = 0.5
TARGET_P99_MS = 100.0

# The raw baseline of the settlement, in ONE statement over the COPY-loaded table: steps 1-6 as a
# CASE, step 7 and 8 as running sums in (paid_at, ref) order. The cap and the budget are
# sequential rules, but for a file settled into an empty campaign without cancellations their
# running-sum form gives the same amounts: a customer's holding after k payments is
# min(cap, Σraw) while the week's budget lasts, and once the budget is exhausted every later
# grant of the week is 0 whatever the customer holds. Only reasons after that point can differ
# (`weekly_cap_reached` where the sequential rules say `budget_exhausted`, for a customer whose
# earlier grant the budget cut). It does less than the product: no CSV checks in Python, no
# duplicate or already-recorded refs, one output table without indexes, constraints or foreign
# keys, no ledger and no customer-week rows: a lower bound of the work.
BASELINE_SQL = """
CREATE TABLE bench_raw_decided AS
WITH c AS (
    SELECT id, first_day, last_day, methods, minimum, rate_bp, rounding_unit
    FROM cashback_campaign WHERE id = %(campaign)s
), affiliate AS (
    -- Days each store was an approved affiliate of each certificate type (registry.rules spans).
    SELECT store_id, certificate_type,
        range_agg(daterange(approved_on, LEAST(revoked_on, valid_until + 1))) AS days
    FROM registry_affiliateregistration
    WHERE status IN ('approved', 'revoked')
        AND (approved_on IS NULL OR LEAST(revoked_on, valid_until + 1) IS NULL
             OR approved_on < LEAST(revoked_on, valid_until + 1))
    GROUP BY store_id, certificate_type
), member AS (
    -- Days each store was a member of a designated district of the office.
    SELECT m.store_id,
        range_agg(daterange(GREATEST(m.joined_on, d.designated_on), LEAST(m.left_on, d.revoked_on)))
            AS days
    FROM registry_membership m JOIN registry_district d ON d.id = m.district_id
    WHERE d.office_id = %(office)s AND d.status IN ('designated', 'revoked')
        AND d.designated_on IS NOT NULL
        AND (LEAST(m.left_on, d.revoked_on) IS NULL
             OR GREATEST(m.joined_on, d.designated_on) < LEAST(m.left_on, d.revoked_on))
    GROUP BY m.store_id
), p AS (
    SELECT r.*, s.id AS store_id, (r.paid_at AT TIME ZONE 'Asia/Seoul')::date AS day
    FROM bench_raw_payment r
    LEFT JOIN registry_store s
        ON s.office_id = %(office)s AND s.business_number = r.business_number
), assessed AS MATERIALIZED (
    SELECT p.ref, p.customer, p.store_id, p.amount, p.method, p.paid_at,
        w.id AS week_id, w.cap, w.budget,
        CASE
            WHEN p.day < c.first_day OR p.day > c.last_day THEN 'outside_campaign'
            WHEN NOT c.methods ? p.method THEN 'method_not_eligible'
            WHEN p.store_id IS NULL THEN 'store_not_registered'
            WHEN NOT (COALESCE(a.days @> p.day, false) AND COALESCE(m.days @> p.day, false))
                THEN 'store_not_eligible'
            WHEN p.amount < c.minimum THEN 'below_minimum'
        END AS refused,
        p.amount * c.rate_bp / 10000 - (p.amount * c.rate_bp / 10000) %% c.rounding_unit AS raw
    FROM p CROSS JOIN c
    LEFT JOIN affiliate a ON a.store_id = p.store_id AND a.certificate_type = p.method
    LEFT JOIN member m ON m.store_id = p.store_id
    LEFT JOIN cashback_campaignweek w ON w.campaign_id = c.id
        AND p.day BETWEEN c.first_day AND c.last_day
        AND w.number = (p.day - c.first_day) / 7 + 1
), earning AS (
    SELECT *, CASE WHEN refused IS NULL THEN raw ELSE 0 END AS earn FROM assessed
), capped AS (
    SELECT *,
        LEAST(sum(earn) OVER cw, cap) - LEAST(sum(earn) OVER cw - earn, cap) AS capped
    FROM earning
    WINDOW cw AS (PARTITION BY week_id, customer ORDER BY paid_at, ref ROWS UNBOUNDED PRECEDING)
), granted AS (
    SELECT *,
        LEAST(sum(capped) OVER ww, budget) - LEAST(sum(capped) OVER ww - capped, budget)
            AS granted
    FROM capped
    WINDOW ww AS (PARTITION BY week_id ORDER BY paid_at, ref ROWS UNBOUNDED PRECEDING)
)
SELECT ref, customer, store_id, amount, method, paid_at, week_id,
    COALESCE(granted, 0)::bigint AS cashback,
    COALESCE(refused, CASE
        WHEN capped = 0 THEN 'weekly_cap_reached'
        WHEN granted = 0 THEN 'budget_exhausted'
        WHEN granted = raw THEN 'granted'
        ELSE 'partial' END) AS reason
FROM granted
"""


# The schema's own cost, for reference: the baseline's decisions written with INSERT … SELECT
# into the product's tables (payments in (paid_at, ref) order, their ledger entries and the
# customers' weekly holdings, with every index, constraint and deferred foreign-key check), for
# another campaign and rolled back. No settlement into this schema can take less.
FLOOR_SQL = """
WITH decided AS (
    SELECT d.*, r.business_number, sw.id AS scratch_week, sw.cap AS scratch_cap
    FROM bench_raw_decided d JOIN bench_raw_payment r USING (ref)
    LEFT JOIN cashback_campaignweek rw ON rw.id = d.week_id
    LEFT JOIN cashback_campaignweek sw ON sw.campaign_id = %(scratch)s AND sw.number = rw.number
), payments AS (
    INSERT INTO cashback_payment (campaign_id, ref, customer, business_number, store_id, amount,
        method, paid_at, week_id, cashback, reason, status, recorded_at)
    SELECT %(scratch)s, ref, customer, business_number, store_id, amount, method, paid_at,
        scratch_week, cashback, reason, 'recorded', now()
    FROM decided ORDER BY paid_at, ref
    RETURNING id, week_id, customer, cashback
), ledger AS (
    INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at)
    SELECT week_id, id, customer, 'grant', cashback, now() FROM payments WHERE cashback > 0
)
INSERT INTO cashback_customerweek (week_id, customer, held, cap)
SELECT scratch_week, customer, sum(cashback), min(scratch_cap) FROM decided
WHERE cashback > 0 GROUP BY scratch_week, customer
"""


def say(text: str = "") -> None:
    print(text, flush=True)


# --- The database ------------------------------------------------------------------------


def admin_connect():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def database_recreate(name: str) -> None:
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(name: str) -> None:
    from django.db import connections

    connections.close_all()
    with admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(statement: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


# --- Building Seo-gu ---------------------------------------------------------------------

TRADES = (
    ("국밥", "56111", "한식 일반 음식점업"),
    ("분식", "56194", "김밥 및 기타 간이 음식점업"),
    ("치킨", "56192", "치킨 전문점"),
    ("커피", "56221", "커피 전문점"),
    ("정육점", "47211", "육류 소매업"),
    ("청과", "47212", "과실 및 채소 소매업"),
    ("반찬", "47219", "기타 식료품 소매업"),
    ("떡집", "10712", "떡류 제조업"),
    ("미용실", "96112", "두발 미용업"),
    ("꽃집", "47852", "화초 및 식물 소매업"),
)
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"


def build_registry():
    """The office, its districts and 11,000 stores with memberships and registrations."""
    from django.db import transaction

    from registry.choices import AffiliateStatus, DistrictStatus, StrikeOffReason
    from registry.constants import SEOGU_CODE, SEOGU_DONGS, SEOGU_NAME
    from registry.models import AffiliateRegistration, District, Membership, Store
    from registry.services import office_create_or_update

    with transaction.atomic():
        office = office_create_or_update(code=SEOGU_CODE, name=SEOGU_NAME, dongs=SEOGU_DONGS)
        dongs = list(office.dongs.order_by("pk"))
        districts = District.objects.bulk_create(
            District(
                office=office,
                name=f"골목형상점가 {n + 1:03d}",
                area_m2=1_800,
                excluded_area_m2=200,
                store_count=100,
                small_business_store_count=90,
                association_name=f"골목형상점가 {n + 1:03d} 상인회",
                representative="김대표",
                association_phone="0623601234",
                merchant_count=100,
                consenting_merchants=70,
                status=DistrictStatus.DESIGNATED,
                applied_on=date(2025, 4, 1),
                designation_no=f"서구-2025-{n + 1:03d}",
                designated_on=data.DESIGNATED_ON,
            )
            for n in range(data.DISTRICTS)
        )
        plans = [data.store_plan(n) for n in range(data.STORES)]
        stores = Store.objects.bulk_create(
            (
                Store(
                    office=office,
                    business_number=plan.business_number,
                    trade_name=f"{TRADES[n % 10][0]} {n + 1}호점",
                    representative=f"{SURNAMES[n % len(SURNAMES)]}상인",
                    phone=f"062{3_600_000 + n:07d}",
                    road_address=f"광주광역시 서구 상무대로 {n + 1}",
                    dong=dongs[n % len(dongs)],
                    ksic_code=TRADES[n % 10][1],
                    business_type=TRADES[n % 10][2],
                    annual_sales=300_000_000,
                )
                for n, plan in enumerate(plans)
            ),
            batch_size=2_000,
        )
        Membership.objects.bulk_create(
            (
                Membership(store=store, district=districts[plan.district], joined_on=plan.joined_on)
                for store, plan in zip(stores, plans, strict=True)
                if plan.district is not None
            ),
            batch_size=2_000,
        )
        registrations = []
        for store, plan in zip(stores, plans, strict=True):
            for kind, held in (("card", plan.card), ("mobile", plan.mobile)):
                if not held:
                    continue
                struck = plan.revoked_on is not None
                registrations.append(
                    AffiliateRegistration(
                        store=store,
                        certificate_type=kind,
                        applied_on=date(2025, 7, 1),
                        status=AffiliateStatus.REVOKED if struck else AffiliateStatus.APPROVED,
                        affiliate_number=f"ON-{kind[0].upper()}-{plan.index:06d}",
                        approved_on=None,
                        settlement_bank="광주은행",
                        settlement_account=f"1107-{plan.index:06d}",
                        settlement_holder="상인",
                        revoked_on=plan.revoked_on,
                        strike_off_reason=StrikeOffReason.MISUSE if struck else "",
                    )
                )
        AffiliateRegistration.objects.bulk_create(registrations, batch_size=2_000)
    return office, len(stores), len(registrations)


def campaigns_create(office):
    """The reference campaign (SPEC 3.1), the live API's, and the week pgbench spends from."""
    from cashback import services
    from cashback.services import WeekOverride
    from registry import roles
    from registry.models import User

    clerk = User.objects.create(username="bench-cashback-manager", office=office, is_staff=True)
    clerk.groups.set(_groups(roles.CASHBACK_MANAGER))
    common = {
        "office": office,
        "user": clerk,
        "first_day": data.FIRST_DAY,
        "last_day": data.LAST_DAY,
    }
    doubled = [WeekOverride(w, budget=200_000_000) for w in data.LUNAR_NEW_YEAR_WEEKS]
    reference = services.campaign_create(
        code=CAMPAIGN,
        name="2026 골목페이 캐시백",
        weekly_budget=100_000_000,
        week_overrides=doubled,
        total_budget=1_400_000_000,
        **common,
    )
    live = services.campaign_create(
        code=LIVE_CAMPAIGN,
        name="골목페이 (실시간 측정)",
        weekly_budget=100_000_000,
        week_overrides=[*doubled, WeekOverride(2, budget=RACE_BUDGET)],
        **common,
    )
    spent_by_pgbench = services.campaign_create(
        code=PGBENCH_CAMPAIGN, name="pgbench", weekly_budget=10**15, **common
    )
    return reference, live, spent_by_pgbench


def _groups(name: str):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=name)


def operator_token(office) -> str:
    from rest_framework.authtoken.models import Token

    from registry import roles
    from registry.models import User

    user = User.objects.create(username="bench-payment-operator", office=office)
    user.groups.set(_groups(roles.PAYMENT_OPERATOR))
    return Token.objects.create(user=user).key


# --- Settlement --------------------------------------------------------------------------


class RssSampler:
    """The process's resident memory every 20 ms while a block runs."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - self.started, self.rss()))
            self._stop.wait(0.02)

    def __enter__(self):
        self.started = time.perf_counter()
        self.before = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.enabled:
            self._thread.join()
        self.samples.append((time.perf_counter() - self.started, self.rss()))

    @property
    def peak(self) -> int:
        return max(rss for _t, rss in self.samples)

    def deciles(self) -> list[int]:
        """Resident memory at 10%, 20% … 100% of the run."""
        end = max(t for t, _r in self.samples)
        marks, out = [end * n / 10 for n in range(1, 11)], []
        for mark in marks:
            out.append(max((r for t, r in self.samples if t <= mark), default=self.before))
        return out


@dataclass
class SettlementFigures:
    rows: int
    copy_s: float
    query_s: float
    settle_s: float
    floor_s: float
    phases: list[tuple[str, float]]
    rss_before: int
    rss_peak: int
    rss_deciles: list[int]
    maxrss: int
    summary: list[str]
    agreement: dict
    profiled: bool

    @property
    def baseline_s(self) -> float:
        return self.copy_s + self.query_s

    @property
    def ratio(self) -> float:
        return self.settle_s / self.baseline_s


def baseline(path: str, campaign) -> tuple[float, float]:
    from django.db import connection

    sql("DROP TABLE IF EXISTS bench_raw_payment, bench_raw_decided")
    sql(
        "CREATE TABLE bench_raw_payment (ref text, customer text, business_number text, "
        "amount bigint, method text, paid_at timestamptz)"
    )
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        open(path, "rb") as stream,
        cursor.copy("COPY bench_raw_payment FROM STDIN (FORMAT csv, HEADER true)") as copy,
    ):
        while chunk := stream.read(1 << 20):
            copy.write(chunk)
    copied = time.perf_counter()
    # JIT would only add compile time to this one-off query: off, for the tightest lower bound.
    sql("SET jit = off")
    sql(BASELINE_SQL, {"campaign": campaign.pk, "office": campaign.office_id})
    decided = time.perf_counter()
    sql("RESET jit")
    return copied - started, decided - copied


def settle(path: str, campaign, profile: bool):
    """`manage.py settle_payments CODE FILE` in-process: the function the command calls, on the
    file opened as the command opens it, with its per-week summary."""
    from cashback.settlement import settle_payments, summary_lines

    profiler = cProfile.Profile() if profile else None
    # The memory sampler is a second thread; under cProfile it would only blur the profile.
    memory = RssSampler(enabled=not profile)
    with memory, Phases() as phases, open(path, encoding="utf-8-sig", newline="") as stream:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = settle_payments(campaign=campaign, stream=stream)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
    if profiler:
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        say("\ncProfile of the settlement (times inflated by the profiler):")
        say(report.getvalue())
    return elapsed, memory, phases.breakdown(elapsed), list(summary_lines(result))


def settlement_agreement(campaign) -> dict:
    """Payment by payment, what settle_payments recorded against what the baseline decided."""
    row = sql(
        "SELECT count(*), "
        "count(*) FILTER (WHERE p.cashback <> d.cashback), "
        "count(*) FILTER (WHERE p.week_id IS DISTINCT FROM d.week_id), "
        "count(*) FILTER (WHERE p.reason <> d.reason), "
        "count(*) FILTER (WHERE p.reason = 'budget_exhausted' "
        "    AND d.reason = 'weekly_cap_reached'), "
        "sum(p.cashback), sum(d.cashback) "
        "FROM bench_raw_decided d JOIN cashback_payment p "
        "ON p.campaign_id = %s AND p.ref = d.ref",
        [campaign.pk],
    )[0]
    keys = (
        "matched",
        "cashback_differs",
        "week_differs",
        "reason_differs",
        "reason_after_exhaustion",
        "settled_total",
        "baseline_total",
    )
    return dict(zip(keys, row, strict=True))


def schema_floor(reference, scratch) -> float:
    """Seconds to write the baseline's decisions into the real tables, rolled back."""
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        sql(FLOOR_SQL, {"reference": reference.pk, "scratch": scratch.pk})
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    sql("VACUUM ANALYZE cashback_payment, cashback_ledgerentry, cashback_customerweek")
    return elapsed


def run_settlement(path: str, campaign, scratch, rows: int, profile: bool) -> SettlementFigures:
    say(f"\n== Settlement == (load average {load_average()})")
    copy_s, query_s = baseline(path, campaign)
    say(f"baseline: COPY {copy_s:.1f} s + one window-sum query {query_s:.1f} s")
    floor_s = schema_floor(campaign, scratch)
    say(f"schema floor: the same decisions written into the real tables {floor_s:.1f} s")
    sql("CHECKPOINT")
    settle_s, memory, phases, summary = settle(path, campaign, profile)
    say(f"settle_payments: {settle_s:.1f} s")
    for line in summary:
        say(f"  {line}")
    return SettlementFigures(
        rows=rows,
        copy_s=copy_s,
        query_s=query_s,
        settle_s=settle_s,
        floor_s=floor_s,
        phases=phases,
        rss_before=memory.before,
        rss_peak=memory.peak,
        rss_deciles=memory.deciles(),
        maxrss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        summary=summary,
        agreement=settlement_agreement(campaign),
        profiled=profile,
    )


# --- Live API ----------------------------------------------------------------------------


@dataclass
class LoadFigures:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port: int, workers: int, threads: int, log: Path):
    """The product under gunicorn on loopback, stopped (its own process group) on the way out."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.cashback_settings"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APP,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_ready(port: int, token: str, server, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request(
                "GET",
                f"/api/v1/cashback/campaigns/{LIVE_CAMPAIGN}/weeks/",
                headers={"Authorization": f"Token {token}"},
            )
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
            raise RuntimeError(
                f"the weeks endpoint answered {response.status}:\n{log.read_text()[-3000:]}"
            )
        except (ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start within 60 s")


class PaymentMaker:
    """Unique payments of one week at eligible stores, from a pool of returning customers."""

    def __init__(self, client: int, week: int, prefix: str):
        self.rng = random.Random(client * 7919 + week)
        self.client, self.prefix, self.serial = client, prefix, 0
        self.first = data.FIRST_DAY + timedelta(days=7 * (week - 1))
        self.stores = [data.store_number(n) for n in range(0, 10_450, 7)]

    def next(self) -> tuple[str, bytes]:
        self.serial += 1
        rng = self.rng
        ref = f"{self.prefix}-{self.client:02d}-{self.serial:07d}"
        moment = datetime.combine(self.first, datetime.min.time()) + timedelta(
            days=rng.randrange(7),
            hours=rng.choice((11, 12, 13, 17, 18, 19, 20)),
            seconds=rng.randrange(3600),
        )
        body = {
            "ref": ref,
            "customer": data.customer_id(rng.randrange(LIVE_CUSTOMERS)),
            "business_number": rng.choice(self.stores),
            "amount": rng.randrange(200, 800) * 100,  # 20,000 to 79,900 won: every one earns
            "method": rng.choice(("card", "mobile")),
            "paid_at": moment.isoformat() + "+09:00",
        }
        return ref, json.dumps(body).encode()


def load(port: int, token: str, *, clients: int, seconds: float, week: int, prefix: str):
    """`clients` threads, each on its own keep-alive connection, posting until time is up."""
    path = f"/api/v1/cashback/campaigns/{LIVE_CAMPAIGN}/payments/"
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    figures = LoadFigures(seconds=seconds)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        maker = PaymentMaker(n, week, prefix)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, statuses, created, errors = [], Counter(), [], Counter()
        start.wait()
        deadline = started + seconds
        while time.perf_counter() < deadline:
            ref, body = maker.next()
            began = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            latencies.append(time.perf_counter() - began)
            statuses[response.status] += 1
            if response.status == 201:
                created.append(ref)
        conn.close()
        with lock:
            figures.latencies.extend(latencies)
            figures.statuses.update(statuses)
            figures.created.extend(created)
            figures.errors.update(errors)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    start.wait()
    for worker in workers:
        worker.join()
    # Requests still in flight at the deadline finish after it: count the time they took.
    figures.seconds = max(seconds, time.perf_counter() - started)
    return figures


def one_request_profile(token: str):
    """The queries of one payment request, the server's execution time of each of its plain
    SELECTs (EXPLAIN ANALYZE), and the median time of 100 in-process requests."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    maker = PaymentMaker(99, 3, "profile")
    path = f"/api/v1/cashback/campaigns/{LIVE_CAMPAIGN}/payments/"

    def post():
        response = client.post(path, maker.next()[1], content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"in-process request answered {response.status_code}")

    post()  # warm caches and the connection
    with CaptureQueriesContext(connection) as queries:
        post()
    captured = [q["sql"].strip() for q in queries.captured_queries]
    samples = []
    for _n in range(100):
        began = time.perf_counter()
        post()
        samples.append((time.perf_counter() - began) * 1000)
    explained = []
    for statement in captured:
        if statement.startswith("SELECT") and "FOR UPDATE" not in statement:
            plan = sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")[0][0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            explained.append(plan[0]["Execution Time"])
        else:
            explained.append(None)
    return len(captured), captured, statistics.median(samples), explained


@dataclass
class Invariants:
    overspent_weeks: int
    customers_over_cap: int
    duplicate_refs: int
    recorded: int
    acknowledged: int
    ledger_disagreements: list[str]
    race: dict

    @property
    def ok(self) -> bool:
        return (
            not self.overspent_weeks
            and not self.customers_over_cap
            and not self.duplicate_refs
            and self.recorded == self.acknowledged
            and not self.ledger_disagreements
        )


def invariants(campaign, acknowledged: int, race_week: int) -> Invariants:
    from cashback.selectors import ledger_disagreements

    overspent = sql(
        "SELECT count(*) FROM cashback_campaignweek WHERE campaign_id = %s AND granted > budget",
        [campaign.pk],
    )[0][0]
    over_cap = sql(
        "SELECT count(*) FROM (SELECT e.week_id, e.customer FROM cashback_ledgerentry e "
        "JOIN cashback_campaignweek w ON w.id = e.week_id WHERE w.campaign_id = %s "
        "GROUP BY e.week_id, e.customer, w.cap HAVING sum(e.amount) > w.cap) x",
        [campaign.pk],
    )[0][0]
    duplicates = sql(
        "SELECT count(*) FROM (SELECT ref FROM cashback_payment WHERE campaign_id = %s "
        "GROUP BY ref HAVING count(*) > 1) x",
        [campaign.pk],
    )[0][0]
    recorded = sql(
        "SELECT count(*) FROM cashback_payment "
        "WHERE campaign_id = %s AND ref NOT LIKE 'profile-%%'",
        [campaign.pk],
    )[0][0]
    budget, granted, exhausted_at, grants, partial, refused = sql(
        "SELECT w.budget, w.granted, w.exhausted_at, "
        "count(p.id) FILTER (WHERE p.cashback > 0), "
        "count(p.id) FILTER (WHERE p.reason = 'partial'), "
        "count(p.id) FILTER (WHERE p.reason = 'budget_exhausted') "
        "FROM cashback_campaignweek w LEFT JOIN cashback_payment p ON p.week_id = w.id "
        "WHERE w.campaign_id = %s AND w.number = %s GROUP BY w.id",
        [campaign.pk, race_week],
    )[0]
    race = {
        "budget": budget,
        "granted": granted,
        "exhausted_at": exhausted_at,
        "grants": grants,
        "partial": partial,
        "budget_exhausted": refused,
    }
    return Invariants(
        overspent,
        over_cap,
        duplicates,
        recorded,
        acknowledged,
        ledger_disagreements(campaign),
        race,
    )


@dataclass
class LiveFigures:
    api: LoadFigures
    api_activity: Counter
    race: LoadFigures
    pg: PgbenchFigures
    pg_request: PgbenchFigures
    queries: int
    query_list: list[str]
    explained: list[float | None]
    in_process_ms: float
    checks: Invariants
    workers: int
    threads: int


def run_live(args, office, live, spent_by_pgbench) -> LiveFigures:
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    from cashback.models import CampaignWeek
    from registry.models import Store

    say(f"\n== Live API == (load average {load_average()})")
    token = operator_token(office)
    db = settings.DATABASES["default"]
    workdir = Path(tempfile.mkdtemp(prefix="golmok-bench-cashback-"))
    port = free_port()
    log = workdir / "gunicorn.log"
    try:
        with gunicorn(port, args.workers, args.threads, log) as server:
            wait_ready(port, token, server, log)
            say(
                f"gunicorn {WSGI_APP} on 127.0.0.1:{port}, "
                f"{args.workers} workers × {args.threads} threads"
            )
            warm = load(port, token, clients=args.clients, seconds=3, week=1, prefix="warm")
            sql("CHECKPOINT")
            with ActivitySampler(db) as activity:
                api = load(
                    port, token, clients=args.clients, seconds=args.duration, week=1, prefix="live"
                )
            say(
                f"API: {api.requests:,} requests in {api.seconds:.1f} s = {api.rate:.0f} req/s, "
                f"p50 {api.percentile(50) * 1000:.1f} ms, p99 {api.percentile(99) * 1000:.1f} ms"
            )
            race = load(port, token, clients=args.clients, seconds=5, week=2, prefix="race")
            say(f"race for week 2's {RACE_BUDGET:,} won: {race.requests:,} requests")
        sql(
            "CREATE TABLE bench_pgbench_ledger (id bigserial PRIMARY KEY, "
            "week_id bigint NOT NULL REFERENCES cashback_campaignweek (id), "
            "customer text NOT NULL, amount bigint NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
        runs = {}
        eligible = list(Store.objects.order_by("pk").values_list("pk", flat=True)[:10_450])
        operator = Token.objects.get(key=token).user
        plan = (
            ("grant", GRANT_SCRIPT, 1, args.duration),
            ("request", REQUEST_SCRIPT, 2, args.diagnostic_duration),
        )
        for name, script, number, seconds in plan:
            sql("CHECKPOINT")
            week = CampaignWeek.objects.get(campaign=spent_by_pgbench, number=number)
            defines = {
                "week": week.pk,
                "number": number,
                "campaign": spent_by_pgbench.pk,
                "customers": LIVE_CUSTOMERS,
                "store_lo": eligible[0],
                "store_hi": eligible[-1],
                "office": office.pk,
                "code": PGBENCH_CAMPAIGN,
                "token": token,
                "user": operator.pk,
            }
            runs[name] = run_pgbench(
                name,
                script,
                defines,
                db=db,
                clients=args.clients,
                seconds=seconds,
                workdir=workdir,
            )
            done = runs[name]
            say(f"pgbench {name}: {done.transactions:,} transactions, {done.tps:.0f} tps")
        count, query_list, in_process_ms, explained = one_request_profile(token)
        acknowledged = sum(len(f.created) for f in (warm, api, race))
        checks = invariants(live, acknowledged, race_week=2)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return LiveFigures(
        api,
        activity.counts,
        race,
        runs["grant"],
        runs["request"],
        count,
        query_list,
        explained,
        in_process_ms,
        checks,
        args.workers,
        args.threads,
    )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- Report ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def report_settlement(s: SettlementFigures, settled_checks: list[str]) -> None:
    say("\n== Settlement figures ==")
    rate = s.rows / s.settle_s
    say(f"rows: {s.rows:,}")
    say(
        f"baseline (COPY + one query): {s.baseline_s:.1f} s = {s.rows / s.baseline_s:,.0f} rows/s "
        f"(COPY {s.copy_s:.1f} s, query {s.query_s:.1f} s)"
    )
    say(
        f"schema floor (same rows into the real tables): {s.floor_s:.1f} s; settle_payments is "
        f"{s.settle_s / s.floor_s:.2f}× the floor, the floor {s.floor_s / s.baseline_s:.2f}× "
        "the baseline"
    )
    say(f"settle_payments:            {s.settle_s:.1f} s = {rate:,.0f} rows/s")
    for label, seconds in s.phases:
        say(f"  {label:<55} {seconds:6.1f} s  {seconds / s.settle_s:4.0%}")
    note = " (profiled: not comparable)" if s.profiled else ""
    say(
        f"ratio: {s.ratio:.2f}× (target ≤ {TARGET_SETTLE_RATIO:.0f}×: "
        f"{verdict(s.ratio <= TARGET_SETTLE_RATIO)}){note}"
    )
    say(
        f"memory: RSS {mib(s.rss_before)} before, peak {mib(s.rss_peak)} while settling "
        f"(+{mib(s.rss_peak - s.rss_before)}); ru_maxrss of the process {mib(s.maxrss)}"
    )
    say("RSS at each tenth of the run: " + ", ".join(mib(v) for v in s.rss_deciles))
    a = s.agreement
    say(
        f"agreement with the baseline: {a['matched']:,} payments matched, cashback differs on "
        f"{a['cashback_differs']}, week on {a['week_differs']}, reason on {a['reason_differs']} "
        f"({a['reason_after_exhaustion']} of them budget_exhausted vs weekly_cap_reached); "
        f"totals {a['settled_total']:,} vs {a['baseline_total']:,} won"
    )
    say(f"ledger of the settled campaign: {settled_checks or 'agrees'}")


def report_live(live: LiveFigures) -> None:
    say("\n== Live API figures ==")
    api, pg, request, checks = live.api, live.pg, live.pg_request, live.checks
    share = api.rate / pg.tps
    p99 = api.percentile(99) * 1000
    say(
        f"API ({live.workers} workers × {live.threads} threads, gthread, {api.seconds:.0f} s): "
        f"{api.rate:.0f} req/s, p50 {api.percentile(50) * 1000:.1f} ms, p99 {p99:.1f} ms, "
        f"{api.requests:,} requests, statuses {dict(api.statuses)}, "
        f"errors {dict(api.errors) or 'none'}"
    )
    say(f"  backends during the API run: {ActivitySampler.shares(live.api_activity)}")
    runs = (
        ("grant (UPDATE week + INSERT ledger)", pg),
        ("replica of the request's statements", request),
    )
    for label, run in runs:
        say(
            f"pgbench {label}: {run.tps:.0f} tps, p50 {run.percentile(50) * 1000:.1f} ms, "
            f"p99 {run.percentile(99) * 1000:.1f} ms"
        )
        say(f"  backends: {ActivitySampler.shares(run.activity)}")
    say(
        f"API / pgbench grant: {share:.0%} (target ≥ {TARGET_RATE_SHARE:.0%}: "
        f"{verdict(share >= TARGET_RATE_SHARE)}); p99 {p99:.1f} ms "
        f"(target ≤ {TARGET_P99_MS:.0f} ms: {verdict(p99 <= TARGET_P99_MS)}); "
        f"API / pgbench replica of the request: {api.rate / request.tps:.0%}"
    )
    say(
        f"one request in-process (no concurrency): {live.queries} queries, "
        f"median {live.in_process_ms:.1f} ms"
    )
    for n, (statement, ms) in enumerate(zip(live.query_list, live.explained, strict=True), 1):
        server = f"{ms:6.3f} ms" if ms is not None else "        -"
        say(f"  {n:2d}. {server}  {' '.join(statement.split())[:130]}")
    r = checks.race
    say(
        f"race for week 2: budget {r['budget']:,}, granted {r['granted']:,}, "
        f"{r['grants']} grants ({r['partial']} partial), {r['budget_exhausted']} refused "
        f"budget_exhausted, exhausted at {r['exhausted_at']}"
    )
    say(
        f"checks: weeks over budget {checks.overspent_weeks}, customers over the cap "
        f"{checks.customers_over_cap}, duplicate refs {checks.duplicate_refs}, "
        f"recorded {checks.recorded:,} = acknowledged 201s {checks.acknowledged:,}: "
        f"{checks.recorded == checks.acknowledged}, ledger disagreements "
        f"{checks.ledger_disagreements or 'none'} → {verdict(checks.ok)}"
    )


# --- Main --------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, default=30, help="seconds of each load run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--diagnostic-duration",
        type=int,
        default=15,
        help="seconds of the diagnostic pgbench run (the request's statements)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--profile", action="store_true", help="cProfile the settlement")
    parser.add_argument("--skip-settlement", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    import django
    from django.conf import settings

    name = settings.BENCH_DATABASE_NAME
    database_recreate(name)
    django.setup()
    from django.core.management import call_command

    from cashback.selectors import ledger_disagreements

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="golmok-bench-cashback-file-"))
    path = str(workdir / "payments.csv")
    generator = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.cashback_data",
            path,
            "--payments",
            str(args.payments),
            "--seed",
            str(args.seed),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        call_command("migrate", verbosity=0)
        office, stores, registrations = build_registry()
        reference, live, spent_by_pgbench = campaigns_create(office)
        generated, _err = generator.communicate()
        if generator.returncode:
            raise RuntimeError("the payment file could not be written")
        sql("VACUUM ANALYZE")
        say(
            f"Database {name}: {stores:,} stores, {registrations:,} registrations; file "
            f"{Path(path).stat().st_size / 2**20:.0f} MiB ({generated.strip()}); "
            f"ready in {time.perf_counter() - started:.0f} s"
        )
        if not args.skip_settlement:
            figures = run_settlement(path, reference, live, args.payments, args.profile)
            settled_checks = ledger_disagreements(reference)
            report_settlement(figures, settled_checks)
        Path(path).unlink()
        if not args.skip_live:
            sql("VACUUM ANALYZE")
            live_figures = run_live(args, office, live, spent_by_pgbench)
            report_live(live_figures)
    finally:
        if generator.poll() is None:
            generator.kill()
            generator.wait()
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            database_drop(name)
    say(f"\nTotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
