from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cashback import services
from cashback.models import CampaignWeek
from cashback.selectors import payout_csv_lines
from cashback.services import PaymentInput, WeekFrozen

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
AFTER = date(2026, 1, 16)


def pay(campaign, ref, customer, amount):
    data = PaymentInput.parse(
        ref=ref,
        customer=customer,
        business_number="2208162517",
        amount=amount,
        method="card",
        paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
    )
    return services.payment_record(campaign=campaign, data=data)[0]


@pytest.fixture
def week_one(alley_pay, eligible_store):
    pay(alley_pay, "a", "cust-b", 57_300)
    pay(alley_pay, "b", "cust-a", 20_000)
    pay(alley_pay, "c", "cust-a", 40_000)
    return CampaignWeek.objects.get(campaign=alley_pay, number=1)


def test_the_payout_lists_each_customers_total_for_the_week(week_one, clerk):
    batch = services.payout_prepare(week=week_one, user=clerk, today=AFTER)
    assert (batch.status, batch.total, batch.customers) == ("draft", 5_865, 2)
    assert "".join(payout_csv_lines(batch)) == "customer,amount\r\ncust-a,3000\r\ncust-b,2865\r\n"


def test_a_week_still_running_cannot_be_paid_out(week_one, clerk):
    with pytest.raises(ValidationError) as exc:
        services.payout_prepare(week=week_one, user=clerk, today=date(2026, 1, 15))
    assert exc.value.code == "week_not_ended"


def test_draft_exported_confirmed_freezes_the_week(alley_pay, week_one, clerk):
    batch = services.payout_prepare(week=week_one, user=clerk, today=AFTER)
    with pytest.raises(ValidationError):
        services.payout_confirm(batch=batch, user=clerk)
    services.payout_export(batch=batch, user=clerk)
    batch = services.payout_confirm(batch=batch, user=clerk)
    assert (batch.status, batch.confirmed_by) == ("confirmed", clerk)
    with pytest.raises(WeekFrozen):
        pay(alley_pay, "late", "cust-c", 20_000)
    with pytest.raises(WeekFrozen):
        services.payment_cancel(campaign=alley_pay, ref="a")
    with pytest.raises(ValidationError):
        services.payout_prepare(week=week_one, user=clerk, today=AFTER)


def test_a_list_made_before_a_late_change_cannot_be_confirmed(alley_pay, week_one, clerk):
    batch = services.payout_prepare(week=week_one, user=clerk, today=AFTER)
    services.payout_export(batch=batch, user=clerk)
    services.payment_cancel(campaign=alley_pay, ref="a")
    with pytest.raises(ValidationError) as exc:
        services.payout_confirm(batch=batch, user=clerk)
    assert exc.value.code == "stale"
    batch = services.payout_prepare(week=week_one, user=clerk, today=AFTER)
    assert (batch.status, batch.total, batch.customers) == ("draft", 3_000, 1)
    services.payout_export(batch=batch, user=clerk)
    services.payout_confirm(batch=batch, user=clerk)
