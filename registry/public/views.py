"""The public pages (SPEC 2.5): apply, see the tracking number, look up the status, answer a
change request. No login: what identifies a merchant is the tracking number plus the last four
digits of the phone, and the browser session that proved them.

Every page speaks Korean unless the visitor chose English with the language switch (the
browser's own language preference is not taken), is never cached, and allows only the site's
own scripts, styles and images.
"""

import functools
import re
import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import throttle
from core.forms import service_errors_to_form
from core.numbers import brn_format, brn_valid, phone_mask
from core.public import looked_up_id, size_limited, throttled
from core.public import public_page as core_public_page
from core.public import status_lookup as shared_status_lookup
from registry import services
from registry.choices import ApplicationStatus
from registry.models import MerchantApplication, Office
from registry.rules import business_number_identity, tracking_identity
from registry.selectors import application_find
from registry.services.applications import submission_key_hash

from . import limits
from .forms import CorrectionForm, LookupForm, RegisterForm, StoreDetailsForm, privacy_notice

OFFICE_CODE = re.compile(r"[0-9]{5}")
DONE_SESSION_KEY = "golmok_register_done"
STATUS_SESSION_KEY = "golmok_status"
DONE_SECONDS = 60 * 60  # the confirmation page can be reloaded for an hour
STATUS_SECONDS = 30 * 60  # a successful look-up is good for half an hour
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def public_page(view):
    """The public page of core (Korean unless English was chosen, never cached), here with
    the registry's stricter policy: the site's own assets only."""
    page = core_public_page(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = page(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    return wrapper


def _files(request):
    """The uploaded files, with a stand-in for each one stopped for being too large."""
    too_large = getattr(request, "golmok_too_large", None)
    if not too_large:
        return request.FILES
    uploaded = request.FILES.copy()
    for name, stand_in in too_large.items():
        uploaded[name] = stand_in
    return uploaded


def _status_url(request) -> str:
    return request.build_absolute_uri(reverse("register:status"))


# --- the application ----------------------------------------------------------------------


def _office(code: str | None) -> Office | None:
    """The office applied to: the one named, or the installation's only office."""
    if code:
        office = Office.objects.filter(code=code).first()
        if office is None:
            raise Http404(_("No such office."))
        return office
    offices = list(Office.objects.order_by("code")[:2])
    return offices[0] if len(offices) == 1 else None


@public_page
@size_limited
@require_http_methods(["GET", "POST"])
def register(request, code: str | None = None):
    office = _office(code)
    if office is None:
        offices = Office.objects.order_by("name")
        return render(request, "registry/public/offices.html", {"offices": offices})
    context = {"office": office, "privacy": privacy_notice(), "office_code": office.code}
    if request.method != "POST":
        context["form"] = RegisterForm(office=office)
        return render(request, "registry/public/register.html", context)
    form = RegisterForm(request.POST, _files(request), office=office)
    context["form"] = form
    wait = throttle.take(
        (limits.SUBMIT, throttle.client_ip(request)),
        (
            limits.SUBMIT_NUMBER,
            business_number_identity(request.POST.get("business_number")),
        ),
    )
    if wait:
        return throttled(request, "registry/public/register.html", context, wait)
    if form.is_valid():
        try:
            application = services.application_submit(
                office=office,
                **form.submission(),
                language=translation.get_language(),
                status_url=_status_url(request),
            )
        except ValidationError as error:
            if error_code(error) == "duplicate_submission":
                return _done_again(request, form.cleaned_data.get("submission_key") or "")
            service_errors_to_form(form, error)
        else:
            return _done_remember(request, application)
    form.document_dropped()
    return render(request, "registry/public/register.html", context)


def error_code(error: ValidationError) -> str | None:
    return None if hasattr(error, "error_dict") else getattr(error, "code", None)


def _done_remember(request, application: MerchantApplication):
    request.session[DONE_SESSION_KEY] = {"id": application.pk, "at": int(time.time())}
    return redirect("register:done")


def _done_again(request, key: str):
    """The same form sent twice: show the confirmation of the first sending again."""
    key_hash = submission_key_hash(key)
    application = MerchantApplication.objects.filter(submission_key=key_hash).first()
    if application is None:
        return redirect("register:form")
    return _done_remember(request, application)


@public_page
@require_GET
def register_done(request):
    remembered = request.session.get(DONE_SESSION_KEY) or {}
    application = None
    if remembered and time.time() - remembered.get("at", 0) < DONE_SECONDS:
        application = (
            MerchantApplication.objects.select_related("office")
            .filter(pk=remembered.get("id"))
            .first()
        )
    if application is None:
        return redirect("register:form")
    return render(
        request,
        "registry/public/register_done.html",
        {
            "application": application,
            "office": application.office,
            "phone_masked": phone_mask(application.phone),
        },
    )


@public_page
@require_GET
def number_check(request):
    """The as-you-type check of a business number.

    SPEC 2.5 asks that the number be "validated at once" and that "nothing about any
    application is visible" without the tracking number and the phone digits. So this answers
    only what the number itself shows: whether it is complete and a valid business registration
    number (SPEC 2.1). It never says whether the office holds a store or a pending application
    for it; a repeated application is refused when it is sent, as SPEC 2.5 asks.
    """
    raw = str(request.GET.get("number", ""))[:40]
    digits = "".join(c for c in raw if c not in " -")
    checks = [(limits.NUMBER_CHECK, throttle.client_ip(request))]
    if len(digits) >= 10:
        checks.append((limits.NUMBER_CHECK_NUMBER, business_number_identity(digits)))
    if throttle.take(*checks):
        return JsonResponse(
            {"status": "throttled", "message": _("Too many checks. Try again in a minute.")},
            status=429,
        )
    if not (digits.isascii() and digits.isdigit()) and digits:
        return JsonResponse({"status": "invalid", "message": _number_invalid_message()})
    if len(digits) < 10:
        return JsonResponse({"status": "incomplete", "message": ""})
    if len(digits) > 10 or not brn_valid(digits):
        return JsonResponse({"status": "invalid", "message": _number_invalid_message()})
    number = brn_format(digits)
    return JsonResponse(
        {
            "status": "ok",
            "formatted": number,
            "message": _("%(number)s is a valid number.") % {"number": number},
        }
    )


def _number_invalid_message() -> str:
    return _("This is not a valid business registration number. Check the ten digits.")


# --- the status ---------------------------------------------------------------------------


@public_page
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    """Tracking number plus phone digits. Failed tries are limited per client and per number,
    and every failure reads the same, so nothing tells whether a number exists."""
    return shared_status_lookup(
        request,
        form_class=LookupForm,
        find=application_find,
        checks=(
            (
                limits.LOOKUP_FAILURES,
                tracking_identity(request.POST.get("tracking_number")),
            ),
            (limits.LOOKUP_FAILURES_CLIENT, throttle.client_ip(request)),
        ),
        template="registry/public/status_lookup.html",
        session_key=STATUS_SESSION_KEY,
        seconds=STATUS_SECONDS,
        detail_url="register:status_detail",
    )


def _looked_up(request) -> MerchantApplication | None:
    pk = looked_up_id(request, STATUS_SESSION_KEY)
    if pk is None:
        return None
    return (
        MerchantApplication.objects.select_related("office", "dong", "district")
        .prefetch_related("documents")
        .filter(pk=pk)
        .first()
    )


@public_page
@size_limited
@require_http_methods(["GET", "POST"])
def status_detail(request):
    application = _looked_up(request)
    if application is None:
        request.session.pop(STATUS_SESSION_KEY, None)
        messages.info(request, _("Enter your tracking number and phone digits again."))
        return redirect("register:status")
    correction = None
    if application.status == ApplicationStatus.CHANGES_REQUESTED:
        if request.method == "POST":
            correction = CorrectionForm(request.POST, _files(request), office=application.office)
            response = _correction_send(request, application, correction)
            if response is not None:
                return response
        else:
            correction = CorrectionForm(
                office=application.office, initial=StoreDetailsForm.initial_from(application)
            )
    elif request.method == "POST":
        return redirect("register:status_detail")
    return render(
        request,
        "registry/public/status_detail.html",
        {
            "application": application,
            "office": application.office,
            "form": correction,
            "phone_masked": phone_mask(application.phone),
            "documents": list(application.documents.all()),
        },
    )


def _correction_send(request, application, form):
    wait = throttle.take(
        (limits.CORRECTIONS, throttle.client_ip(request)),
        (limits.CORRECTIONS, f"application:{application.pk}"),
    )
    if wait:
        form.add_error(
            None,
            _("Too many attempts. Try again in %(minutes)s minutes.")
            % {"minutes": throttle.minutes(wait)},
        )
        return None
    if not form.is_valid():
        return None
    try:
        services.application_resubmit(
            application=application,
            changes=form.details(),
            note=form.cleaned_data.get("note") or "",
            document=form.cleaned_data.get("document"),
            status_url=_status_url(request),
        )
    except ValidationError as error:
        service_errors_to_form(form, error)
        return None
    messages.success(
        request, _("Your corrections were sent. The office will review the application again.")
    )
    return redirect("register:status_detail")


@public_page
@require_POST
def status_end(request):
    """Forget the look-up on this device (a shared phone, a shop's computer)."""
    request.session.pop(STATUS_SESSION_KEY, None)
    request.session.pop(DONE_SESSION_KEY, None)
    return redirect("register:status")
