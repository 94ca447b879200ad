"""Merchants apply to support programmes from a phone in a real browser: an entitlement programme
(awarded at once) and a competitive one with budget lines added and removed; they see the
tracking number and look the status up. The pages pass axe-core with no violations."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import Application
from tests.programmes.factories import (
    CompetitiveProgrammeFactory,
    DigitDayFactory,
    EntitlementProgrammeFactory,
)
from tests.registry.factories import DongFactory, OfficeFactory, StoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _public():
    cache.clear()


@pytest.fixture
def seogu(db):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    store = StoreFactory(
        office=office,
        dong=dong,
        business_number="2208162517",
        trade_name="치평 나눔협동조합",
        enterprise_type="social_cooperative",
    )
    return office, store


def open_window(factory, office, **fields):
    now = timezone.now()
    return factory(
        office=office,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=20),
        **fields,
    )


def accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def fill_common(page):
    page.fill("#id_business_number", "2208162518")
    expect(page.locator("#number-check")).to_have_class(re.compile("is-error"))
    page.fill("#id_business_number", "2208162517")
    expect(page.locator("#number-check")).to_have_class(re.compile("is-ok"))
    expect(page.locator("#id_business_number")).to_have_value("220-81-62517")
    page.fill("#id_applicant", "김상인")
    page.fill("#id_phone", "010-2345-6789")
    page.fill("#id_annual_sales", "120,000,000")


def look_up(page, live_server, number):
    page.goto(f"{live_server.url}/programmes/status/")
    page.fill("#id_tracking_number", number.lower().replace("-", " "))
    page.fill("#id_phone_last_four", "6789")
    page.click("button[type=submit].button--primary")


def test_a_merchant_applies_to_an_entitlement_programme_from_a_phone(
    live_server, page, screenshot, seogu
):
    office, _store = seogu
    relief = open_window(
        EntitlementProgrammeFactory,
        office,
        code="relief-2026",
        description="고금리·고물가로 어려운 소상공인의 경영 부담을 덜어 드립니다.",
    )
    for offset, digits in ((-30, "16"), (-29, "27")):
        DigitDayFactory(
            programme=relief, day=(relief.closes_at + timedelta(days=offset)).date(), digits=digits
        )
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/programmes/relief-2026/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator(".site-header__office")).to_contain_text("광주광역시 서구")
    expect(page.locator(".digit-days tbody tr")).to_have_count(2)
    assert accessibility_violations(page) == []
    fill_common(page)
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "매출증빙.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("programme-entitlement-phone")
    page.click("[data-send]")

    expect(page).to_have_url(re.compile(r"/programmes/done/$"))
    expect(page.locator("[data-award]")).to_have_text("500,000원")
    expect(page.locator("[data-notice]")).to_contain_text("500,000원이 확정되었습니다")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    assert Application.objects.get().number_display == number
    assert accessibility_violations(page) == []
    screenshot("programme-done-phone")

    look_up(page, live_server, number)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "awarded")
    expect(page.locator(".timeline")).to_contain_text("지원금 500,000원 확정")
    assert accessibility_violations(page) == []
    screenshot("programme-status-phone")


def test_a_social_enterprise_applies_to_a_competitive_programme_with_budget_lines(
    live_server, page, screenshot, seogu
):
    office, _store = seogu
    open_window(
        CompetitiveProgrammeFactory,
        office,
        code="growth-2026",
        description="사회적경제기업의 판로 개척과 사업 개발 비용을 지원합니다.",
        enterprise_types=["social_enterprise", "social_cooperative"],
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/programmes/growth-2026/")
    fill_common(page)
    page.fill(
        "#id_plan", "지역 농산물 공동구매 플랫폼을 만들어 조합원 가게의 식재료 비용을 낮춥니다."
    )
    page.fill("#id_requested", "15,000,000")
    lines = page.locator("[data-line]")
    expect(lines).to_have_count(2)
    page.click("[data-add]")
    expect(lines).to_have_count(3)
    for row, (item, amount) in enumerate(
        [("플랫폼 개발", "10,000,000"), ("홍보물 제작", "3,000,000"), ("교육", "1,000,000")]
    ):
        lines.nth(row).locator("input[name=line_item]").fill(item)
        lines.nth(row).locator("input[name=line_amount]").fill(amount)
    # The browser compares the total with the request as the lines are typed.
    expect(page.locator("#budget-total")).to_have_class(re.compile("is-error"))
    expect(page.locator("#budget-total")).to_contain_text("14,000,000")
    lines.nth(2).locator("[data-remove]").click()
    expect(lines).to_have_count(2)
    lines.nth(0).locator("input[name=line_amount]").fill("12,000,000")
    expect(page.locator("#budget-total")).to_have_class(re.compile("is-ok"))
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_violations(page) == []
    screenshot("programme-competitive-phone")
    page.click("[data-send]")

    expect(page).to_have_url(re.compile(r"/programmes/done/$"))
    application = Application.objects.get()
    assert list(application.budget_lines.values_list("item", "amount")) == [
        ("플랫폼 개발", 12_000_000),
        ("홍보물 제작", 3_000_000),
    ]
    number = page.locator("[data-tracking-number]").inner_text().strip()
    look_up(page, live_server, number)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    assert accessibility_violations(page) == []


def test_a_refusal_is_shown_in_korean_and_takes_the_focus(live_server, page, seogu):
    office, _store = seogu
    open_window(EntitlementProgrammeFactory, office, code="relief-2026")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/programmes/relief-2026/")
    fill_common(page)
    page.fill("#id_annual_sales", "300,000,001")
    page.check("#id_consent")
    page.click("[data-send]")

    refusal = page.locator("[data-refusal]")
    expect(refusal).to_have_attribute("data-refusal", "not_eligible:annual_sales_max")
    expect(refusal).to_contain_text("상한인 300,000,000원을 넘습니다")
    expect(refusal).to_be_focused()
    assert Application.objects.count() == 0
    assert accessibility_violations(page) == []
