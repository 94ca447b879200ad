"""A supervisor follows the links between records in the admin, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.hotline.conftest import intake, seoul
from tests.registry.factories import (
    DesignatedDistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_opens_a_store_and_follows_its_cases_to_the_filtered_case_list(
    live_server, page, screenshot, sign_in
):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    UserFactory(username="supervisor", office=office, roles=["supervisor"])
    operator = UserFactory(username="operator", office=office, roles=["hotline_operator"])
    store = StoreFactory(office=office, dong=dong, trade_name="치평 골목식당")
    district = DesignatedDistrictFactory(office=office, name="치평 먹자골목", dongs=[dong])
    MembershipFactory(store=store, district=district)
    mine = [
        intake(office, operator, store=store, at=seoul(2026, 3, day, 10), category="complaint")
        for day in (2, 3, 4)
    ]
    other = intake(office, operator, store=StoreFactory(office=office, dong=dong))

    sign_in("supervisor")
    page.goto(f"{live_server.url}/admin/registry/store/{store.pk}/change/")
    cases = page.locator("#related-cases")
    expect(cases.locator("h2")).to_have_text("골목경제 119 민원")
    expect(cases).to_contain_text("모두 3건")
    expect(cases.locator(".golmok-related-rows li")).to_have_count(3)
    expect(cases.locator(".golmok-related-rows li").first).to_contain_text(mine[-1].number)
    expect(page.locator("#related-payments")).to_have_count(1)  # supervisors read payments
    screenshot("admin-store-links")

    cases.get_by_role("link", name="목록에서 모두 보기").click()
    expect(page).to_have_url(f"{live_server.url}/admin/hotline/case/?store={store.pk}")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    for case in mine:
        expect(page.locator("#result_list")).to_contain_text(case.number)
    expect(page.locator("#result_list")).not_to_contain_text(other.number)
    expect(page.locator("#changelist-filter")).to_contain_text("치평 골목식당")

    page.get_by_role("link", name=mine[0].number).click()
    links = page.locator(".golmok-record-links")
    expect(links).to_contain_text("연결된 기록")
    links.get_by_role("link", name="치평 먹자골목").click()
    expect(page).to_have_url(f"{live_server.url}/admin/registry/district/{district.pk}/change/")
    expect(page.locator("#related-stores")).to_contain_text("치평 골목식당")
