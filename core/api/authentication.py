"""API token authentication under the sign-in lockout (SPEC 8).

A wrong token is a failed sign-in like a wrong password: it is announced with Django's
`user_login_failed` signal, which django-axes counts (against the address: a wrong token names
no account) and the access log records. While the address is locked, no token is even looked
at, right or wrong, so guessing stops there; the answer is a 429 saying until when.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from core.signin import CHANNEL, CHANNEL_TOKEN, lockout_message, retry_after_seconds

# What axes and the access log are told about a token attempt: no username, and the channel.
TOKEN_CREDENTIALS = {"username": None, CHANNEL: CHANNEL_TOKEN}


class SignInLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class LockoutTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token KEY`, refused while the caller's address is locked."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        django_request = request._request
        if not AxesProxyHandler.is_allowed(django_request, dict(TOKEN_CREDENTIALS)):
            # Refused unread, and recorded as a refusal under the lock (as axes' backend does).
            django_request.axes_locked_out = True
            self._failed(django_request)
            raise self._locked(django_request)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            self._failed(django_request)
            if getattr(django_request, "axes_locked_out", False):
                raise self._locked(django_request) from None
            raise

    def _failed(self, django_request) -> None:
        user_login_failed.send(
            sender=__name__, credentials=dict(TOKEN_CREDENTIALS), request=django_request
        )

    def _locked(self, django_request) -> SignInLocked:
        locked = SignInLocked(lockout_message(django_request, dict(TOKEN_CREDENTIALS)))
        locked.wait = retry_after_seconds(django_request, dict(TOKEN_CREDENTIALS))
        return locked
