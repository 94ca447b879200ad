"""The cashback's part of `seed_demo`: Seo-gu's 2026 campaign, settled from a file like a real
operator's, with its ledger, counters and payouts in agreement."""

from datetime import date

import pytest

from cashback import demo
from cashback.models import Campaign, Payment, PayoutBatch
from cashback.selectors import ledger_disagreements
from core.demo import DemoContext, demo_steps
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
AFTER_THE_CAMPAIGN = date(2026, 4, 20)


@pytest.fixture
def ctx(office, eligible_store, monkeypatch):
    """A small campaign: 60 payments a week from 12 customers, so caps and budgets bite."""
    monkeypatch.setattr(demo, "WEEKLY_PAYMENTS", (60,) * 12)
    monkeypatch.setattr(demo, "CUSTOMERS", 12)
    monkeypatch.setattr(demo, "CANCELLED", 5)
    StoreFactory.create_batch(3, office=office)
    UserFactory(username="cashback", office=office, roles=["cashback_manager"])
    return DemoContext(seed=2026, today=AFTER_THE_CAMPAIGN, password="demo", office=office)


def test_the_cashback_step_runs_after_the_registrys(db):
    steps = {step.name: step for step in demo_steps()}
    assert steps["cashback_campaign"].order > steps["merchant_applications"].order


def test_the_campaign_is_settled_with_its_ledger_and_counters_in_agreement(ctx):
    added = demo.campaign_step(ctx)

    campaign = Campaign.objects.get(code=demo.CODE)
    assert campaign.total_budget == 1_400_000_000
    payments = Payment.objects.filter(campaign=campaign)
    assert payments.count() == 720
    assert added == 1 + 720 + 12
    assert payments.filter(status="cancelled").count() == 5
    assert payments.filter(cashback__gt=0).count() > 100
    assert ledger_disagreements(campaign) == []


def test_weeks_1_to_10_are_paid_out_11_is_exported_and_12_waits(ctx):
    demo.campaign_step(ctx)

    batches = PayoutBatch.objects.filter(week__campaign__code=demo.CODE).select_related("week")
    statuses = {b.week.number: b.status for b in batches}
    assert statuses == {**dict.fromkeys(range(1, 11), "confirmed"), 11: "exported", 12: "draft"}
    for batch in batches:
        assert batch.total == batch.week.granted == sum(line.amount for line in batch.lines.all())
        assert batch.customers == batch.lines.count()
        assert (batch.week.frozen_at is not None) == (batch.status == "confirmed")


def test_running_the_demo_again_adds_nothing(ctx):
    demo.campaign_step(ctx)

    assert demo.campaign_step(ctx) == 0
    assert Payment.objects.count() == 720


def test_the_same_seed_gives_the_same_payment_file(ctx):
    demo.campaign_step(ctx)
    campaign = Campaign.objects.get(code=demo.CODE)

    first = demo._payment_file(ctx, campaign)

    assert first == demo._payment_file(ctx, campaign)
    lines = first.splitlines()
    assert lines[0] == "ref,customer,business_number,amount,method,paid_at"
    assert len(lines) == 1 + 720
    assert lines[1].startswith("AP26-0000001,C")
    assert lines[1].endswith("+09:00")
