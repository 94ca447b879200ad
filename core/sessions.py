"""Staff sessions end after a spell without activity, and after a working day at most (SPEC 8).

A sign-in stamps the session with when it began and when it was last used; every request of a
signed-in session moves the last-used stamp on (at most every few seconds, so an active session
is not written on every request). A session found idle for longer than
`GOLMOK_SESSION_IDLE_TIMEOUT` seconds, or older than `SESSION_COOKIE_AGE`, is signed out before
the request goes on, and the sign-in page it is led to says why. Sessions that never signed in
(the merchants' public pages) carry no stamps and are left alone.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "golmok_signed_in_at"
LAST_SEEN = "golmok_last_seen"
# Set on the request while a session is ended for its age, for the access log's sign-out row.
ENDED_BECAUSE = "golmok_session_ended_because"
IDLE, TOO_OLD = "idle", "too_old"


def session_stamp(*, request: HttpRequest, **kwargs) -> None:
    """`user_logged_in` receiver: a new sign-in begins now and was last used now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def session_state(*, signed_in_at: int, last_seen: int, now: int) -> str | None:
    """Why a session must end now (IDLE, TOO_OLD), or None while it may go on."""
    if now - last_seen > settings.GOLMOK_SESSION_IDLE_TIMEOUT:
        return IDLE
    if now - signed_in_at > settings.SESSION_COOKIE_AGE:
        return TOO_OLD
    return None


def _refresh_every() -> float:
    # A tenth of the timeout, at most ten seconds: the session ends at most that much early.
    return min(10, settings.GOLMOK_SESSION_IDLE_TIMEOUT / 10)


class SessionTimeoutMiddleware:
    """Signs out a session that has been idle too long or has lasted too long.

    Sits after the authentication and message middleware: the request goes on as anonymous, so
    a staff page leads to the sign-in page, which shows the message why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is None and SESSION_KEY in request.session:
            # Signed in before the stamps existed: its idle time counts from now.
            session_stamp(request=request)
        elif last_seen is not None:
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT, last_seen)
            ended = session_state(signed_in_at=signed_in_at, last_seen=last_seen, now=now)
            if ended:
                self._end(request, ended)
            elif now - last_seen >= _refresh_every():
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, ended: str) -> None:
        setattr(request, ENDED_BECAUSE, ended)
        logout(request)
        if ended == IDLE:
            minutes = max(1, round(settings.GOLMOK_SESSION_IDLE_TIMEOUT / 60))
            text = _(
                "You were signed out because the system was not used for {minutes} minutes. "
                "Sign in again to go on."
            ).format(minutes=minutes)
        else:
            hours = max(1, round(settings.SESSION_COOKIE_AGE / 3600))
            text = _(
                "You were signed out because {hours} hours have passed since you signed in. "
                "Sign in again to go on."
            ).format(hours=hours)
        messages.warning(request, text)
