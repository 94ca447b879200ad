"""Dashboard benchmark: the page and the API at ten times Seo-gu.

Builds, in a PostgreSQL database of its own, Seo-gu at ten times its size: 200,000 stores in
its dongs with districts, memberships and Onnuri registrations (the demo generator), a 12-week
campaign with 1,000,000 payments and 20,000 hotline cases (both written in SQL; the weeks'
tallies are then rebuilt from the payments), plus a second office of 20,000 stores so the office
wall has something to keep out. Then, for a supervisor of Seo-gu (who sees every part), it times
server side (the whole Django request through `django.test.Client`, after warm-up):

- `GET /api/v1/dashboard/` and `GET /dashboard/`, with their query counts;
- each part of the reading on its own (`dashboard_build`'s figures, dongs, districts, business
  types, campaign weeks, hotline), to show where the time goes;
- the same figures computed in plain SQL on the same connection (`RAW_SQL`), and the ratio.

    python -m bench.dashboard [--runs 20] [--keep] [--reuse]

The database (`golmok_bench_dashboard`, or BENCH_DASHBOARD_DATABASE_NAME) is dropped and created
on the server of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/) and dropped
again at the end unless --keep; --reuse measures a kept one again.
"""

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# bench.registry, whose database helpers this reuses, reads its database's name when imported.
os.environ["BENCH_DATABASE_NAME"] = os.environ.get(
    "BENCH_DASHBOARD_DATABASE_NAME", "golmok_bench_dashboard"
)

from bench import registry as common

STORES = 200_000
PAYMENTS = 1_000_000
CASES = 20_000
TARGET_MS = 150


def build() -> None:
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from cashback import services as cashback_services
    from core.clock import local_today
    from registry import roles
    from registry.demo import SEOGU_PROFILE
    from registry.models import Office, User

    call_command("migrate", verbosity=0)
    today = local_today()
    common.office_build(dataclasses.replace(SEOGU_PROFILE, stores=STORES))
    common.office_build(dataclasses.replace(common.profiles()[1], stores=STORES // 10))
    seogu = Office.objects.get(code=SEOGU_PROFILE.code)
    supervisor = User.objects.create(username="bench-supervisor", office=seogu, is_staff=True)
    supervisor.groups.set(Group.objects.filter(name=roles.SUPERVISOR))
    started = time.perf_counter()
    first_day = today - timedelta(days=60)  # running, in its ninth week
    campaign = cashback_services.campaign_create(
        office=seogu,
        user=supervisor,
        code="alleypay-bench",
        name="서구 골목페이 캐시백(10배)",
        first_day=first_day,
        last_day=first_day + timedelta(days=83),
        weekly_budget=2_000_000_000,
    )
    with connection.cursor() as cursor:
        cursor.execute(PAYMENTS_SQL, {"campaign": campaign.pk, "office": seogu.pk, "n": PAYMENTS})
        cursor.execute(HOLDINGS_SQL, {"campaign": campaign.pk})
        # The payments went in without the services, so their weeks' figures are counted once.
        cashback_services.week_tallies_rebuild(campaign=campaign)
        cursor.execute(CASES_SQL, {"office": seogu.pk, "n": CASES, "user": supervisor.pk})
        cursor.execute("VACUUM ANALYZE")
    print(
        f"  {PAYMENTS:,} payments, their customers' weeks and {CASES:,} cases "
        f"in {time.perf_counter() - started:.1f} s"
    )


# Payments spread over the campaign's 84 days, at the office's active stores, by 200,000
# customers; those of 20,000 won or more earn 5% up to 10,000 won; 1% are cancelled.
PAYMENTS_SQL = """
WITH stores AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id, business_number
    FROM registry_store WHERE office_id = %(office)s AND status = 'active'
), counted AS (SELECT count(*) AS total FROM stores),
drawn AS (
    SELECT g, 1 + (hashint4(g) & 2147483647) %% (SELECT total FROM counted) AS pick,
        (100 * (50 + (hashint4(g + 7) & 2147483647) %% 800))::bigint AS amount,
        (hashint4(g + 13) & 2147483647) %% 100 AS method_draw,
        c.first_day::timestamp AT TIME ZONE 'Asia/Seoul'
            + ((hashint4(g + 3) & 2147483647) %% (84 * 86400)) * interval '1 second' AS paid_at
    FROM generate_series(1, %(n)s) AS g, cashback_campaign c WHERE c.id = %(campaign)s
)
INSERT INTO cashback_payment (campaign_id, ref, customer, business_number, store_id, amount,
    method, paid_at, week_id, cashback, reason, status, recorded_at, cancelled_at)
SELECT %(campaign)s, 'bench-' || d.g, 'cust-' || ((hashint4(d.g + 11) & 2147483647) %% 200000),
    s.business_number, s.id, d.amount,
    CASE WHEN d.method_draw < 55 THEN 'card' WHEN d.method_draw < 93 THEN 'mobile' ELSE 'paper' END,
    d.paid_at, w.id,
    CASE WHEN d.amount >= 20000 AND d.method_draw < 93 THEN least(d.amount / 20, 10000) ELSE 0 END,
    CASE WHEN d.method_draw >= 93 THEN 'method_not_eligible'
         WHEN d.amount < 20000 THEN 'below_minimum' ELSE 'granted' END,
    CASE WHEN d.g %% 100 = 0 THEN 'cancelled' ELSE 'recorded' END,
    now(), CASE WHEN d.g %% 100 = 0 THEN now() END
FROM drawn d JOIN stores s ON s.n = d.pick
JOIN cashback_campaignweek w ON w.campaign_id = %(campaign)s
    AND (d.paid_at AT TIME ZONE 'Asia/Seoul')::date BETWEEN w.starts_on AND w.ends_on
"""

HOLDINGS_SQL = """
INSERT INTO cashback_customerweek (week_id, customer, held, cap)
SELECT p.week_id, p.customer, least(sum(p.cashback), max(w.cap)), max(w.cap)
FROM cashback_payment p JOIN cashback_campaignweek w ON w.id = p.week_id
WHERE p.campaign_id = %(campaign)s AND p.status = 'recorded' AND p.cashback > 0
GROUP BY p.week_id, p.customer;
UPDATE cashback_campaignweek w SET granted = least(t.total, w.budget)
FROM (SELECT week_id, sum(cashback) AS total FROM cashback_payment
      WHERE campaign_id = %(campaign)s AND status = 'recorded' GROUP BY week_id) t
WHERE t.week_id = w.id;
"""

# A year of cases: a sixth still open (half of those assigned), the rest resolved or closed.
CASES_SQL = """
INSERT INTO hotline_case (office_id, number, year, serial, channel, caller_type, caller_name,
    caller_phone, business_number, category, priority, description, status, assignee_id,
    referred_department, reply, received_at, response_due, resolution_due, responded_at,
    waited, resolved_at, work_minutes_to_resolve, reopen_count, closed_at, close_reason,
    created_by_id, created_at, updated_at)
SELECT %(office)s, '119-2026-' || lpad(g::text, 6, '0'), 2026, g, 'phone', 'merchant', '', '', '',
    (ARRAY['onnuri_registration','designation','cashback','payment_refused','policy_proposal',
           'consulting','complaint','other'])[1 + g %% 8],
    'normal', '벤치마크 민원', st.status,
    CASE WHEN st.status = 'received' THEN NULL ELSE %(user)s END,
    '', CASE WHEN st.status IN ('resolved', 'closed') THEN '안내함' ELSE '' END,
    r.at, r.at + interval '8 hours', r.at + interval '16 hours',
    CASE WHEN st.status = 'received' THEN NULL ELSE r.at + interval '2 hours' END,
    interval '0', CASE WHEN st.status IN ('resolved', 'closed') THEN r.at + interval '20 hours' END,
    CASE WHEN st.status IN ('resolved', 'closed') THEN 60 + g %% 900 END, 0,
    CASE WHEN st.status = 'closed' THEN r.at + interval '30 hours' END,
    CASE WHEN st.status = 'closed' THEN 'resolved' ELSE '' END,
    %(user)s, r.at, r.at
FROM generate_series(1, %(n)s) AS g
CROSS JOIN LATERAL (SELECT now() - ((%(n)s - g) * interval '26 minutes') AS at) r
CROSS JOIN LATERAL (SELECT CASE
    WHEN g > %(n)s - %(n)s / 12 THEN 'received'
    WHEN g > %(n)s - %(n)s / 6 THEN 'assigned'
    WHEN g %% 3 = 0 THEN 'closed' ELSE 'resolved' END AS status) st
"""

# The same figures in plain SQL: what the database alone needs for the whole dashboard.
RAW_SQL = [
    (
        "districts",
        """SELECT count(*) FILTER (WHERE status = 'designated'),
                  count(*) FILTER (WHERE status = 'applied'),
                  count(*) FILTER (WHERE status = 'designated' AND certificate_issued_at IS NULL)
           FROM registry_district WHERE office_id = %(office)s""",
    ),
    (
        "stores by dong and type",
        """SELECT s.dong_id, s.ksic_code, count(*),
                  count(*) FILTER (WHERE m.store_id IS NOT NULL),
                  count(*) FILTER (WHERE a.store_id IS NOT NULL)
           FROM registry_store s
           LEFT JOIN (SELECT DISTINCT m.store_id FROM registry_membership m
                      JOIN registry_district d ON d.id = m.district_id
                      WHERE m.left_on IS NULL AND d.status = 'designated') m
                  ON m.store_id = s.id
           LEFT JOIN (SELECT DISTINCT store_id FROM registry_affiliateregistration
                      WHERE status = 'approved' AND certificate_type IN ('card', 'mobile')) a
                  ON a.store_id = s.id
           WHERE s.office_id = %(office)s AND s.status = 'active'
           GROUP BY s.dong_id, s.ksic_code""",
    ),
    (
        "districts' members",
        """SELECT m.district_id, count(DISTINCT m.store_id)
           FROM registry_membership m JOIN registry_store s ON s.id = m.store_id
           JOIN registry_district d ON d.id = m.district_id
           WHERE d.office_id = %(office)s AND d.status = 'designated' AND m.left_on IS NULL
             AND s.status = 'active'
           GROUP BY m.district_id""",
    ),
    (
        "campaign weeks",
        """SELECT w.id, w.number, w.budget, w.granted, sum(t.payments),
                  sum(t.eligible_payments), sum(t.purchase_total), sum(t.beneficiaries)
           FROM cashback_campaignweek w LEFT JOIN cashback_weektally t ON t.week_id = w.id
           WHERE w.campaign_id = %(campaign)s
           GROUP BY w.id ORDER BY w.number""",
    ),
    (
        "hotline",
        """SELECT category, count(*),
                  count(*) FILTER (WHERE status NOT IN ('resolved', 'closed'))
           FROM hotline_case
           WHERE office_id = %(office)s AND received_at >= now() - interval '90 days'
           GROUP BY category""",
    ),
]


@dataclasses.dataclass
class Timing:
    name: str
    samples: list[float]
    queries: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(name: str, call: Callable, runs: int, warmup: int = 3) -> Timing:
    from django.db import connection

    for _ in range(warmup):
        call()
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(name, samples, len(statements))


def measure(runs: int) -> list[Timing]:
    from django.db import connection
    from django.test import Client

    from cashback.models import Campaign
    from cashback.selectors import campaign_week_figures
    from dashboard.figures import FIGURES, PENDING, figures_for
    from hotline.models import Case
    from hotline.selectors import hotline_dashboard
    from registry.models import District, Office, User
    from registry.selectors import business_type_mix, district_figures, dong_figures

    viewer = User.objects.get(username="bench-supervisor")
    office = Office.objects.get(pk=viewer.office_id)
    campaign = Campaign.objects.get(code="alleypay-bench")
    client = Client()
    client.force_login(viewer)

    def get(url: str) -> Callable:
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    rows = [
        timed("API GET /api/v1/dashboard/", get("/api/v1/dashboard/"), runs),
        timed("page GET /dashboard/", get("/dashboard/"), runs),
        timed("  figures", lambda: figures_for(FIGURES, viewer=viewer, office=office), runs),
        timed("  pending work", lambda: figures_for(PENDING, viewer=viewer, office=office), runs),
        timed("  dongs", lambda: dong_figures(office), runs),
        timed(
            "  districts",
            lambda: district_figures(District.objects.filter(office=office)),
            runs,
        ),
        timed("  business types", lambda: business_type_mix(office), runs),
        timed("  campaign weeks", lambda: campaign_week_figures(campaign), runs),
        timed("  hotline", lambda: hotline_dashboard(Case.objects.filter(office=office)), runs),
    ]

    def raw():
        with connection.cursor() as cursor:
            for _name, sql in RAW_SQL:
                cursor.execute(sql, {"office": office.pk, "campaign": campaign.pk})
                cursor.fetchall()

    rows.append(timed("raw SQL of the same figures", raw, runs))
    for name, sql in RAW_SQL:

        def one(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, {"office": office.pk, "campaign": campaign.pk})
                cursor.fetchall()

        rows.append(timed(f"  raw: {name}", one, runs))
    return rows


def report(rows: list[Timing]) -> None:
    raw = next(r for r in rows if r.name.startswith("raw SQL"))
    print(f"\n{'measurement':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× raw':>7}")
    for row in rows:
        ratio = f"{row.median / raw.median:.1f}" if not row.name.startswith(" ") else ""
        print(
            f"{row.name:<34} {row.median:>10.1f} {row.p95:>8.1f} "
            f"{row.queries if row.queries is not None else '':>8} {ratio:>7}"
        )
    for row in rows[:2]:
        verdict = "met" if row.median <= TARGET_MS else "MISSED"
        print(f"{row.name}: {row.median:.0f} ms against {TARGET_MS} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    common.configure()
    import django

    if not args.reuse:
        common.database_recreate()
    django.setup()
    if not args.reuse:
        started = time.perf_counter()
        build()
        print(f"Built in {time.perf_counter() - started:.0f} s (with VACUUM ANALYZE).")
    try:
        report(measure(args.runs))
    finally:
        if not args.keep:
            common.database_drop()


if __name__ == "__main__":
    main()
