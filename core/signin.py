"""The sign-in lockout (SPEC 8), on django-axes: what it counts by, and what it tells the user.

After `AXES_FAILURE_LIMIT` failed sign-ins the account and the address trying it are locked for
`AXES_COOLOFF_TIME`. A failure with a username counts against both the username and the
address; a failure without one (a wrong API token) counts against the address alone: counting
it against "no username" would lock every token caller at once.
"""

from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import sign_in_log
from core.choices import AccessAction
from core.sessions import ENDED_BECAUSE, IDLE, TOO_OLD

USERNAME, ADDRESS = "username", "ip_address"


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: by username and, separately, by address; by address alone
    when no username was given."""
    if isinstance(request_or_attempt, HttpRequest):
        username = get_client_username(request_or_attempt, credentials)
    else:
        username = getattr(request_or_attempt, "username", None)
    return [USERNAME, ADDRESS] if username else [ADDRESS]


def lockout_ends_at(request: HttpRequest, credentials: dict | None = None) -> datetime:
    """When the lock on this request's account and address lifts.

    axes keeps one row of failures per username, address and browser, which expires whole
    `AXES_COOLOFF_TIME` after its last failure; a lock lifts once the rows left count fewer
    failures than the limit.
    """
    AxesProxyHandler.update_request(request)
    limit = get_failure_limit(request, credentials)
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    lifts = [
        _lock_lifts(qs.values_list("failures_since_start", "attempt_time"), limit)
        for qs in attempts
    ]
    return max((at for at in lifts if at), default=timezone.now()) + (
        get_cool_off(request) or timedelta(0)
    )


def _lock_lifts(rows, limit: int) -> datetime | None:
    """The last failure of the row whose expiry brings the count under the limit; None when
    the rows do not lock."""
    rows = sorted(rows, key=lambda row: row[1])
    left = sum(failures for failures, _at in rows)
    if left < limit:
        return None
    for failures, at in rows:
        left -= failures
        if left < limit:
            return at
    return None


def lockout_message(request: HttpRequest, credentials: dict | None = None) -> str:
    """The lock explained in a sentence or three: why, until when, and whom to ask."""
    ends_at = timezone.localtime(lockout_ends_at(request, credentials))
    same_day = ends_at.date() == timezone.localdate()
    cool_off = get_cool_off(request) or timedelta(0)
    return _(
        "Signing in failed {limit} times, so this account and the address it was tried from "
        "are locked for {minutes} minutes. Please try again after {time}. If you have "
        "forgotten your password or cannot wait, please contact {contact}."
    ).format(
        limit=get_failure_limit(request, credentials),
        minutes=int(cool_off.total_seconds() // 60),
        time=date_format(ends_at, "H:i" if same_day else "Y-m-d H:i"),
        contact=settings.GOLMOK_ACCOUNT_CONTACT or _("your office's IT department"),
    )


def retry_after_seconds(request: HttpRequest, credentials: dict | None = None) -> int:
    """Seconds until the lock lifts, for a Retry-After header."""
    left = lockout_ends_at(request, credentials) - timezone.now()
    return max(1, int(left.total_seconds()) + 1)


# --- the access log's record of sign-ins (SPEC 8) ---------------------------------------------
# A failed attempt that did not come through the password form says which channel it came by.
CHANNEL = "channel"
CHANNEL_TOKEN, CHANNEL_OTP = "api_token", "authenticator"


def _channel_label(channel: str | None) -> str:
    return {
        CHANNEL_TOKEN: _("API token"),
        CHANNEL_OTP: _("authenticator code"),
    }.get(channel or "", "")


def signed_in(*, request: HttpRequest, user, **kwargs) -> None:
    """`user_logged_in` receiver: the sign-in goes into the access log."""
    sign_in_log(action=AccessAction.LOGIN, username=user.get_username(), user=user, request=request)


def signed_out(*, request: HttpRequest, user, **kwargs) -> None:
    """`user_logged_out` receiver; a session ended for idling or for its age says so."""
    if user is None:
        return
    reason = {
        IDLE: _("ended after a spell without activity"),
        TOO_OLD: _("ended after the longest a session may last"),
    }.get(getattr(request, ENDED_BECAUSE, ""), "")
    sign_in_log(
        action=AccessAction.LOGOUT,
        username=user.get_username(),
        user=user,
        request=request,
        detail=reason,
    )


def sign_in_failed(*, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    """`user_login_failed` receiver: every failure, with the account when it exists.

    An attempt refused because the account or address was already locked (the password was not
    even checked) says so. A lock that this failure began is logged right after it, whichever
    of the two receivers Django calls first.
    """
    username = credentials.get(get_user_model().USERNAME_FIELD) or ""
    notes = [_channel_label(credentials.get(CHANNEL))]
    if request is not None and _refused_while_locked(request):
        notes.append(_("refused: locked"))
    sign_in_log(
        action=AccessAction.LOGIN_FAILED,
        username=username,
        user=_account(username),
        request=request,
        detail=" · ".join(note for note in notes if note),
    )
    if request is not None:
        request.golmok_failure_logged = True
        if (pending := getattr(request, "golmok_lock_pending", None)) is not None:
            _lock_log(request, pending)


def locked_out(*, request: HttpRequest, username: str | None, **kwargs) -> None:
    """axes' `user_locked_out` receiver: the moment a lock begins (not each refusal under it)."""
    if _refused_while_locked(request):
        return
    if getattr(request, "golmok_failure_logged", False):
        _lock_log(request, username or "")
    else:
        request.golmok_lock_pending = username or ""


def _lock_log(request: HttpRequest, username: str) -> None:
    cool_off = get_cool_off(request) or timedelta(0)
    sign_in_log(
        action=AccessAction.LOCKED_OUT,
        username=username,
        user=_account(username),
        request=request,
        detail=_("locked for {minutes} minutes").format(
            minutes=int(cool_off.total_seconds() // 60)
        ),
    )


def _account(username: str):
    if not username:
        return None
    return get_user_model()._default_manager.filter(username=username).first()


def _refused_while_locked(request: HttpRequest) -> bool:
    # axes marks the request locked before the password is checked when it already was; a
    # lock that this very failure began comes with the failure count axes just made.
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
