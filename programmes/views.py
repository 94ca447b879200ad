"""The public pages of support programmes (SPEC 7): a programme's page with its application
form, the confirmation with the tracking number, and the status look-up. No login: what
identifies an applicant is the tracking number plus the last four digits of the phone, and the
browser session that proved them.

Korean unless the visitor chose English; never cached; the site's own assets only. The views
read, call one service and show its answer: a refusal names the rule in plain words.
"""

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import throttle
from core.forms import service_errors_to_form
from core.numbers import brn_format, brn_valid, phone_mask
from core.public import looked_up_id, public_page, size_limited, throttled, uploaded_list
from core.public import status_lookup as shared_status_lookup
from programmes import limits, rules, services
from programmes.forms import ApplicationForm, LookupForm
from programmes.models import Application, Grant, Programme
from programmes.selectors import (
    application_find,
    application_notice_sent,
    application_public_timeline,
    programme_public,
)
from programmes.wording import (
    eligibility_lines,
    privacy_notice,
    reason_text,
    window_state,
)
from registry.rules import business_number_identity, tracking_identity

DONE_SESSION_KEY = "golmok_programme_done"
STATUS_SESSION_KEY = "golmok_programme_status"
DONE_SECONDS = 60 * 60  # the confirmation can be reloaded for an hour
STATUS_SECONDS = 30 * 60  # a successful look-up is good for half an hour


def _programme(code: str) -> Programme:
    programme = programme_public(code)
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def _page_context(programme: Programme) -> dict:
    return {
        "programme": programme,
        "office": programme.office,
        "window": window_state(programme, timezone.now()),
        "eligibility": eligibility_lines(programme),
        "digit_days": list(programme.digit_days.all()),
        "privacy": privacy_notice(),
    }


# --- the programme and its form ------------------------------------------------------------


@public_page
@size_limited
@require_http_methods(["GET", "POST"])
def programme_page(request, code: str):
    programme = _programme(code)
    context = _page_context(programme)
    if request.method != "POST":
        context["form"] = ApplicationForm(programme=programme)
        return render(request, "programmes/public/programme.html", context)
    form = ApplicationForm(
        request.POST, programme=programme, files_sent=uploaded_list(request, "attachments")
    )
    context["form"] = form
    wait = throttle.take(
        (limits.SUBMIT, throttle.client_ip(request)),
        (
            limits.SUBMIT_NUMBER,
            business_number_identity(request.POST.get("business_number")),
        ),
    )
    if wait:
        return throttled(request, "programmes/public/programme.html", context, wait)
    if form.is_valid():
        response = _submit(request, programme, form, context)
        if response is not None:
            return response
    form.attachments_dropped()
    return render(request, "programmes/public/programme.html", context)


def _submit(request, programme: Programme, form: ApplicationForm, context: dict):
    """Parse, then submit; a redirect to the confirmation, or None with the form's errors (and
    the refusal's reason in the context)."""
    try:
        data = services.application_input_parse(programme=programme, **form.parse_arguments())
    except ValidationError as error:
        service_errors_to_form(form, error)
        return None
    try:
        application = services.application_submit(programme=programme, data=data, actor=None)
    except services.Refusal as refusal:
        if refusal.reason == rules.DUPLICATE and _sent_just_now(request, programme, data):
            return redirect("programmes:done")  # the same form sent twice: show the first
        context["refusal"] = refusal.reason
        text = reason_text(refusal.reason, programme, timezone.now())
        form.add_error(None, ValidationError(text, code=refusal.code))
        return None
    request.session[DONE_SESSION_KEY] = {"id": application.pk, "at": int(time.time())}
    return redirect("programmes:done")


def _sent_just_now(request, programme: Programme, data) -> bool:
    remembered = request.session.get(DONE_SESSION_KEY) or {}
    if time.time() - remembered.get("at", 0) >= DONE_SECONDS:
        return False
    return Application.objects.filter(
        pk=remembered.get("id"), programme=programme, business_number=data.business_number
    ).exists()


@public_page
@require_GET
def application_done(request):
    remembered = request.session.get(DONE_SESSION_KEY) or {}
    application = None
    if remembered and time.time() - remembered.get("at", 0) < DONE_SECONDS:
        application = (
            Application.objects.select_related("programme__office")
            .filter(pk=remembered.get("id"))
            .first()
        )
    if application is None:
        return redirect("programmes:status")
    return render(
        request,
        "programmes/public/done.html",
        {
            "application": application,
            "programme": application.programme,
            "office": application.programme.office,
            "phone_masked": phone_mask(application.phone),
            "notice": application_notice_sent(application),
        },
    )


@public_page
@require_GET
def number_check(request):
    """The as-you-type check of a business number: only whether it is a valid number (SPEC 2.1),
    never whether the office holds it or it has applied."""
    raw = str(request.GET.get("number", ""))[:40]
    digits = "".join(c for c in raw if c not in " -")
    if throttle.take((limits.NUMBER_CHECK, throttle.client_ip(request))):
        return JsonResponse(
            {"status": "throttled", "message": _("Too many checks. Try again in a minute.")},
            status=429,
        )
    invalid = _("This is not a valid business registration number. Check the ten digits.")
    if digits and not (digits.isascii() and digits.isdigit()):
        return JsonResponse({"status": "invalid", "message": invalid})
    if len(digits) < 10:
        return JsonResponse({"status": "incomplete", "message": ""})
    if len(digits) > 10 or not brn_valid(digits):
        return JsonResponse({"status": "invalid", "message": invalid})
    number = brn_format(digits)
    return JsonResponse(
        {
            "status": "ok",
            "formatted": number,
            "message": _("%(number)s is a valid number.") % {"number": number},
        }
    )


# --- the status ----------------------------------------------------------------------------


@public_page
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    """Tracking number plus phone digits. Failed tries are limited per number tried and per
    client, and every failure reads the same, so nothing tells whether a number exists."""
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
        template="programmes/public/status_lookup.html",
        session_key=STATUS_SESSION_KEY,
        seconds=STATUS_SECONDS,
        detail_url="programmes:status_detail",
    )


@public_page
@require_GET
def status_detail(request):
    pk = looked_up_id(request, STATUS_SESSION_KEY)
    application = (
        Application.objects.select_related("programme__office").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if application is None:
        request.session.pop(STATUS_SESSION_KEY, None)
        messages.info(request, _("Enter your tracking number and phone digits again."))
        return redirect("programmes:status")
    return render(
        request,
        "programmes/public/status_detail.html",
        {
            "application": application,
            "programme": application.programme,
            "office": application.programme.office,
            "phone_masked": phone_mask(application.phone),
            "reason": reason_text(application.reason) if application.reason else "",
            "timeline": application_public_timeline(application),
            "granted": Grant.objects.filter(application=application).exists(),
        },
    )


@public_page
@require_POST
def status_end(request):
    """Forget the look-up on this device (a shared phone, a shop's computer)."""
    request.session.pop(STATUS_SESSION_KEY, None)
    request.session.pop(DONE_SESSION_KEY, None)
    return redirect("programmes:status")
