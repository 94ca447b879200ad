"""An operator logs a phone call on the intake page in a real browser, with the keyboard only."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.clock import local_today
from hotline.models import Case
from tests.registry.factories import (
    DesignatedDistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)


@pytest.fixture
def seogu(live_server):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    UserFactory(username="operator", first_name="이수민", office=office, roles=["hotline_operator"])
    store = StoreFactory(
        office=office,
        dong=dong,
        business_number="2208162517",
        trade_name="치평 골목식당",
        phone="0623334444",
    )
    StoreFactory(office=office, dong=dong, trade_name="치평 분식", business_number="1248100998")
    district = DesignatedDistrictFactory(office=office, name="치평 먹자골목", dongs=[dong])
    MembershipFactory(store=store, district=district)
    return store


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.name")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_operator_logs_a_phone_case_using_only_the_keyboard(
    live_server, page, screenshot, seogu
):
    keys = page.keyboard
    page.goto(f"{live_server.url}/admin/login/?next=/hotline/new/")
    page.focus("#id_username")
    keys.type("operator")
    keys.press("Tab")
    keys.type("pw-golmok-1234")
    keys.press("Enter")
    page.wait_for_url(f"{live_server.url}/hotline/new/")

    # The store search has the focus; channel, caller type and priority start on the usual.
    expect(page.locator("#id_store_query")).to_be_focused()
    expect(page.locator("#id_channel_0")).to_be_checked()  # phone call
    expect(page.locator("input[name=priority][value=normal]")).to_be_checked()

    keys.type("220-81-625")
    options = page.locator("#store-results [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("aria-selected", "true")
    keys.press("Enter")  # picks the highlighted store, does not send the form
    expect(page.locator("#store-chosen")).to_contain_text("치평 먹자골목")
    assert page.input_value("input[name=store]") == str(seogu.pk)

    keys.press("Tab")
    assert focused(page) == "id_caller_name"
    keys.type("김민원")
    keys.press("Tab")
    keys.type("010-9876-5432")
    keys.press("Tab")
    assert focused(page) == "id_category"
    for _ in range(4):  # onnuri, designation, cashback, payment refused
        keys.press("ArrowDown")
    assert page.input_value("#id_category") == "payment_refused"
    keys.press("Tab")
    assert page.evaluate("document.activeElement.value") == "normal"
    keys.press("ArrowLeft")  # normal → high
    expect(page.locator("input[name=priority][value=high]")).to_be_checked()
    keys.press("Tab")
    assert focused(page) == "id_description"
    keys.type("가게에서 온누리 모바일 상품권 결제를 거부함. 오늘 중 확인 요청.")

    violations = Axe().run(page, context="#intake-form")
    assert violations.violations_count == 0, violations.generate_report()
    screenshot("hotline-intake")

    keys.press("Control+Enter")
    expected = f"119-{local_today().year}-000001"
    expect(page.locator("#created-number")).to_have_text(expected)
    expect(page.locator("#id_store_query")).to_be_focused()  # ready for the next call
    assert page.input_value("#id_store_query") == ""

    case = Case.objects.get(number=expected)
    assert (case.channel, case.caller_type, case.category, case.priority) == (
        "phone",
        "merchant",
        "payment_refused",
        "high",
    )
    assert (case.store, case.district.name) == (seogu, "치평 먹자골목")
    assert (case.caller_name, case.caller_phone) == ("김민원", "01098765432")
    assert case.status == "received" and case.created_by.username == "operator"
