"""Registry benchmark: store lists and search at the scale of a metropolitan roll-out.

Builds 100,000 stores across 8 offices (Seo-gu with 20,000, seven others sharing the rest),
with their districts, memberships and Onnuri registrations, in a PostgreSQL database of its
own; runs VACUUM ANALYZE; then times, server side (the whole Django request through
`django.test.Client`, after warm-up), for a clerk of the big office:

- the store admin changelist, and a Korean partial-name search in it (2 and 3 characters);
- `registry.selectors.store_search` called directly;
- the store API list endpoint with 50 rows a page;

each beside the same reads in plain SQL on the same connection, and prints the ratio and the
EXPLAIN ANALYZE of the search. Run it from the project root:

    DJANGO_SETTINGS_MODULE=config.settings.test python -m bench.registry [--runs 30] [--keep]

The database (`golmok_bench`, or BENCH_DATABASE_NAME) is dropped and created on the server of
TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), and dropped again at the end
unless --keep; --reuse measures an existing one without rebuilding it.
"""

import argparse
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "golmok_bench")
BIG_OFFICE_STORES = 20_000
TOTAL_STORES = 100_000
TARGETS_MS = {"search": 20, "list": 150}

OTHER_OFFICES = (
    (
        "29110",
        "광주광역시 동구",
        ("101", "408"),
        (
            "충장동",
            "동명동",
            "계림1동",
            "계림2동",
            "산수1동",
            "산수2동",
            "지산1동",
            "지산2동",
            "서남동",
            "학동",
            "학운동",
            "지원1동",
            "지원2동",
        ),
    ),
    (
        "29155",
        "광주광역시 남구",
        ("408", "410"),
        (
            "양림동",
            "방림1동",
            "방림2동",
            "봉선1동",
            "봉선2동",
            "사직동",
            "월산동",
            "월산4동",
            "월산5동",
            "주월1동",
            "주월2동",
            "효덕동",
            "송암동",
            "대촌동",
            "진월동",
            "백운1동",
        ),
    ),
    (
        "29170",
        "광주광역시 북구",
        ("409",),
        (
            "중흥1동",
            "중흥2동",
            "중앙동",
            "임동",
            "신안동",
            "용봉동",
            "운암1동",
            "운암2동",
            "동림동",
            "우산동",
            "풍향동",
            "문화동",
            "문흥1동",
            "문흥2동",
            "두암1동",
            "두암2동",
            "삼각동",
            "일곡동",
            "매곡동",
            "오치1동",
            "석곡동",
            "건국동",
            "양산동",
            "신용동",
        ),
    ),
    (
        "29200",
        "광주광역시 광산구",
        ("409", "412"),
        (
            "송정1동",
            "송정2동",
            "도산동",
            "신흥동",
            "어룡동",
            "우산동",
            "월곡1동",
            "월곡2동",
            "비아동",
            "첨단1동",
            "첨단2동",
            "신가동",
            "운남동",
            "수완동",
            "하남동",
            "평동",
        ),
    ),
    (
        "11110",
        "서울특별시 종로구",
        ("101", "104"),
        (
            "청운효자동",
            "사직동",
            "삼청동",
            "부암동",
            "평창동",
            "무악동",
            "교남동",
            "가회동",
            "이화동",
            "혜화동",
            "창신1동",
            "창신2동",
            "숭인1동",
            "숭인2동",
        ),
    ),
    (
        "26230",
        "부산광역시 부산진구",
        ("605", "606"),
        (
            "부전1동",
            "부전2동",
            "연지동",
            "초읍동",
            "양정1동",
            "양정2동",
            "전포1동",
            "전포2동",
            "부암1동",
            "당감1동",
            "당감2동",
            "가야1동",
            "가야2동",
            "개금1동",
            "개금2동",
            "범천1동",
        ),
    ),
    (
        "27110",
        "대구광역시 중구",
        ("502", "503"),
        (
            "동인동",
            "삼덕동",
            "성내1동",
            "성내2동",
            "성내3동",
            "대신동",
            "남산1동",
            "남산2동",
            "남산3동",
            "남산4동",
            "대봉1동",
            "대봉2동",
        ),
    ),
)


def configure() -> None:
    """Point Django at the benchmark's own database, with production-like connections."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmark needs PostgreSQL (set TEST_DATABASE_URL).")
    db["NAME"] = BENCH_DB
    db["CONN_MAX_AGE"] = None  # one connection for the run, as a web worker keeps it
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def database_recreate() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def database_drop() -> None:
    import psycopg
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


# --- Building the data -------------------------------------------------------------------


def generic_profile(code, name, tax_offices, dong_names, stores, districts):
    """An office profile for offices the demo does not describe: roads named after dongs."""
    from registry.demo import DongProfile, OfficeProfile

    dongs = []
    for index, dong in enumerate(dong_names):
        stem = dong.removesuffix("동").rstrip("0123456789")
        share = districts // len(dong_names) + (1 if index < districts % len(dong_names) else 0)
        dongs.append(
            DongProfile(
                name=dong,
                places=(stem, f"{stem}시장", f"{stem}사거리"),
                roads=(f"{stem}로", f"{stem}중앙로", f"{stem}길", f"{stem}시장길"),
                districts=share,
                market=f"{stem}시장" if index % 4 == 0 else "",
                commercial=index % 3 == 0,
            )
        )
    return OfficeProfile(
        code=code,
        name=name,
        dongs=tuple(dongs),
        stores=stores,
        applications=False,
        tax_offices=tax_offices,
    )


def profiles():
    from registry.demo import SEOGU_PROFILE

    big = dataclasses.replace(SEOGU_PROFILE, stores=BIG_OFFICE_STORES)
    rest = TOTAL_STORES - BIG_OFFICE_STORES
    each, extra = divmod(rest, len(OTHER_OFFICES))
    others = [
        generic_profile(code, name, tax, dongs, each + (1 if n < extra else 0), 60)
        for n, (code, name, tax, dongs) in enumerate(OTHER_OFFICES)
    ]
    return [big, *others]


def office_build(profile) -> None:
    """One office of the demo generator at the profile's size, with a clerk; prints what it
    added and how long it took."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from core.clock import local_today
    from registry import roles
    from registry.demo import office_plan, office_write
    from registry.models import Office, User
    from registry.services import office_create_or_update

    started = time.perf_counter()
    with transaction.atomic():
        office = office_create_or_update(
            code=profile.code, name=profile.name, dongs=[d.name for d in profile.dongs]
        )
        Office.objects.filter(pk=office.pk).update(min_stores=profile.min_stores)
        clerk = User.objects.create(
            username=f"bench-clerk-{profile.code}", office=office, is_staff=True
        )
        clerk.groups.set(Group.objects.filter(name=roles.CLERK))
        added = office_write(office, office_plan(profile, today=local_today()), clerk=clerk)
    print(
        f"  {profile.code} {profile.name}: {added['stores']:,} stores, "
        f"{added['districts']} districts, {added['memberships']:,} memberships, "
        f"{added['affiliations']:,} registrations in {time.perf_counter() - started:.1f} s"
    )


def build() -> None:
    from django.db import connection

    for profile in profiles():
        office_build(profile)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Measuring ---------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    name: str
    samples: list[float]
    raw: list[float]
    queries: int
    target: int

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94]

    @property
    def raw_median(self) -> float:
        return statistics.median(self.raw)


def timed(function: Callable[[], object], runs: int, warmup: int) -> list[float]:
    for _n in range(warmup):
        function()
    samples = []
    for _n in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_sql(statements: list[tuple[str, list]]) -> Callable[[], None]:
    """The same reads as plain SQL on the same connection: execute and fetch every row."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


STORE_COLUMNS = (
    "s.id, s.office_id, s.business_number, s.trade_name, s.representative, s.phone, "
    "s.road_address, s.dong_id, s.ksic_code, s.business_type, s.is_small_business, "
    "s.in_traditional_market, s.annual_sales, s.opened_on, s.status, s.closed_on, s.created_at"
)
NAME_LIKE = "UPPER(s.trade_name::text) LIKE UPPER(%s)"


def page_sql(office_id: int, where: str = "", params=(), extra_joins: str = "") -> list:
    """A page of 50 stores of the office in name order, with its dong, and the filtered count."""
    condition = f"s.office_id = %s{' AND ' + where if where else ''}"
    return [
        (f"SELECT COUNT(*) FROM registry_store s WHERE {condition}", [office_id, *params]),
        (
            f"SELECT {STORE_COLUMNS}, d.name FROM registry_store s "
            f"JOIN registry_dong d ON d.id = s.dong_id {extra_joins}"
            f"WHERE {condition} ORDER BY s.trade_name, s.id LIMIT 50",
            [office_id, *params],
        ),
    ]


def related_sql(office_id: int) -> list:
    """The page's current districts and live registrations, as the list pages read them."""
    page = "SELECT id FROM registry_store WHERE office_id = %s ORDER BY trade_name, id LIMIT 50"
    return [
        (
            "SELECT m.store_id, t.name FROM registry_membership m "
            "JOIN registry_district t ON t.id = m.district_id "
            f"WHERE m.left_on IS NULL AND m.store_id IN ({page})",
            [office_id],
        ),
        (
            "SELECT a.store_id, a.certificate_type, a.status FROM registry_affiliateregistration a "
            f"WHERE a.status IN ('applied', 'approved') AND a.store_id IN ({page})",
            [office_id],
        ),
    ]


def measure(runs: int, warmup: int) -> tuple[list[Row], list[str], dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registry.constants import SEOGU_CODE
    from registry.models import Office, Store, User
    from registry.selectors import store_search

    office = Office.objects.get(code=SEOGU_CODE)
    clerk = User.objects.get(username=f"bench-clerk-{SEOGU_CODE}")
    client = Client()
    client.force_login(clerk)
    rows, failures, captured = [], [], {}

    def page(name, url, raw, target, **headers):
        def get():
            response = client.get(url, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        try:
            with CaptureQueriesContext(connection) as queries:
                get()
        except Exception as exc:  # a page that is not ready yet is reported, not fatal
            failures.append(f"{name}: {url} could not run ({exc.__class__.__name__}: {exc})")
            return
        # Copied now: the next request empties the connection's query log.
        captured[name] = list(queries.captured_queries)
        count = len(captured[name])
        rows.append(Row(name, timed(get, runs, warmup), timed(raw, runs, warmup), count, target))

    def direct(name, function, raw, target):
        with CaptureQueriesContext(connection) as queries:
            function()
        count = len(queries.captured_queries)
        rows.append(
            Row(name, timed(function, runs, warmup), timed(raw, runs, warmup), count, target)
        )

    big = office.pk
    list_target, search_target = TARGETS_MS["list"], TARGETS_MS["search"]
    page(
        "admin changelist",
        "/admin/registry/store/",
        raw_sql(page_sql(big) + related_sql(big)),
        list_target,
    )
    for q in ("국밥", "칼국수"):
        like = [f"%{q}%"]
        page(
            f"admin search ?q={q}",
            f"/admin/registry/store/?q={q}",
            raw_sql(page_sql(big, NAME_LIKE, like)),
            list_target,  # a changelist page; the search query in it is timed below
        )
        stores = Store.objects.filter(office=office)
        direct(
            f"store_search('{q}')[:50]",
            lambda q=q, stores=stores: list(store_search(stores, q, user=None)[:50]),
            raw_sql(page_sql(big, NAME_LIKE, like)[1:]),
            search_target,
        )
    page(
        "API /api/v1/stores/?page_size=50",
        "/api/v1/stores/?page_size=50",
        raw_sql(page_sql(big) + related_sql(big)),
        list_target,
        HTTP_ACCEPT="application/json",
    )
    page(
        "API search ?q=국밥&page_size=50",
        "/api/v1/stores/?q=국밥&page_size=50",
        raw_sql(page_sql(big, NAME_LIKE, ["%국밥%"])),
        list_target,
        HTTP_ACCEPT="application/json",
    )
    return rows, failures, captured


def explain_search(q: str) -> str:
    from registry.constants import SEOGU_CODE
    from registry.models import Store
    from registry.selectors import store_search

    stores = Store.objects.filter(office__code=SEOGU_CODE)
    queryset = store_search(stores, q, user=None)[:50]
    return queryset.explain(analyze=True, buffers=True)


def explain_captured(queries: list[dict]) -> str | None:
    """EXPLAIN ANALYZE of the page's own list query (the one with LIMIT), as it was sent."""
    from django.db import connection

    for query in queries:
        sql = query["sql"]
        if sql.startswith('SELECT "registry_store"') and "LIMIT" in sql:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                return "\n".join(row[0] for row in cursor.fetchall())
    return None


def report(rows: list[Row], failures: list[str]) -> None:
    print()
    header = (
        f"{'name':<36} {'ms median':>10} {'ms p95':>8} {'raw SQL ms':>11} {'ratio':>6} "
        f"{'queries':>8} {'target':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = "ok" if row.median <= row.target else "SLOW"
        print(
            f"{row.name:<36} {row.median:>10.1f} {row.p95:>8.1f} {row.raw_median:>11.2f} "
            f"{row.median / row.raw_median:>6.1f} {row.queries:>8} {row.target:>5} {verdict}"
        )
    for failure in failures:
        print("NOT RUN " + failure)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measurement")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    args = parser.parse_args(argv)

    configure()
    import django

    if not args.reuse:
        database_recreate()
    django.setup()
    from django.core.management import call_command

    from registry.models import Store

    try:
        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"Building {TOTAL_STORES:,} stores in 8 offices in database {BENCH_DB}:")
            build()
            print(f"Built in {time.perf_counter() - started:.0f} s (with VACUUM ANALYZE).")
        print(f"{Store.objects.count():,} stores; timing {args.runs} runs after {args.warmup}.")
        rows, failures, captured = measure(args.runs, args.warmup)
        report(rows, failures)
        for q in ("국밥", "칼국수"):
            print(f"\nEXPLAIN ANALYZE store_search(q={q!r})[:50] for the big office:")
            print(explain_search(q))
        for name in ("admin search ?q=국밥", "admin changelist"):
            plan = explain_captured(captured.get(name, []))
            if plan:
                print(f"\nEXPLAIN ANALYZE of the list query of {name}:")
                print(plan)
    finally:
        if not args.keep:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
