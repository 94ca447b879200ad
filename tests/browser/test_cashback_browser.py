"""A cashback manager's week in the admin, in a real browser: payout lists, confirmation and
the budgets that stay open."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from cashback import services
from cashback.models import CampaignWeek, PayoutBatch
from cashback.services import PaymentInput, WeekOverride
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_pays_out_a_week_which_then_freezes_while_others_can_still_be_raised(
    live_server, page, screenshot, sign_in
):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    manager = UserFactory(username="cashback", office=office, roles=["cashback_manager"])
    store = StoreFactory(office=office, business_number="2208162517")
    MembershipFactory(
        store=store, district=DesignatedDistrictFactory(office=office), joined_on=None
    )
    ApprovedAffiliateFactory(store=store, certificate_type="card", approved_on=None)
    campaign = services.campaign_create(
        office=office,
        user=manager,
        code="alleypay-2026",
        name="2026 골목페이 캐시백",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 4, 2),
        weekly_budget=100_000_000,
        week_overrides=[WeekOverride(5, budget=200_000_000)],
    )
    for ref, customer in (("p-1", "c-1"), ("p-2", "c-2")):
        services.payment_record(
            campaign=campaign,
            data=PaymentInput.parse(
                ref=ref,
                customer=customer,
                business_number="2208162517",
                amount=57_300,
                method="card",
                paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
            ),
        )

    sign_in("cashback")

    # Every ended week gets its payout list from the campaign list.
    page.goto(f"{live_server.url}/admin/cashback/campaign/")
    page.check("input.action-select")
    page.select_option("select[name=action]", "prepare_payouts")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .success")).to_contain_text("12")

    # Week 1: download the list for the operator, then confirm it.
    week1 = PayoutBatch.objects.get(week__number=1)
    page.goto(f"{live_server.url}/admin/cashback/payoutbatch/{week1.pk}/change/")
    expect(page.locator(".field-total_won")).to_contain_text("5,730")
    with page.expect_download() as download:
        page.click("text=CSV 내려받기")
    assert download.value.suggested_filename == "payout-alleypay-2026-week01.csv"
    page.reload()
    page.click("a.golmok-tool:has-text('지급 확정')")
    # First the "are you sure?" page, as before a deletion; nothing is frozen yet.
    expect(page.locator("#content-main")).to_contain_text("이 지급을 확정하시겠습니까?")
    expect(page.locator("#content-main")).to_contain_text("되돌릴 수 없습니다")
    assert PayoutBatch.objects.get(pk=week1.pk).status == "exported"
    screenshot("admin-payout-confirm-step")
    page.click("input[type=submit][value='예, 지급을 확정합니다']")
    expect(page.locator(".messagelist .success")).to_contain_text("지급을 확정했습니다")
    expect(page.locator(".field-status")).to_contain_text("확정")
    screenshot("admin-payout-confirmed")

    # On the campaign page week 1 is frozen; week 12's budget can still be raised.
    page.goto(f"{live_server.url}/admin/cashback/campaign/{campaign.pk}/change/")
    expect(page.locator("#id_weeks-0-budget")).to_be_disabled()
    expect(page.locator("#weeks-0 .field-frozen_at")).not_to_have_text("-")
    page.fill("#id_weeks-11-budget", "120000000")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot("admin-campaign-weeks")

    week1_row, week12 = (CampaignWeek.objects.get(campaign=campaign, number=n) for n in (1, 12))
    assert week1_row.frozen_at is not None and week1_row.granted == 5_730
    assert week12.budget == 120_000_000
    campaign.refresh_from_db()
    assert campaign.total_budget == 1_320_000_000
