"""Staff sessions end after 30 minutes without activity and after a working day at most, and the
sign-in page says why (SPEC 8); the merchants' public pages are not touched."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from core.choices import AccessAction
from core.sessions import IDLE, LAST_SEEN, SIGNED_IN_AT, TOO_OLD, session_state
from registry.models import AccessLog

pytestmark = pytest.mark.django_db


def age(client: Client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    """Make the session look `idle` seconds unused and signed in `since_sign_in` seconds ago."""
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[SIGNED_IN_AT] = now - max(idle, since_sign_in)
    session.save()


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def test_the_defaults_are_thirty_minutes_idle_and_nine_hours_at_most():
    assert django_settings.GOLMOK_SESSION_IDLE_TIMEOUT == 30 * 60
    assert django_settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert django_settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    ("idle", "since", "state"),
    [
        (0, 0, None),
        (1800, 1800, None),
        (1801, 1801, IDLE),
        (60, 9 * 3600, None),
        (60, 9 * 3600 + 1, TOO_OLD),
        (1801, 9 * 3600 + 1, IDLE),
    ],
)
def test_a_session_ends_when_idle_too_long_or_too_old(idle, since, state):
    now = 1_000_000
    assert session_state(signed_in_at=now - since, last_seen=now - idle, now=now) == state


def test_a_session_used_within_thirty_minutes_goes_on(signed_in):
    age(signed_in, idle=29 * 60)
    before = int(time.time())
    assert signed_in.get("/dashboard/").status_code == 200
    assert signed_in.session[LAST_SEEN] >= before  # the clock moved on


def test_an_idle_session_ends_and_the_sign_in_page_says_why_in_korean(signed_in, clerk):
    age(signed_in, idle=31 * 60)
    response = signed_in.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    page = response.content.decode()
    assert "30분 동안 사용하지 않아 로그인이 끝났습니다" in page
    assert "_auth_user_id" not in signed_in.session
    ended = AccessLog.objects.get(action=AccessAction.LOGOUT)
    assert ended.user == clerk and "사용하지 않은 시간이 길어 종료됨" in ended.detail


def test_an_idle_session_on_the_api_is_no_longer_signed_in(signed_in):
    age(signed_in, idle=31 * 60)
    assert signed_in.get("/api/v1/offices/").status_code in (401, 403)


def test_a_session_older_than_a_working_day_ends_even_if_used(signed_in):
    age(signed_in, idle=60, since_sign_in=9 * 3600 + 60)
    response = signed_in.get("/admin/", follow=True)
    assert "로그인한 지 9시간이 지나 로그인이 끝났습니다" in response.content.decode()


def test_the_idle_limit_is_a_setting(signed_in, settings):
    settings.GOLMOK_SESSION_IDLE_TIMEOUT = 5 * 60
    age(signed_in, idle=6 * 60)
    response = signed_in.get("/dashboard/", follow=True)
    assert "5분 동안 사용하지 않아" in response.content.decode()


def test_a_session_signed_in_before_the_stamps_existed_starts_its_clock_now(signed_in):
    session = signed_in.session
    del session[LAST_SEEN], session[SIGNED_IN_AT]
    session.save()
    before = int(time.time())
    assert signed_in.get("/dashboard/").status_code == 200
    assert signed_in.session[LAST_SEEN] >= before


def test_a_public_page_session_carries_no_clock(client, office):
    client.get("/register/")
    assert LAST_SEEN not in client.session


def test_signing_in_and_out_are_in_the_access_log(client, clerk):
    client.post("/admin/login/", {"username": "clerk", "password": "pw-golmok-1234"})
    client.post("/admin/logout/")
    rows = list(AccessLog.objects.filter(user=clerk).order_by("id"))
    assert [row.action for row in rows] == [AccessAction.LOGIN, AccessAction.LOGOUT]
    assert [str(row.get_action_display()) for row in rows] == ["로그인", "로그아웃"]
    assert all(row.office == clerk.office and row.model == "registry.User" for row in rows)
