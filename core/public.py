"""What every public page (no login) shares: Korean unless the visitor chose English, never
cached, and uploads read through the size limit before anything parses the body.

The registry's /register/ pages were the first to need these; the support programmes' pages use
them from here, as any later public page should.
"""

import functools

from django.conf import settings
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect

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
