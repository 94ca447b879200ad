"""The dashboard in a real browser: staff land on it, it fetches nothing from elsewhere, it passes
an automated accessibility check (axe-core) at desktop and phone width, and a figure leads to
the list it counts."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.dashboard.conftest import populate
from tests.registry.factories import OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def seogu(transactional_db):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    people = populate(office, 4)
    UserFactory(username="supervisor", office=office, roles=["supervisor"])
    people["operator"].username = "operator"
    people["operator"].save()
    return office


def watch_requests(page, live_server) -> list[str]:
    elsewhere = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None
        ),
    )
    return elsewhere


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_supervisor_lands_on_the_dashboard_and_follows_a_figure(
    seogu, live_server, page, sign_in, screenshot, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    elsewhere = watch_requests(page, live_server)
    sign_in("supervisor")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator("h1")).to_have_text("광주광역시 서구 대시보드")
    expect(page.locator(".dashboard svg.chart")).to_have_count(8)
    assert violations(page) == []
    screenshot("dashboard-supervisor" + ("-phone" if viewport else ""), docs=False)
    card = page.locator("#figure-stores_member")
    value = card.locator(".dashboard-value").inner_text()
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/registry/store/\?.*district=any"))
    expect(page.locator("#changelist-form .paginator")).to_contain_text(value)
    assert elsewhere == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_an_operator_sees_the_hotline_and_own_work(
    seogu, live_server, page, sign_in, screenshot, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    elsewhere = watch_requests(page, live_server)
    sign_in("operator")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator("#pending-title")).to_have_text("내 처리 업무")
    expect(page.locator("#hotline-title")).to_be_visible()
    expect(page.locator("#registry-title")).to_have_count(0)
    assert violations(page) == []
    screenshot("dashboard-operator" + ("-phone" if viewport else ""), docs=False)
    page.locator(".dashboard-card").filter(has_text="내가 처리 중인 민원").get_by_role(
        "link"
    ).click()
    expect(page).to_have_url(re.compile(r"/admin/hotline/case/\?assignee=me&open=yes"))
    assert elsewhere == []
