"""What every public page (no login) shares: Korean unless the visitor chose English, never
cached, and uploads read through the size limit before anything parses the body.

The registry's /register/ pages were the first to need these; the support programmes' pages use
them from here, as any later public page should.
"""

import functools
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core import throttle
from core.documents import SizeLimitUploadHandler, TooLarge


def public_page(view):
    """Korean unless English was chosen with the language switch (the browser's own preference
    is not taken); never cached; no referrer sent to other sites. The site's
    Content-Security-Policy (with its nonces) applies as on every page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return wrapper


def size_limited(view):
    """Reads uploads through the size-limit handler (which must be in place before the body is
    parsed, so before the CSRF check reads it), then checks CSRF as usual."""
    protected = csrf_protect(view)

    @functools.wraps(view)
    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper


def uploaded_list(request, name: str) -> list:
    """The files sent in the field `name`, with a stand-in for one the handler stopped for
    being too large (so the check names it too large rather than missing)."""
    files = list(request.FILES.getlist(name))
    stopped = (getattr(request, "golmok_too_large", None) or {}).get(name)
    if stopped is not None:
        files.append(stopped if isinstance(stopped, TooLarge) else TooLarge(name))
    return files


def throttled(request, template: str, context: dict, wait: int):
    """The page again with the waiting time, as 429 with Retry-After in seconds."""
    context["throttled_minutes"] = throttle.minutes(wait)
    response = render(request, template, context, status=429)
    response.headers["Retry-After"] = str(wait)
    return response


def looked_up_id(request, session_key: str) -> int | None:
    """The id of the application a look-up found, while it is still good; else None."""
    remembered = request.session.get(session_key) or {}
    if not remembered or remembered.get("until", 0) < time.time():
        return None
    return remembered.get("id")


def status_lookup(
    request,
    *,
    form_class,
    find,
    checks,
    template: str,
    session_key: str,
    seconds: int,
    detail_url: str,
):
    """A look-up by tracking number plus phone digits, shared by the public status pages.

    Every try is counted against `checks` before it is made (so parallel tries cannot all
    pass) and given back when it succeeds: what stays counted are the failures. Every failure
    reads the same, so nothing tells whether a number exists. A match is remembered in the
    session (a new key) for `seconds` under `session_key`, and the visitor sent to
    `detail_url`; `find(tracking_number, last_four)` returns the application or None.
    """
    if request.method != "POST":
        return render(request, template, {"form": form_class()})
    form = form_class(request.POST)
    context = {"form": form}
    wait = throttle.take(*checks)
    if wait:
        return throttled(request, template, context, wait)
    if form.is_valid():
        application = find(
            form.cleaned_data["tracking_number"], form.cleaned_data["phone_last_four"]
        )
        if application is not None:
            throttle.refund(*checks)
            request.session.cycle_key()
            request.session[session_key] = {
                "id": application.pk,
                "until": int(time.time()) + seconds,
            }
            return redirect(detail_url)
        form.add_error(
            None,
            ValidationError(
                _(
                    "No application matches this tracking number and these phone digits. Check "
                    "both and try again."
                ),
                code="not_found",
            ),
        )
    return render(request, template, context)
