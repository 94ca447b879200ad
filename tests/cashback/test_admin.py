from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cashback import services
from cashback.models import Campaign, CampaignWeek, PayoutBatch
from cashback.services import PaymentInput
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def manager_client(client, office):
    client.force_login(UserFactory(office=office, roles=["cashback_manager"]))
    return client


def record(campaign, ref, customer="c1", amount=57_300):
    data = PaymentInput.parse(
        ref=ref,
        customer=customer,
        business_number="2208162517",
        amount=amount,
        method="card",
        paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
    )
    return services.payment_record(campaign=campaign, data=data)[0]


def test_a_manager_creates_a_campaign_in_the_admin_with_derived_total(manager_client, office):
    response = manager_client.post(
        reverse("admin:cashback_campaign_add"),
        {
            "code": "spring-2027",
            "name": "봄 캐시백",
            "first_day": "2027-03-05",
            "last_day": "2027-03-18",
            "methods": ["card", "mobile"],
            "minimum": 20_000,
            "rate_bp": 500,
            "weekly_cap": 10_000,
            "weekly_budget": 50_000_000,
            "rounding_unit": 1,
            "total_budget": "",
            "weeks-TOTAL_FORMS": 0,
            "weeks-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(code="spring-2027")
    assert (campaign.office, campaign.total_budget, campaign.weeks.count()) == (
        office,
        100_000_000,
        2,
    )


def test_a_total_that_does_not_add_up_is_shown_on_the_form(manager_client):
    response = manager_client.post(
        reverse("admin:cashback_campaign_add"),
        {
            "code": "x",
            "name": "x",
            "first_day": "2027-03-05",
            "last_day": "2027-03-11",
            "methods": ["card"],
            "minimum": 20_000,
            "rate_bp": 500,
            "weekly_cap": 10_000,
            "weekly_budget": 1_000,
            "rounding_unit": 1,
            "total_budget": 5,
            "weeks-TOTAL_FORMS": 0,
            "weeks-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "total_budget" in response.context["adminform"].form.errors
    assert not Campaign.objects.exists()


def test_the_campaign_page_shows_weeks_with_money_read_only(
    manager_client, alley_pay, eligible_store
):
    record(alley_pay, "r1")
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(
            reverse("admin:cashback_campaign_change", args=[alley_pay.pk])
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2,865" in body
    # Terms are frozen once payments arrived; the page asks that once.
    assert 'name="rate_bp"' not in body
    assert sum('FROM "cashback_payment"' in q["sql"] for q in queries.captured_queries) == 1


def test_payments_are_found_by_exact_ref_or_customer(
    manager_client, alley_pay, eligible_store, django_assert_max_num_queries
):
    for i in range(5):
        record(alley_pay, f"r{i}", customer=f"c{i}")
    url = reverse("admin:cashback_payment_changelist")
    with django_assert_max_num_queries(12):
        response = manager_client.get(url, {"q": "c3"})
    assert [p.ref for p in response.context["cl"].result_list] == ["r3"]
    assert manager_client.get(url, {"q": "r1"}).context["cl"].result_count == 1


def test_another_offices_payments_are_not_listed(client, other_office, alley_pay, eligible_store):
    record(alley_pay, "r1")
    client.force_login(UserFactory(office=other_office, roles=["cashback_manager"]))
    response = client.get(reverse("admin:cashback_payment_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_payout_download_exports_and_confirm_freezes(
    manager_client, alley_pay, eligible_store, clerk
):
    record(alley_pay, "r1")
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_prepare(week=week, user=clerk, today=date(2026, 2, 1))
    csv = manager_client.get(reverse("admin:cashback_payoutbatch_download", args=[batch.pk]))
    assert b"".join(csv.streaming_content).decode() == "customer,amount\r\nc1,2865\r\n"
    batch.refresh_from_db()
    assert batch.status == "exported"
    manager_client.post(
        reverse("admin:cashback_payoutbatch_confirm", args=[batch.pk]), {"confirmed": "yes"}
    )
    assert PayoutBatch.objects.get().status == "confirmed"
    # The frozen week's budget is shown but can no longer be changed on the campaign page.
    page = manager_client.get(reverse("admin:cashback_campaign_change", args=[alley_pay.pk]))
    weeks = page.context["inline_admin_formsets"][0].formset.forms
    assert [f.fields["budget"].disabled for f in weeks[:2]] == [True, False]


def test_money_cannot_be_edited_in_the_payment_admin(manager_client, alley_pay, eligible_store):
    payment = record(alley_pay, "r1")
    response = manager_client.post(
        reverse("admin:cashback_payment_change", args=[payment.pk]), {"cashback": 999_999}
    )
    assert response.status_code in (403, 302, 200)
    payment.refresh_from_db()
    assert payment.cashback == 2_865


def test_confirming_a_payout_first_asks_are_you_sure_and_says_what_it_freezes(
    manager_client, alley_pay, eligible_store, clerk
):
    record(alley_pay, "r1")
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_export(
        batch=services.payout_prepare(week=week, user=clerk, today=date(2026, 2, 1)), user=clerk
    )
    change = reverse("admin:cashback_payoutbatch_change", args=[batch.pk])
    confirm = reverse("admin:cashback_payoutbatch_confirm", args=[batch.pk])

    button = manager_client.get(change).content.decode()
    assert f'<a href="{confirm}" class="golmok-tool">지급 확정</a>' in button

    page = manager_client.get(confirm)
    html = page.content.decode()
    assert page.status_code == 200
    assert "이 지급을 확정하시겠습니까?" in html
    assert "1주차(2026-01-09 ~ 2026-01-15)" in html and "2,865" in html
    assert "확정은 되돌릴 수 없습니다" in html
    assert 'name="confirmed" value="yes"' in html and "예, 지급을 확정합니다" in html
    assert f'href="{change}"' in html
    assert PayoutBatch.objects.get().status == "exported"

    # A POST without the page's "yes" (an old button, a double click) only shows the page.
    again = manager_client.post(confirm)
    assert again.status_code == 200 and "이 지급을 확정하시겠습니까?" in again.content.decode()
    assert PayoutBatch.objects.get().status == "exported"

    done = manager_client.post(confirm, {"confirmed": "yes"})
    assert done.status_code == 302 and done.url == change
    assert PayoutBatch.objects.get().status == "confirmed"
    week.refresh_from_db()
    assert week.frozen_at is not None


def test_a_draft_or_confirmed_payout_has_no_confirmation_page(
    manager_client, alley_pay, eligible_store, clerk
):
    record(alley_pay, "r1")
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_prepare(week=week, user=clerk, today=date(2026, 2, 1))
    response = manager_client.get(reverse("admin:cashback_payoutbatch_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert PayoutBatch.objects.get().status == "draft"


def _campaign_post(client, campaign, budgets: dict[int, int]) -> dict:
    """The campaign page's form as the browser would send it, with some weeks' budgets set."""
    page = client.get(reverse("admin:cashback_campaign_change", args=[campaign.pk]))
    formset = page.context["inline_admin_formsets"][0].formset
    data = {"name": campaign.name}
    management = formset.management_form
    for name, field in management.fields.items():
        data[f"{formset.prefix}-{name}"] = management.initial.get(name, field.initial)
    for index, form in enumerate(formset.forms):
        week = form.instance
        data[f"{formset.prefix}-{index}-id"] = week.pk
        data[f"{formset.prefix}-{index}-campaign"] = campaign.pk
        data[f"{formset.prefix}-{index}-budget"] = budgets.get(week.number, week.budget)
    return data


def test_budgets_are_raised_on_the_campaign_page_after_payments_but_not_a_frozen_weeks(
    manager_client, alley_pay, eligible_store, clerk
):
    record(alley_pay, "r1")
    batch = services.payout_prepare(
        week=alley_pay.weeks.get(number=1), user=clerk, today=date(2026, 2, 1)
    )
    services.payout_export(batch=batch, user=clerk)
    services.payout_confirm(batch=batch, user=clerk)
    data = _campaign_post(manager_client, alley_pay, {1: 150_000_000, 12: 120_000_000})
    response = manager_client.post(
        reverse("admin:cashback_campaign_change", args=[alley_pay.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    budgets = dict(alley_pay.weeks.values_list("number", "budget"))
    assert (budgets[1], budgets[12]) == (100_000_000, 120_000_000)
    alley_pay.refresh_from_db()
    assert alley_pay.total_budget == 1_420_000_000
