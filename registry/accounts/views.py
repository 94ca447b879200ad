"""The pages of signing in beyond the password (SPEC 8).

- `otp_verify`: after the password, the six-digit code of the user's authenticator app;
- `otp_setup`: the first time, registering the app from a QR code drawn here as SVG (no request
  leaves the server, and the secret never leaves the page);
- `locked_out`: django-axes' lockout answer (AXES_LOCKOUT_CALLABLE), a page for people and
  JSON for the API.

A wrong code is a failed sign-in like a wrong password: the access log records it and django-axes
counts it, so five wrong codes lock the account and the address like five wrong passwords.
"""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from core.audit import sign_in_log
from core.choices import AccessAction
from core.signin import CHANNEL, CHANNEL_OTP, lockout_message, retry_after_seconds
from registry import services
from registry.accounts.forms import OtpCodeForm
from registry.accounts.middleware import SECOND_FACTOR_OWED

STAFF_HOME = "dashboard:home"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(STAFF_HOME)


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(
        request,
        template,
        {**admin.site.each_context(request), "next": _next_url(request), **context},
        status=status,
    )


def _credentials(request: HttpRequest) -> dict:
    return {"username": request.user.get_username(), CHANNEL: CHANNEL_OTP}


def _code_refused(request: HttpRequest) -> HttpResponse | None:
    """Count a wrong code as a failed sign-in; at the limit the session ends with the lock."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request), request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return locked_out(request, None, _credentials(request))
    return None


def _locked_already(request: HttpRequest) -> HttpResponse | None:
    if AxesProxyHandler.is_allowed(request, _credentials(request)):
        return None
    request.axes_locked_out = True  # a refusal under the lock, as axes' own backend marks it
    return _code_refused(request)


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code of the user's registered authenticator."""
    if request.user.is_verified() or not request.session.get(SECOND_FACTOR_OWED):
        return redirect(_next_url(request))
    device = services.otp_device_confirmed(user=request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_setup')}?{request.GET.urlencode()}")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if refused := _locked_already(request):
            return refused
        if not device.verify_is_allowed()[0]:
            form.add_error("otp_token", _THROTTLED)
        elif device.verify_token(form.cleaned_data["otp_token"]):
            otp_login(request, device)
            _confirmed(request)
            return redirect(_next_url(request))
        elif refused := _code_refused(request):
            return refused
        else:
            form.add_error("otp_token", _WRONG)
    return _page(
        request, "registry/accounts/otp_verify.html", {"form": form, "title": _("Sign-in code")}
    )


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Registering an authenticator app: scan the QR code (or type the key), enter a code."""
    if request.user.is_verified() or not request.session.get(SECOND_FACTOR_OWED):
        return redirect(_next_url(request))
    if services.otp_device_confirmed(user=request.user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{request.GET.urlencode()}")
    device = services.otp_device_pending(user=request.user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"]
        if refused := _locked_already(request):
            return refused
        if not device.verify_is_allowed()[0]:
            form.add_error("otp_token", _THROTTLED)
        elif services.otp_device_confirm(user=request.user, device=device, token=token):
            device.refresh_from_db()
            otp_login(request, device)
            _confirmed(request)
            return redirect(_next_url(request))
        elif refused := _code_refused(request):
            return refused
        else:
            device.refresh_from_db()
            form.add_error("otp_token", _WRONG)
    return _page(
        request,
        "registry/accounts/otp_setup.html",
        {
            "form": form,
            "title": _("Register an authenticator app"),
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(device),
        },
    )


def _confirmed(request: HttpRequest) -> None:
    sign_in_log(
        action=AccessAction.LOGIN,
        username=request.user.get_username(),
        user=request.user,
        request=request,
        detail=_("confirmed with the authenticator code"),
    )


# django-otp makes the user wait a little longer after each wrong code in a row; a code sent
# while waiting is not checked (nor counted towards the lockout).
_THROTTLED = gettext_lazy(
    "Too many wrong codes in a row: wait a few seconds and enter the newest code."
)
_WRONG = gettext_lazy(
    "The code is not right. Enter the code the app shows now; if codes are always refused, "
    "check that the phone's clock is set automatically."
)


def _qr_svg(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code for the authenticator app")
    )
    return mark_safe(svg)  # segno writes the markup itself; the URL is only encoded as modules


def _grouped(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lock explained, JSON to the API and a page to people."""
    message = lockout_message(request, credentials)
    retry_after = str(retry_after_seconds(request, credentials))
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=status)
    else:
        response = _page(
            request,
            "registry/accounts/locked_out.html",
            {"title": _("Signing in is locked"), "message": message},
            status=status,
        )
    response["Retry-After"] = retry_after
    return response
