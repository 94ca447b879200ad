"""Many clients at once, on real PostgreSQL transactions: no overspend, no double record."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cashback import services
from cashback.models import CampaignWeek, CustomerWeek, LedgerEntry, Payment
from cashback.selectors import (
    campaign_week_figures,
    campaign_week_figures_counted,
    ledger_disagreements,
)
from cashback.services import PaymentConflict, PaymentInput, campaigns, payments
from cashback.settlement import settle_payments
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)
from tests.support import paused_race, race

pytestmark = pytest.mark.django_db(transaction=True)
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def setting():
    office = OfficeFactory(code="29140")
    store = StoreFactory(office=office, business_number="2208162517")
    MembershipFactory(
        store=store, district=DesignatedDistrictFactory(office=office), joined_on=None
    )
    ApprovedAffiliateFactory(store=store, approved_on=None)
    return office, UserFactory(office=office)


def campaign(office, user, budget):
    return services.campaign_create(
        office=office,
        user=user,
        code=f"race-{budget}",
        name="race",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=budget,
    )


def post(campaign, ref, customer, amount=20_000):
    data = PaymentInput.parse(
        ref=ref,
        customer=customer,
        business_number="2208162517",
        amount=amount,
        method="card",
        paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
    )
    return lambda: services.payment_record(campaign=campaign, data=data)


def test_sixteen_clients_racing_for_the_last_won_never_overspend(setting):
    office, user = setting
    # 7,500 won: seven full grants of 1,000, one partial of 500, eight refused.
    race_campaign = campaign(office, user, 7_500)
    results = race([post(race_campaign, f"r{i}", f"c{i}") for i in range(16)])
    assert not [r for r in results if isinstance(r, Exception)], results
    week = CampaignWeek.objects.get(campaign=race_campaign)
    assert week.granted == 7_500
    reasons = sorted(p.reason for p in Payment.objects.all())
    assert reasons == ["budget_exhausted"] * 8 + ["granted"] * 7 + ["partial"]
    assert week.exhausted_at is not None
    assert ledger_disagreements(race_campaign) == []


def test_one_customer_racing_at_several_stores_never_passes_the_cap(setting):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)
    results = race([post(race_campaign, f"r{i}", "same", amount=60_000) for i in range(8)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert CustomerWeek.objects.get().held == 10_000
    assert (
        sorted(Payment.objects.values_list("cashback", flat=True))
        == [0] * 4 + [1_000] + [3_000] * 3
    )
    assert ledger_disagreements(race_campaign) == []


def test_the_same_ref_posted_at_once_is_recorded_once(setting):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)
    results = race([post(race_campaign, "same-ref", "c1") for _ in range(6)])
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 1
    created = [r[1] for r in results if isinstance(r, tuple)]
    assert sorted(created) == [False] * 5 + [True]


def test_the_same_ref_with_different_content_at_once_is_one_record_and_conflicts(setting):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)
    results = race([post(race_campaign, "same-ref", f"c{i}") for i in range(4)])
    assert Payment.objects.count() == 1
    assert sum(isinstance(r, PaymentConflict) for r in results) == 3


def test_a_cancellation_racing_new_payments_keeps_every_counter_exact(setting):
    office, user = setting
    race_campaign = campaign(office, user, 3_000)
    for i in range(3):
        post(race_campaign, f"first{i}", f"c{i}")()
    calls = [lambda: services.payment_cancel(campaign=race_campaign, ref="first0")]
    calls += [post(race_campaign, f"late{i}", f"d{i}") for i in range(5)]
    results = race(calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    week = CampaignWeek.objects.get(campaign=race_campaign)
    # The cancelled 1,000 went back to the budget; at most one late payment could take it.
    late_granted = sum(
        Payment.objects.filter(ref__startswith="late").values_list("cashback", flat=True)
    )
    assert late_granted in (0, 1_000)
    assert week.granted == 2_000 + late_granted
    assert ledger_disagreements(race_campaign) == []


def test_many_payments_and_cancellations_at_once_keep_the_weeks_tallies_exact(setting):
    """Thirty-two transactions at once, each ending on one of the week's tally slots: payments
    that earn (until the budget runs out), payments that earn nothing, and cancellations of
    payments that earned and that did not. None deadlocks, and the tallies equal the counts."""
    office, user = setting
    race_campaign = campaign(office, user, 12_500)
    for i in range(4):
        post(race_campaign, f"first{i}", f"c{i}", amount=20_000 if i % 2 else 10_000)()
    calls = [
        lambda i=i: services.payment_cancel(campaign=race_campaign, ref=f"first{i}")
        for i in range(4)
    ]
    calls += [post(race_campaign, f"earn{i}", f"e{i}") for i in range(16)]
    calls += [post(race_campaign, f"small{i}", f"s{i % 4}", amount=10_000) for i in range(8)]
    calls += [post(race_campaign, f"again{i}", f"e{i}") for i in range(4)]
    results = race(calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert campaign_week_figures(race_campaign) == campaign_week_figures_counted(race_campaign)
    [week] = campaign_week_figures(race_campaign)
    assert (week.payments, week.granted) == (28, 12_500)
    assert ledger_disagreements(race_campaign) == []


def test_a_confirmation_racing_new_payments_freezes_the_week_it_paid_out(setting):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)
    for i in range(3):
        post(race_campaign, f"first{i}", f"c{i}")()
    week = CampaignWeek.objects.get(campaign=race_campaign)
    batch = services.payout_prepare(week=week, user=user, today=date(2026, 1, 16))
    services.payout_export(batch=batch, user=user)
    calls = [lambda: services.payout_confirm(batch=batch, user=user)]
    calls += [post(race_campaign, f"late{i}", f"d{i}") for i in range(5)]
    results = race(calls)
    week.refresh_from_db()
    batch.refresh_from_db()
    late = [r for r in results[1:] if isinstance(r, tuple)]
    if batch.status == "confirmed":
        # Whatever came after the confirmation was refused; the paid-out list is the week.
        assert week.frozen_at == batch.confirmed_at
        assert week.granted == batch.total
        refused = [r for r in results[1:] if isinstance(r, services.WeekFrozen)]
        assert len(late) + len(refused) == 5
    else:
        # A payment took the lock first: the list no longer matched and was not confirmed.
        assert isinstance(results[0], ValidationError) and results[0].code == "stale"
        assert week.frozen_at is None and late
    assert week.granted == 3_000 + 1_000 * len(late)
    assert ledger_disagreements(race_campaign) == []


def test_a_file_settled_while_live_payments_wait_for_the_week_never_deadlocks(setting, monkeypatch):
    """A live payment holds its customer's week and waits for the campaign week, which the
    settlement holds while it decides the file, in which the same customer appears. Neither may
    be refused: the settlement waits for the live payment to end first."""
    office, user = setting
    race_campaign = campaign(office, user, 10**9)
    file = "ref,customer,business_number,amount,method,paid_at\n" + "".join(
        f"f{i},{'same' if i == 5 else f'f{i}'},2208162517,20000,card,2026-01-10T13:00:00\n"
        for i in range(10)
    )
    # The live payment pauses with its customer's week locked, about to spend.
    outcomes = paused_race(
        monkeypatch,
        payments,
        "_week_spend",
        post(race_campaign, "live", "same"),
        lambda: settle_payments(campaign=race_campaign, stream=io.StringIO(file)),
    )
    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    assert outcomes["second"].recorded == 10
    same = CustomerWeek.objects.get(customer="same")
    assert same.held == 2_000
    assert ledger_disagreements(race_campaign) == []


def test_a_payment_that_waited_for_a_change_of_terms_is_decided_by_the_new_terms(
    setting, monkeypatch
):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)  # 5 %, loaded here before the change
    # The change pauses holding the campaign's payment gate, about to lock the campaign.
    outcomes = paused_race(
        monkeypatch,
        campaigns,
        "campaign_lock",
        lambda: services.campaign_update(campaign=race_campaign, user=user, rate_bp=1_000),
        post(race_campaign, "waited", "c1"),
    )
    assert not [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
    payment, created = outcomes["second"]
    assert created and outcomes["first"].rate_bp == 1_000
    assert (payment.cashback, payment.reason) == (2_000, "granted")  # 10 % of 20,000


def test_a_budget_raise_and_a_change_of_terms_at_once_never_deadlock(setting, monkeypatch):
    """The raise holds its week and is about to add to the campaign's total; the change of
    terms, which locks the campaign and rebuilds the weeks, waits at the gate until it ends."""
    office, user = setting
    race_campaign = campaign(office, user, 10**6)
    outcomes = paused_race(
        monkeypatch,
        campaigns,
        "campaign_week_lock",
        lambda: services.campaign_budget_raise(
            campaign=race_campaign, user=user, week=1, budget=2 * 10**6
        ),
        lambda: services.campaign_update(campaign=race_campaign, user=user, rate_bp=1_000),
        pause_after=True,
    )
    assert not [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
    assert outcomes["second"].rate_bp == 1_000


def test_a_file_that_waited_for_a_change_of_terms_is_settled_by_the_new_terms(setting, monkeypatch):
    office, user = setting
    race_campaign = campaign(office, user, 10**9)  # 5 %, loaded here before the change
    file = (
        "ref,customer,business_number,amount,method,paid_at\n"
        "f1,c1,2208162517,20000,card,2026-01-10T13:00:00\n"
    )
    outcomes = paused_race(
        monkeypatch,
        campaigns,
        "campaign_lock",
        lambda: services.campaign_update(campaign=race_campaign, user=user, rate_bp=1_000),
        lambda: settle_payments(campaign=race_campaign, stream=io.StringIO(file)),
    )
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    assert Payment.objects.get(ref="f1").cashback == 2_000  # 10 % of 20,000
