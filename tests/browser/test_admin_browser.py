"""A clerk's day in the admin, in a real browser."""

import pytest
from playwright.sync_api import expect

from registry.choices import DistrictStatus
from tests.registry.factories import DistrictFactory, DongFactory, OfficeFactory, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_designates_an_application_after_reading_the_criteria(
    live_server, page, screenshot, sign_in
):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    UserFactory(username="clerk", office=office, roles=["clerk"])
    district = DistrictFactory(office=office, name="치평 먹자골목", dongs=[dong])

    sign_in("clerk")
    page.goto(f"{live_server.url}/admin/registry/district/")
    page.click("text=치평 먹자골목")

    criteria = page.locator("ul.golmok-checks li")
    expect(criteria).to_have_count(4)
    expect(page.locator("ul.golmok-checks li.pass")).to_have_count(4)
    screenshot("admin-district")

    page.click(f"a.golmok-tool[href$='/{district.pk}/designate/']")
    expect(page.locator("ul.golmok-checks li")).to_have_count(4)
    page.fill("#id_designation_no", "서구-2026-001")
    page.click("input[name=apply]")

    expect(page.locator(".messagelist .success")).to_have_count(1)
    expect(page.locator(".field-designation_no")).to_contain_text("서구-2026-001")
    expect(page.locator(f"a.golmok-tool[href$='/{district.pk}/certificate/']")).to_be_visible()
    district.refresh_from_db()
    assert district.status == DistrictStatus.DESIGNATED
    assert district.designation_no == "서구-2026-001"
