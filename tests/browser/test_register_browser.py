"""A merchant applies from a phone and a clerk approves, in a real browser; the public pages pass
an automated accessibility check (axe-core) with no violations."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from registry import services
from registry.choices import AffiliateStatus, ApplicationStatus
from registry.models import MerchantApplication, Store
from tests.registry.factories import UserFactory
from tests.registry.test_application_support import PDF, PNG, place, submit, throttles_cleared

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _public(settings):
    throttles_cleared()
    settings.GOLMOK_REGISTER_MIN_SECONDS = 0


@pytest.fixture
def seogu(db):
    from tests.registry.factories import DongFactory, OfficeFactory

    office = OfficeFactory(code="29140", name="광주광역시 서구")
    p = place(office)
    DongFactory(office=office, name="양동")
    return p


def accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def fill_application(page, p, number="220-81-62517"):
    page.fill("#id_business_number", number)
    page.fill("#id_trade_name", "치평 국밥")
    page.fill("#id_representative", "김상인")
    page.select_option("#id_business_kind", "56111")
    page.fill("#id_road_address", "광주광역시 서구 상무중앙로 10")
    page.select_option("#id_dong", str(p.dong.pk))
    page.select_option("#id_district", str(p.district.pk))
    page.check("input[name=certificate_types][value=card]")
    page.check("input[name=certificate_types][value=mobile]")
    page.set_input_files(
        "#id_document",
        files=[{"name": "사업자등록증.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill("#id_phone", "010-2345-6789")
    page.check("#id_consent")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_merchant_applies_from_a_phone_and_a_clerk_approves_it(
    live_server, page, screenshot, seogu, sign_in
):
    p = seogu
    UserFactory(username="clerk", office=p.office, roles=["clerk"])
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/register/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    # The business number is checked as it is typed.
    page.fill("#id_business_number", "2208162518")
    expect(page.locator("#number-check")).to_have_class(re.compile("is-error"))
    page.fill("#id_business_number", "2208162517")
    expect(page.locator("#number-check")).to_have_class(re.compile("is-ok"))
    expect(page.locator("#id_business_number")).to_have_value("220-81-62517")
    # Choosing a dong narrows the district list; the other dong has none.
    page.select_option("#id_dong", str(p.other_dong.pk))
    expect(page.locator("#id_district option")).to_have_count(1)
    page.select_option("#id_dong", str(p.dong.pk))
    expect(page.locator("#id_district option")).to_have_count(2)
    # "Other" business type reveals its text field.
    expect(page.locator("#field-business_type_other")).to_be_hidden()
    page.select_option("#id_business_kind", "other")
    expect(page.locator("#field-business_type_other")).to_be_visible()

    fill_application(page, p)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("register-form-phone")
    page.click("button[type=submit].button--primary")

    expect(page).to_have_url(re.compile(r"/register/done/$"))
    number = page.locator("[data-tracking-number]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", number)
    screenshot("register-done-phone")
    application = MerchantApplication.objects.get()
    assert application.tracking_number_display == number
    document = application.documents.get()
    assert document.content_type == "application/pdf"

    page.click("a.button--primary")
    page.fill("#id_tracking_number", number.lower().replace("-", " "))
    page.fill("#id_phone_last_four", "6789")
    screenshot("register-status-lookup-phone")
    page.click("button[type=submit].button--primary")
    expect(page.locator(".status__value")).to_be_visible()
    expect(page.locator(".status--submitted")).to_be_visible()
    screenshot("register-status-phone")

    # A clerk approves it in the admin (same browser, desktop width).
    page.set_viewport_size(DESKTOP)
    sign_in("clerk")
    page.goto(f"{live_server.url}/admin/registry/merchantapplication/")
    screenshot("admin-application-queue")
    page.click("text=치평 국밥")
    expect(page.locator("ul.golmok-checks li.fail")).to_have_count(0)
    expect(page.locator(f"a[href$='/{application.pk}/documents/{document.pk}/']")).to_be_visible()
    screenshot("admin-application")
    page.click(f"a.golmok-tool[href$='/{application.pk}/approve/']")
    page.fill("#id_message", "골목형상점가 가입을 환영합니다.")
    page.click("input[name=apply]")
    expect(page.locator(".messagelist .success")).to_have_count(1)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    store = Store.objects.get(business_number="2208162517")
    assert store.memberships.get(left_on=None).district == p.district
    assert set(store.affiliations.values_list("certificate_type", "status")) == {
        ("card", AffiliateStatus.APPLIED),
        ("mobile", AffiliateStatus.APPLIED),
    }
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/status/application/")
    expect(page.locator(".status--approved")).to_be_visible()
    expect(page.locator(".clerk-message")).to_contain_text("가입을 환영합니다")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_merchant_sends_corrections_with_a_new_photo(live_server, page, screenshot, seogu):
    application = submit(seogu, phone="010-5555-1234")
    services.application_request_changes(
        application=application,
        user=None,
        message="사업자등록증 사진이 흐립니다. 다시 올려 주세요.",
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/status/")
    page.fill("#id_tracking_number", application.tracking_number_display)
    page.fill("#id_phone_last_four", "1234")
    page.click("button[type=submit].button--primary")

    expect(page.locator(".clerk-message")).to_contain_text("사진이 흐립니다")
    screenshot("register-status-changes-phone")
    page.set_input_files(
        "#id_document", files=[{"name": "new.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.fill("#id_note", "선명한 사진으로 다시 올립니다.")
    page.click("form.apply button[type=submit]")

    expect(page.locator(".status--submitted")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.filter(kind="correction").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_errors_are_listed_first_and_tied_to_their_fields(live_server, page, screenshot, seogu):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/")
    page.fill("#id_business_number", "220-81-62518")
    page.click("button[type=submit].button--primary")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_business_number']")).to_have_count(1)
    field = page.locator("#id_business_number")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    assert "id_business_number_error" in described
    expect(page.locator("#id_business_number_error")).to_be_visible()
    screenshot("register-errors-phone")
    # The summary's link takes the keyboard to the field.
    summary.locator("a[href='#id_business_number']").click()
    expect(field).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_works_by_keyboard_alone(live_server, page, seogu):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.name"))
    assert order[:4] == [
        "id_business_number",
        "id_trade_name",
        "id_representative",
        "id_business_kind",
    ]
    assert "website" not in order and "id_website" not in order


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_public_pages_have_no_accessibility_violations(live_server, page, seogu, language):
    p = seogu
    application = submit(p, phone="010-7777-4321")
    services.application_request_changes(application=application, user=None, message="확인 바람")
    page.set_viewport_size(PHONE)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    checked = {}

    page.goto(f"{live_server.url}/register/")
    checked["form"] = accessibility_violations(page)
    page.select_option("#id_business_kind", "other")
    page.click("button[type=submit].button--primary")
    expect(page.locator(".error-summary")).to_be_visible()
    checked["form with errors"] = accessibility_violations(page)
    fill_application(page, p, number="124-81-00998")
    page.click("button[type=submit].button--primary")
    expect(page).to_have_url(re.compile(r"/register/done/$"))
    checked["done"] = accessibility_violations(page)

    page.goto(f"{live_server.url}/register/status/")
    checked["lookup"] = accessibility_violations(page)
    page.fill("#id_tracking_number", "ABCD-2345-EFGH")
    page.fill("#id_phone_last_four", "0000")
    page.click("button[type=submit].button--primary")
    expect(page.locator(".error-summary")).to_be_visible()
    checked["lookup failed"] = accessibility_violations(page)
    page.fill("#id_tracking_number", application.tracking_number_display)
    page.fill("#id_phone_last_four", "4321")
    page.click("button[type=submit].button--primary")
    expect(page.locator(".clerk-message")).to_be_visible()
    checked["status with corrections"] = accessibility_violations(page)

    assert checked == {name: [] for name in checked}
