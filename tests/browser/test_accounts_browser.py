"""Signing in, in a real browser (SPEC 8): the lockout page, the end of an idle session, and
registering an authenticator app, all in Korean and all under the site's CSP."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.registry.factories import OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def try_password(page, live_server, password: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_five_wrong_passwords_lock_the_account_and_the_page_says_so_in_korean(
    live_server, page, screenshot
):
    UserFactory(username="clerk", office=OfficeFactory(code="29140"), roles=["clerk"])
    for _ in range(4):
        try_password(page, live_server, "wrong-guess-1")
        expect(page.locator(".errornote")).to_contain_text("비밀번호를 정확히 입력하십시오")
    try_password(page, live_server, "wrong-guess-1")
    notice = page.locator("p.errornote[role=alert]")
    expect(notice).to_contain_text("로그인에 5번 실패하여")
    expect(notice).to_contain_text("30분 동안 잠갔습니다")
    expect(notice).to_contain_text("이후에 다시 시도해 주십시오")
    expect(page.locator("h1")).to_have_text("로그인이 잠겼습니다")
    screenshot("login-locked")
    try_password(page, live_server, "pw-golmok-1234")
    expect(page.locator("p.errornote[role=alert]")).to_contain_text("로그인에 5번 실패하여")


def test_an_idle_session_ends_and_the_sign_in_page_says_why(
    live_server, page, sign_in, settings, screenshot
):
    settings.GOLMOK_SESSION_IDLE_TIMEOUT = 4
    UserFactory(username="clerk", office=OfficeFactory(code="29140"), roles=["clerk"])
    sign_in("clerk")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    page.wait_for_timeout(6_000)
    page.goto(f"{live_server.url}/admin/registry/store/")
    expect(page).to_have_url(f"{live_server.url}/admin/login/?next=/admin/registry/store/")
    expect(page.locator(".messagelist")).to_contain_text(
        "1분 동안 사용하지 않아 로그인이 끝났습니다. 계속하시려면 다시 로그인해 주십시오."
    )
    screenshot("login-after-idle")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-golmok-1234")
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/admin/registry/store/")


def test_a_clerk_registers_an_authenticator_app_after_the_password(
    live_server, page, sign_in, screenshot, settings
):
    office = OfficeFactory(code="29140", name="광주광역시 서구", otp_required=True)
    clerk = UserFactory(username="clerk", office=office, roles=["clerk"])
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in("clerk")
    expect(page).to_have_url(f"{live_server.url}/accounts/code/setup/?next=%2Fdashboard%2F")
    expect(page.locator(".golmok-qr svg")).to_be_visible()
    expect(page.locator(".golmok-secret")).to_be_visible()
    screenshot("otp-setup")
    assert all(url.startswith((live_server.url, "data:")) for url in requests)

    device = TOTPDevice.objects.get(user=clerk)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.fill("#id_otp_token", f"{totp.token():06d}")
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    device.refresh_from_db()
    assert device.confirmed
