"""The second factor (SPEC 8): offices may require staff who see personal data to confirm each
sign-in with a TOTP code; the first time, the user registers an authenticator app right after
the password, from a QR code drawn on the server."""

import re
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.choices import AccessAction
from registry import services
from registry.models import AccessLog
from registry.roles import second_factor_required, sees_personal_data
from tests.registry.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SETUP = "/accounts/code/setup/"
VERIFY = "/accounts/code/"
RIGHT = "pw-golmok-1234"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or that many 30-second steps on)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, username: str, next_url: str = "/dashboard/"):
    return client.post(LOGIN, {"username": username, "password": RIGHT, "next": next_url})


@pytest.fixture
def strict_office(db):
    return OfficeFactory(code="29140", name="광주광역시 서구", otp_required=True)


@pytest.fixture
def strict_clerk(strict_office):
    return UserFactory(username="clerk", office=strict_office, roles=["clerk"])


@pytest.fixture
def browser(settings):
    # django-otp's growing wait after a wrong code is tested on its own; here codes come fast.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return Client(REMOTE_ADDR="203.0.113.5")


def enrolled(user) -> TOTPDevice:
    device = services.otp_device_pending(user=user)
    device.confirmed = True
    device.save()
    return device


# --- who is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "sees"),
    [
        (["clerk"], True),
        (["hotline_operator"], True),
        (["auditor"], True),
        (["supervisor"], False),
        (["cashback_manager"], False),
        (["payment_operator"], False),
        ([], False),
    ],
)
def test_the_roles_that_see_personal_data_are_asked_when_the_office_requires_it(
    strict_office, other_office, roles, sees
):
    strict = UserFactory(office=strict_office, roles=roles)
    relaxed = UserFactory(office=other_office, roles=roles)
    assert sees_personal_data(strict) is sees
    assert second_factor_required(strict) is sees
    assert second_factor_required(relaxed) is False


def test_a_superuser_of_a_strict_office_is_asked_and_one_without_an_office_is_not(strict_office):
    assert second_factor_required(UserFactory(office=strict_office, is_superuser=True))
    assert not second_factor_required(UserFactory(office=None, is_superuser=True))


def test_the_office_setting_has_a_korean_name_and_help():
    from registry.models import Office

    field = Office._meta.get_field("otp_required")
    assert str(field.verbose_name) == "로그인 2단계 인증 필수"
    assert "인증 앱" in str(field.help_text)


# --- registering the app after the password ---------------------------------------------------


def test_a_clerk_without_an_app_is_led_to_register_one_after_the_password(strict_clerk, browser):
    signed = sign_in(browser, "clerk")
    assert signed.status_code == 302
    home = browser.get("/dashboard/")
    assert home.status_code == 302
    assert home["Location"].startswith(VERIFY)
    setup = browser.get(home["Location"], follow=True)
    assert setup.redirect_chain[-1][0].startswith(SETUP)
    page = setup.content.decode()
    assert "<svg" in page and "인증 앱 등록용 QR 코드" in page
    assert "http://" not in re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "처음 한 번 다음과 같이 인증 앱을 등록해 주십시오" in page


def test_the_key_shown_is_the_pending_devices_and_stays_until_confirmed(strict_clerk, browser):
    sign_in(browser, "clerk")
    first = browser.get(SETUP).context["secret"]
    again = browser.get(SETUP).context["secret"]
    assert first == again
    assert TOTPDevice.objects.filter(user=strict_clerk, confirmed=False).count() == 1


def test_the_right_code_registers_the_app_and_finishes_the_sign_in(strict_clerk, browser):
    sign_in(browser, "clerk")
    browser.get(SETUP)
    device = TOTPDevice.objects.get(user=strict_clerk)
    done = browser.post(SETUP, {"otp_token": code(device), "next": "/dashboard/"})
    assert (done.status_code, done["Location"]) == (302, "/dashboard/")
    assert browser.get("/dashboard/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    registered = AccessLog.objects.get(action=AccessAction.CHANGE, user=strict_clerk)
    assert "인증 앱 등록" in registered.detail


def test_a_wrong_code_while_registering_is_told_in_korean(strict_clerk, browser):
    sign_in(browser, "clerk")
    browser.get(SETUP)
    wrong = browser.post(SETUP, {"otp_token": "000000"})
    assert wrong.status_code == 200
    assert "코드가 맞지 않습니다" in wrong.content.decode()
    assert browser.get("/dashboard/").status_code == 302
    malformed = browser.post(SETUP, {"otp_token": "12ab"})
    assert "숫자 여섯 자리" in malformed.content.decode()


# --- the code at each sign-in ---------------------------------------------------------------


def test_a_registered_clerk_enters_the_code_after_the_password(strict_clerk, browser):
    device = enrolled(strict_clerk)
    sign_in(browser, "clerk")
    asked = browser.get("/admin/")
    assert asked["Location"] == f"{VERIFY}?{urlencode({'next': '/admin/'})}"
    page = browser.get(asked["Location"])
    assert "Golmok 항목에 표시된 여섯 자리 코드" in page.content.decode()
    assert (
        browser.post(page.request["PATH_INFO"], {"otp_token": code(device), "next": "/admin/"})[
            "Location"
        ]
        == "/admin/"
    )
    assert browser.get("/admin/").status_code == 200


def test_a_code_is_not_taken_twice(strict_clerk, browser):
    device = enrolled(strict_clerk)
    now = code(device)
    sign_in(browser, "clerk")
    assert browser.post(VERIFY, {"otp_token": now}).status_code == 302
    other = Client(REMOTE_ADDR="203.0.113.6")
    sign_in(other, "clerk")
    assert other.post(VERIFY, {"otp_token": now}).status_code == 200


def test_the_admin_the_dashboard_and_the_api_refuse_a_session_that_owes_its_code(
    strict_clerk, browser
):
    enrolled(strict_clerk)
    sign_in(browser, "clerk")
    for url in ("/admin/", "/admin/registry/store/", "/dashboard/", "/hotline/"):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    api = browser.get("/api/v1/offices/")
    assert api.status_code == 403
    assert "인증 앱의 코드" in api.json()["detail"]


def test_a_session_owing_its_code_may_still_sign_out(strict_clerk, browser):
    enrolled(strict_clerk)
    sign_in(browser, "clerk")
    out = browser.post("/admin/logout/")
    assert out.status_code == 200
    assert "_auth_user_id" not in browser.session


def test_a_supervisor_of_the_same_office_and_a_clerk_elsewhere_are_not_asked(
    strict_office, other_office, browser
):
    UserFactory(username="boss", office=strict_office, roles=["supervisor"])
    UserFactory(username="elsewhere", office=other_office, roles=["clerk"])
    for username in ("boss", "elsewhere"):
        client = Client()
        sign_in(client, username)
        assert client.get("/dashboard/").status_code == 200


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(strict_clerk, browser):
    device = enrolled(strict_clerk)
    sign_in(browser, "clerk")
    for _ in range(4):
        assert browser.post(VERIFY, {"otp_token": "000000"}).status_code == 200
    locked = browser.post(VERIFY, {"otp_token": "000000"})
    assert locked.status_code == 429
    assert "5번 실패하여" in locked.content.decode()
    assert "_auth_user_id" not in browser.session
    # The password no longer opens the account for now, from anywhere.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "clerk").status_code == 429
    failures = AccessLog.objects.filter(
        action=AccessAction.LOGIN_FAILED, user=strict_clerk
    ).order_by("id")
    assert [("인증 앱 코드" in row.detail, "잠긴 상태" in row.detail) for row in failures] == [
        *[(True, False)] * 5,
        (False, True),  # the password tried afterwards from elsewhere
    ]
    assert AccessLog.objects.filter(action=AccessAction.LOCKED_OUT, user=strict_clerk).exists()
    assert device.confirmed


def test_signing_in_and_the_code_are_both_in_the_access_log(strict_clerk, browser):
    device = enrolled(strict_clerk)
    sign_in(browser, "clerk")
    browser.post(VERIFY, {"otp_token": code(device)})
    rows = list(AccessLog.objects.filter(user=strict_clerk).order_by("id"))
    assert [row.action for row in rows] == [AccessAction.LOGIN, AccessAction.LOGIN]
    assert "인증 앱 코드로 확인함" in rows[1].detail


def test_an_office_that_starts_requiring_it_asks_from_the_next_sign_in(office, browser):
    UserFactory(username="clerk", office=office, roles=["clerk"])
    sign_in(browser, "clerk")
    assert browser.get("/dashboard/").status_code == 200
    office.otp_required = True
    office.save()
    assert browser.get("/dashboard/").status_code == 200
    browser.post("/admin/logout/")
    sign_in(browser, "clerk")
    assert browser.get("/dashboard/").status_code == 302


def test_the_code_pages_lead_on_whoever_is_not_asked_for_a_code(office, browser):
    UserFactory(username="boss", office=office, roles=["supervisor"])
    sign_in(browser, "boss")
    for page in (VERIFY, SETUP):
        assert browser.get(f"{page}?next=/admin/")["Location"] == "/admin/"
    assert not TOTPDevice.objects.exists()


def test_only_a_superuser_turns_the_second_factor_on_or_off(other_office, superuser):
    clerk = UserFactory(office=other_office, roles=["clerk"])
    url = f"/admin/registry/office/{other_office.pk}/change/"
    as_clerk = Client()
    as_clerk.force_login(clerk)
    assert "otp_required" in as_clerk.get(url).context["adminform"].readonly_fields
    as_root = Client()
    as_root.force_login(superuser)
    assert "otp_required" not in as_root.get(url).context["adminform"].readonly_fields


# --- a lost phone -----------------------------------------------------------------------------


def test_a_superuser_resets_a_lost_authenticator_and_the_clerk_registers_anew(
    strict_clerk, superuser, browser
):
    enrolled(strict_clerk)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        "/admin/registry/user/",
        {"action": "authenticator_reset", "_selected_action": [strict_clerk.pk]},
        follow=True,
    )
    assert "인증 앱 등록을 해제했습니다" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=strict_clerk).exists()
    reset = AccessLog.objects.get(action=AccessAction.CHANGE, object_pk=str(strict_clerk.pk))
    assert reset.user == superuser and "등록 해제" in reset.detail
    sign_in(browser, "clerk")
    assert browser.get(VERIFY, follow=True).redirect_chain[-1][0].startswith(SETUP)


def test_an_auditor_who_reads_users_cannot_reset_their_apps(strict_office, strict_clerk):
    auditor = UserFactory(office=strict_office, roles=["auditor"])
    enrolled(strict_clerk)
    client = Client()
    client.force_login(auditor)
    client.post(
        "/admin/registry/user/",
        {"action": "authenticator_reset", "_selected_action": [strict_clerk.pk]},
    )
    assert TOTPDevice.objects.filter(user=strict_clerk).exists()


def test_after_a_wrong_code_the_next_waits_a_moment_without_counting(
    strict_clerk, browser, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrolled(strict_clerk)
    sign_in(browser, "clerk")
    browser.post(VERIFY, {"otp_token": "000000"})
    waiting = browser.post(VERIFY, {"otp_token": code(device)})
    assert "몇 초 기다리신 후" in waiting.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.LOGIN_FAILED).count() == 1


def test_the_devices_secret_keys_are_not_listed_in_the_admin(superuser):
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
