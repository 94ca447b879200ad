"""The pages that run the most script, under the site's Content-Security-Policy: nothing is
refused (the `page` fixture fails the test on any refusal Chromium reports)."""

import pytest
from playwright.sync_api import expect

from tests.registry.factories import DongFactory, OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_documentation_pages_render_under_the_policy(
    live_server, page, sign_in, csp_expected
):
    # Redoc shows Redocly's logo from its CDN; the policy keeps the page offline by refusing it.
    csp_expected.append("https://cdn.redoc.ly/redoc/logo-mini.svg")
    UserFactory(username="clerk", office=OfficeFactory(code="29140"), roles=["clerk"])
    sign_in("clerk")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Golmok API")
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Golmok API")
    page.wait_for_timeout(1_000)  # Redoc starts its search worker after drawing


def test_admin_forms_with_widgets_render_under_the_policy(live_server, page, sign_in):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    DongFactory(office=office, name="치평동")
    UserFactory(username="root", office=office, is_superuser=True)
    sign_in("root")
    for path in (
        "/admin/registry/district/add/",
        "/admin/registry/store/add/",
        "/admin/registry/office/",
        f"/admin/registry/office/{office.pk}/change/",
        "/admin/registry/user/add/",
        "/hotline/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
