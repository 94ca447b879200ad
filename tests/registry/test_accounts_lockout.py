"""The sign-in lockout (SPEC 8): five failures lock the account and the address for 30 minutes,
at the admin's sign-in page, the authenticator-code page and the API's token check alike."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.choices import AccessAction
from core.signin import _lock_lifts
from registry.models import AccessLog
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RIGHT = "pw-golmok-1234"
API = "/api/v1/offices/"


def fail(client: Client, username: str = "clerk", times: int = 1):
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-guess-1"})
    return response


def sign_in(client: Client, username: str = "clerk"):
    return client.post(LOGIN, {"username": username, "password": RIGHT, "next": "/dashboard/"})


def minutes_pass(minutes: int) -> None:
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=minutes)
    )


def test_four_failures_still_let_the_right_password_in(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert fail(client, times=4).status_code == 200
    assert sign_in(client).status_code == 302


def test_the_fifth_failure_locks_and_the_right_password_is_refused_with_a_korean_page(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail(client, times=4)
    locked = fail(client)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "5번 실패하여" in page and "30분 동안" in page
    assert "이후에 다시 시도해 주십시오" in page
    assert "소속 기관의 정보화 담당 부서에 문의해 주십시오" in page
    assert "nonce" not in re.sub(r"<[^>]*>", "", page)  # no stray markup shown as text
    assert 1 <= int(locked["Retry-After"]) <= 30 * 60 + 1
    refused = sign_in(client)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_names_the_contact_the_office_set(clerk, settings):
    settings.GOLMOK_ACCOUNT_CONTACT = "정보통신과 (062-360-0000)"
    locked = fail(Client(REMOTE_ADDR="203.0.113.5"), times=5)
    assert "정보통신과 (062-360-0000)에 문의해 주십시오" in locked.content.decode()


def test_the_account_is_locked_whichever_address_tries_it(clerk):
    for n in range(5):
        fail(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"))
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7")).status_code == 429
    # Another account from a fresh address is not touched.
    UserFactory(username="operator", office=clerk.office)
    assert sign_in(Client(REMOTE_ADDR="198.51.100.8"), "operator").status_code == 302


def test_the_address_is_locked_whichever_account_it_tries(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(5):
        fail(client, username=f"guess{n}")
    assert sign_in(client).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302


def test_the_lock_lifts_after_thirty_minutes_and_not_before(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail(client, times=5)
    minutes_pass(29)
    assert sign_in(client).status_code == 429
    minutes_pass(2)
    assert sign_in(client).status_code == 302


def test_a_refused_attempt_under_the_lock_does_not_extend_it(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail(client, times=5)
    minutes_pass(20)
    fail(client, times=3)
    minutes_pass(11)
    assert sign_in(client).status_code == 302


def test_a_lock_lifts_once_the_failures_left_fall_under_the_limit():
    t = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    later = t + timedelta(minutes=10)
    assert _lock_lifts([(3, t), (2, later)], 5) == t
    assert _lock_lifts([(2, later), (5, t)], 5) == t
    assert _lock_lifts([(1, t), (5, later)], 5) == later
    assert _lock_lifts([(4, t)], 5) is None
    assert _lock_lifts([], 5) is None


def test_a_spoofed_forwarded_header_does_not_escape_the_lock(clerk, settings):
    settings.GOLMOK_TRUSTED_PROXIES = 0
    for n in range(5):
        fail(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"), f"g{n}")
    spoofed = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert sign_in(spoofed).status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(clerk, settings):
    settings.GOLMOK_TRUSTED_PROXIES = 1
    for n in range(5):
        fail(Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5"), f"g{n}")
    proxy = "10.0.0.2"
    assert sign_in(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")).status_code == 429
    assert (
        sign_in(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")).status_code == 302
    )


def test_every_failure_and_the_lock_are_in_the_access_log(clerk):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail(client, times=5)
    sign_in(client)
    rows = list(AccessLog.objects.order_by("id"))
    assert [row.action for row in rows] == [AccessAction.LOGIN_FAILED] * 5 + [
        AccessAction.LOCKED_OUT,
        AccessAction.LOGIN_FAILED,
    ]
    assert all(row.user == clerk and row.office == clerk.office for row in rows)
    assert all("203.0.113.5" in row.detail and "/admin/login/" in row.detail for row in rows)
    assert "30분 동안 잠금" in rows[5].detail
    assert "잠긴 상태" in rows[6].detail
    assert [str(row.get_action_display()) for row in rows[4:6]] == ["로그인 실패", "로그인 잠금"]


def test_a_failure_for_an_unknown_username_is_logged_with_what_was_typed(db):
    fail(Client(REMOTE_ADDR="203.0.113.5"), username="nobody")
    row = AccessLog.objects.get()
    assert (row.username, row.user, row.office, row.action) == (
        "nobody",
        None,
        None,
        AccessAction.LOGIN_FAILED,
    )


# --- the API's token check -------------------------------------------------------------------


def api(token: str, address: str = "203.0.113.5") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def token(clerk):
    return Token.objects.create(user=clerk).key


def test_four_wrong_tokens_are_401_and_the_fifth_locks_the_address(token):
    for _ in range(4):
        assert api("0" * 40).get(API).status_code == 401
    locked = api("0" * 40).get(API)
    assert locked.status_code == 429
    assert "5번 실패하여" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0
    # While locked, even the right token from that address is not read.
    refused = api(token).get(API)
    assert refused.status_code == 429
    assert "이후에 다시 시도해 주십시오" in refused.json()["detail"]
    # Another address is not touched, nor is the account's password sign-in.
    assert api(token, "198.51.100.7").get(API).status_code == 200
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302


def test_wrong_tokens_and_wrong_passwords_count_together_against_the_address(clerk, token):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail(client, username="someone", times=3)
    api("0" * 40).get(API)
    assert api("0" * 40).get(API).status_code == 429
    assert sign_in(client).status_code == 429


def test_the_token_lock_is_in_the_access_log_after_the_failures_that_began_it(token):
    for _ in range(6):
        api("0" * 40).get(API)
    rows = list(AccessLog.objects.order_by("id"))
    assert [row.action for row in rows] == [
        *[AccessAction.LOGIN_FAILED] * 5,
        AccessAction.LOCKED_OUT,
        AccessAction.LOGIN_FAILED,
    ]
    assert all("203.0.113.5" in row.detail for row in rows)
    assert "잠긴 상태" in rows[-1].detail


def test_a_wrong_token_is_a_failed_sign_in_in_the_access_log(token):
    api("0" * 40).get(API)
    row = AccessLog.objects.get()
    assert row.action == AccessAction.LOGIN_FAILED
    assert "API 토큰" in row.detail and "203.0.113.5" in row.detail
    assert "0" * 40 not in row.detail


def test_the_right_token_is_not_a_sign_in_row_each_time(token):
    assert api(token).get(API).status_code == 200
    assert not AccessLog.objects.filter(action=AccessAction.LOGIN).exists()
