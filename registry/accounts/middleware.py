"""A session that owes its second factor reaches only the pages that take it (SPEC 8)."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Set at sign-in for a user whose office requires the second factor of the user's roles.
SECOND_FACTOR_OWED = "golmok_second_factor_owed"

# The pages a session owing its code may still see: those that take it, and the way out.
OPEN_VIEWS = {
    "accounts:otp_verify",
    "accounts:otp_setup",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "set_language",
}


def second_factor_owed(request: HttpRequest) -> bool:
    """Whether this session signed in with a password and still owes its one-time code."""
    if not request.session.get(SECOND_FACTOR_OWED):
        return False
    user = request.user
    return user.is_authenticated and not user.is_verified()


class SecondFactorMiddleware:
    """Sends a session that owes its code to the page that asks for it; the API answers 403.

    Sits after django-otp's middleware, which tells whether the session gave its code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_owed(request):
            return None
        if request.resolver_match and request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Enter the code from your authenticator app to finish signing in.")},
                status=403,
            )
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}"
        )
