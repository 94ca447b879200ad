"""The weeks' tallies: every write that records, cancels or settles a payment keeps them equal to
the figures counted over the payments and the customers' weeks."""

import importlib
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cashback import services
from cashback.models import CampaignWeek, CustomerWeek, Payment, WeekTally
from cashback.selectors import (
    campaign_week_figures,
    campaign_week_figures_counted,
    ledger_disagreements,
)
from cashback.services import PaymentInput, WeekFrozen, WeekOverride
from cashback.settlement import settle_payments

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
FIRST_DAY = datetime(2026, 1, 9, tzinfo=SEOUL)
HEADER = "ref,customer,business_number,amount,method,paid_at\n"
_refs = iter(range(1, 10**6))
_campaigns = iter(range(10**6))


def pay(campaign, *, customer="c1", amount=57_300, method="card", day=0, ref=None, number=None):
    data = PaymentInput.parse(
        ref=ref or f"t-{next(_refs)}",
        customer=customer,
        business_number=number or "2208162517",
        amount=amount,
        method=method,
        paid_at=FIRST_DAY + timedelta(days=day, hours=12),
    )
    payment, _created = services.payment_record(campaign=campaign, data=data)
    return payment


def cancel(campaign, payment):
    return services.payment_cancel(campaign=campaign, ref=payment.ref)


def settle(campaign, rows):
    text = HEADER + "".join(",".join(str(v) for v in row) + "\n" for row in rows)
    return settle_payments(campaign=campaign, stream=io.StringIO(text))


def week_one(campaign):
    return next(w for w in campaign_week_figures(campaign) if w.week == 1)


def assert_tallies_agree(campaign):
    assert campaign_week_figures(campaign) == campaign_week_figures_counted(campaign)


def statements(queries) -> list[str]:
    """The statements sent, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


# --- Each path ------------------------------------------------------------------------------


def test_a_granted_payment_counts_a_payment_its_purchase_and_a_new_beneficiary(
    alley_pay, eligible_store
):
    pay(alley_pay, customer="c1", amount=57_300)
    pay(alley_pay, customer="c1", amount=20_000)
    pay(alley_pay, customer="c2", amount=10_000)  # below the minimum
    week = week_one(alley_pay)
    assert (week.payments, week.eligible_payments, week.purchase_total, week.beneficiaries) == (
        3,
        2,
        77_300,
        1,
    )
    assert_tallies_agree(alley_pay)


def test_a_payment_is_counted_by_the_last_statement_of_its_transaction(alley_pay, eligible_store):
    granted = pay(alley_pay, customer="c2")
    for write in (
        lambda: pay(alley_pay, amount=57_300),
        lambda: pay(alley_pay, amount=10_000),
        lambda: cancel(alley_pay, granted),
    ):
        with CaptureQueriesContext(connection) as queries:
            write()
        assert statements(queries)[-1].startswith("INSERT INTO cashback_weektally")


def test_a_payment_that_earns_nothing_never_locks_the_weeks_row(alley_pay, eligible_store):
    pay(alley_pay, customer="c1", amount=200_000)  # the whole cap
    with CaptureQueriesContext(connection) as queries:
        pay(alley_pay, customer="c1", amount=57_300)  # weekly_cap_reached
        pay(alley_pay, customer="c2", amount=10_000)  # below_minimum
        pay(alley_pay, customer="c3", method="paper")  # method_not_eligible
    locking_the_week = [
        sql
        for sql in statements(queries)
        if "cashback_campaignweek" in sql
        and (sql.lstrip().startswith(("UPDATE", "WITH")) or "FOR UPDATE" in sql)
    ]
    assert locking_the_week == []
    assert week_one(alley_pay).payments == 4


def test_only_a_transaction_holding_the_weeks_row_counts_in_slot_0(alley_pay, eligible_store):
    """The week's holder must never wait for a slot held by a payment whose COMMIT waits for the
    week's row (its foreign-key checks), so the two never share a slot."""

    def slot_of(write):
        with CaptureQueriesContext(connection) as queries:
            write()
        [sql] = [sql for sql in statements(queries) if "cashback_weektally" in sql]
        return int(sql.split("VALUES (")[1].split(",")[1])

    granted = []
    assert slot_of(lambda: granted.append(pay(alley_pay, customer="c1"))) == 0
    assert slot_of(lambda: pay(alley_pay, customer="c1", amount=400_000)) == 0  # partial
    assert slot_of(lambda: cancel(alley_pay, granted[0])) == 0
    refused = [pay(alley_pay, customer=f"r{i}", amount=10_000) for i in range(16)]
    assert {slot_of(lambda p=p: cancel(alley_pay, p)) for p in refused} == set(range(1, 16))
    pay(alley_pay, customer="c2", amount=400_000)  # the whole cap
    assert slot_of(lambda: pay(alley_pay, customer="c2", amount=400_000)) != 0  # cap reached


def test_payments_outside_the_campaign_have_no_tally(alley_pay, eligible_store):
    pay(alley_pay, day=-3)
    assert not WeekTally.objects.exists()
    assert_tallies_agree(alley_pay)


def test_a_cancellation_takes_the_payment_back_out_and_again_changes_nothing(
    alley_pay, eligible_store
):
    first = pay(alley_pay, customer="c1", amount=57_300)
    second = pay(alley_pay, customer="c1", amount=40_000)
    refused = pay(alley_pay, customer="c2", amount=10_000)
    cancel(alley_pay, first)
    # c1 still holds the second payment's cashback, so c1 is still a beneficiary.
    assert (week_one(alley_pay).payments, week_one(alley_pay).beneficiaries) == (2, 1)
    cancel(alley_pay, second)
    cancel(alley_pay, second)
    cancel(alley_pay, refused)
    cancel(alley_pay, refused)
    week = week_one(alley_pay)
    assert (week.payments, week.eligible_payments, week.purchase_total, week.beneficiaries) == (
        0,
        0,
        0,
        0,
    )
    assert_tallies_agree(alley_pay)
    assert ledger_disagreements(alley_pay) == []


def test_a_payment_cut_by_the_budget_counts_as_eligible_and_one_refused_does_not(
    office, clerk, eligible_store
):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="small",
        name="small",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=3_500,
    )
    for customer in ("a", "b", "c"):
        pay(campaign, customer=customer, amount=40_000)  # 2,000 won each: full, partial, none
    week = week_one(campaign)
    assert (week.payments, week.eligible_payments, week.purchase_total, week.beneficiaries) == (
        3,
        2,
        80_000,
        2,
    )
    assert_tallies_agree(campaign)


def test_a_refused_change_to_a_frozen_week_leaves_its_tally_as_it_was(
    alley_pay, eligible_store, clerk
):
    payment = pay(alley_pay)
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_prepare(week=week, user=clerk, today=date(2026, 1, 16))
    services.payout_export(batch=batch, user=clerk)
    services.payout_confirm(batch=batch, user=clerk)
    before = campaign_week_figures(alley_pay)
    with pytest.raises(WeekFrozen):
        cancel(alley_pay, payment)
    with pytest.raises(WeekFrozen):
        pay(alley_pay, customer="late")
    with pytest.raises(WeekFrozen):
        pay(alley_pay, customer="late", amount=10_000)
    assert campaign_week_figures(alley_pay) == before
    assert_tallies_agree(alley_pay)


def test_a_settled_file_is_counted_in_one_slot_per_week_with_the_live_payments(
    alley_pay, eligible_store
):
    pay(alley_pay, customer="c1", amount=20_000)
    with CaptureQueriesContext(connection) as queries:
        settle(
            alley_pay,
            [
                ("f1", "c1", "2208162517", 57_300, "card", "2026-01-09T10:00:00"),
                ("f2", "c2", "2208162517", 57_300, "card", "2026-01-10T10:00:00"),
                ("f3", "c3", "2208162517", 10_000, "card", "2026-01-10T11:00:00"),
                ("f4", "c2", "2208162517", 99_999, "card", "2026-01-17T10:00:00"),
                ("f5", "c2", "2208162517", 99_999, "card", "2026-04-03T10:00:00"),
            ],
        )
    tallied = [sql for sql in statements(queries) if "cashback_weektally" in sql]
    assert len(tallied) == 2  # weeks 1 and 2; the payment outside the campaign has no week
    week = week_one(alley_pay)
    assert (week.payments, week.eligible_payments, week.purchase_total, week.beneficiaries) == (
        4,
        3,
        134_600,
        2,
    )
    assert_tallies_agree(alley_pay)


def test_the_weeks_figures_are_read_in_one_query(
    alley_pay, eligible_store, django_assert_num_queries
):
    for customer in range(20):
        pay(alley_pay, customer=f"c{customer}", amount=20_000 if customer % 2 else 10_000)
    with django_assert_num_queries(1):
        figures = campaign_week_figures(alley_pay)
    assert len(figures) == 12
    assert (figures[0].payments, figures[0].eligible_payments) == (20, 10)
    assert WeekTally.objects.count() > 1  # spread over slots, summed on reading


def test_ledger_disagreements_names_a_tally_that_disagrees(alley_pay, eligible_store):
    pay(alley_pay)
    WeekTally.objects.update(purchase_total=1)
    assert ledger_disagreements(alley_pay) == ["week 1: tally purchase_total 1 != counted 57300"]


def test_the_database_refuses_a_slot_out_of_range(alley_pay):
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    for slot in (-1, 16):
        with pytest.raises(IntegrityError), transaction.atomic():
            WeekTally.objects.create(week=week, slot=slot)
    WeekTally.objects.create(week=week, slot=15)
    with pytest.raises(IntegrityError), transaction.atomic():
        WeekTally.objects.create(week=week, slot=15)


# --- Rows written without the services ----------------------------------------------------


def write_without_the_services(campaign):
    """A payment that earned and its customer's week, as a bulk load in SQL would leave them."""
    week = CampaignWeek.objects.get(campaign=campaign, number=2)
    Payment.objects.create(
        campaign=campaign,
        ref=f"bulk-{next(_refs)}",
        customer="bulk",
        business_number="2208162517",
        amount=80_000,
        method="card",
        paid_at=FIRST_DAY + timedelta(days=8),
        week=week,
        cashback=4_000,
        reason="granted",
    )
    CustomerWeek.objects.create(week=week, customer="bulk", held=4_000, cap=week.cap)


def test_the_rebuild_counts_rows_written_without_the_services(alley_pay, eligible_store):
    for customer in range(5):
        pay(alley_pay, customer=f"c{customer}")
    cancel(alley_pay, pay(alley_pay, customer="c9"))
    write_without_the_services(alley_pay)
    assert campaign_week_figures(alley_pay) != campaign_week_figures_counted(alley_pay)
    services.week_tallies_rebuild(campaign=alley_pay)
    assert_tallies_agree(alley_pay)
    assert sorted(WeekTally.objects.values_list("week__number", "slot")) == [(1, 0), (2, 0)]
    pay(alley_pay, customer="after")
    cancel(alley_pay, pay(alley_pay, customer="c1", day=8))
    assert_tallies_agree(alley_pay)


def test_the_rebuild_leaves_other_campaigns_tallies_alone(alley_pay, office, clerk, eligible_store):
    other = services.campaign_create(
        office=office,
        user=clerk,
        code="other",
        name="other",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_000_000,
    )
    pay(other)
    before = list(WeekTally.objects.filter(week__campaign=other).values())
    services.week_tallies_rebuild(campaign=alley_pay)
    assert list(WeekTally.objects.filter(week__campaign=other).values()) == before
    assert not WeekTally.objects.filter(week__campaign=alley_pay).exists()


def test_the_migration_fills_every_campaigns_tallies_from_its_rows(
    alley_pay, office, clerk, eligible_store
):
    other = services.campaign_create(
        office=office,
        user=clerk,
        code="other",
        name="other",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 22),
        weekly_budget=5_000,
    )
    for campaign in (alley_pay, other):
        for customer in range(4):
            pay(campaign, customer=f"c{customer}", day=customer * 3)
        cancel(campaign, pay(campaign, customer="c1"))
        pay(campaign, amount=10_000)
    write_without_the_services(alley_pay)
    WeekTally.objects.all().delete()
    fill = importlib.import_module("cashback.migrations.0005_weektally_from_payments").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    for campaign in (alley_pay, other):
        assert_tallies_agree(campaign)
    assert set(WeekTally.objects.values_list("slot", flat=True)) == {0}


# --- Any mix of payments, cancellations and files -----------------------------------------

# Mostly payments that earn (the simplest draws earn), by several customers, so that customers
# start and stop holding cashback often.
payment = st.tuples(
    st.integers(0, 5),  # customer
    st.sampled_from([0, 1, 0, 1, 2]),  # store: two eligible, one not a member
    st.sampled_from([57_300, 20_000, 99_999, 150_000, 400_000, 10_000]),
    st.sampled_from(["card", "mobile", "card", "paper"]),
    st.integers(-1 * 24 * 60, 15 * 24 * 60),  # minutes from the first day
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), payment),
        # Which payment, counted back from the latest, modulo their number: repeats come often.
        st.tuples(st.just("cancel"), st.integers(0, 1_000)),
        st.tuples(st.just("settle"), st.lists(payment, min_size=1, max_size=6)),
    ),
    min_size=10,
    max_size=30,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps, budget=st.sampled_from([2_500, 7_000, 1_000_000]))
def test_the_tallies_equal_the_counted_figures_after_every_step(
    office, clerk, three_stores, steps, budget
):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code=f"tally-{next(_campaigns)}",
        name="t",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 22),
        weekly_budget=budget,
        week_overrides=[WeekOverride(2, budget=budget * 2, cap=15_000)],
    )
    refs = []

    def row(ref, customer, store, amount, method, minutes):
        paid_at = FIRST_DAY + timedelta(minutes=minutes)
        return (ref, f"c{customer}", three_stores[store].business_number, amount, method, paid_at)

    for index, (kind, arguments) in enumerate(steps):
        if kind == "pay":
            ref, customer, number, amount, method, paid_at = row(f"p{index}", *arguments)
            data = PaymentInput.parse(
                ref=ref,
                customer=customer,
                business_number=number,
                amount=amount,
                method=method,
                paid_at=paid_at,
            )
            services.payment_record(campaign=campaign, data=data)
            refs.append(ref)
        elif kind == "cancel" and refs:
            services.payment_cancel(campaign=campaign, ref=refs[-1 - arguments % len(refs)])
        elif kind == "settle":
            rows = [row(f"f{index}-{n}", *values) for n, values in enumerate(arguments)]
            settle(campaign, [(*r[:5], r[5].isoformat()) for r in rows])
            refs += [r[0] for r in rows]
        assert_tallies_agree(campaign)
    assert ledger_disagreements(campaign) == []
