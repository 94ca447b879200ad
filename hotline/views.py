"""The operator's pages: the intake page built for a caller on the line, the queue, and the
store search the intake page asks as the operator types.

Each view parses its input, calls one service or selector, and presents the result. A case is
worked on from its admin page (timeline, moves, notes), which the queue links to.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.audit import personal_shown
from core.forms import service_errors_to_form
from core.numbers import phone_format
from core.personal import NAME, PHONE, mask, may_see_personal
from core.walls import for_user
from hotline import services
from hotline.choices import Priority
from hotline.forms import IntakeForm
from hotline.models import Case
from hotline.selectors import (
    QUEUES,
    case_queue,
    cases_for,
    queue_counts,
    store_current_district,
    store_lookup,
)
from registry.choices import StoreStatus
from registry.models import Store

# Where the service names a field the intake form calls differently.
_FORM_FIELD = {
    "business_number": "store_query",
    "store": "store_query",
    "district": "store_query",
    "received_at": None,
    "assignee": "assign_to_me",
}


def _page(request: HttpRequest, template: str, **context) -> TemplateResponse:
    """The operator's pages wear the admin's header, menus and colours."""
    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})


def case_admin_url(case: Case) -> str:
    return reverse("admin:hotline_case_change", args=[case.pk])


@staff_member_required
@permission_required("hotline.add_case", raise_exception=True)
def intake(request: HttpRequest) -> HttpResponse:
    """Log a call in under a minute: the store found as one types, the usual answers preset."""
    user = request.user
    form = IntakeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        case = _intake(request, form)
        if case is not None:
            return redirect(f"{reverse('hotline:intake')}?{urlencode({'created': case.number})}")
    created = None
    number = request.GET.get("created", "")
    if number:
        created = cases_for(user).filter(number=number).order_by("-received_at").first()
    return _page(
        request,
        "hotline/intake.html",
        title=_("New hotline case"),
        form=form,
        created=created,
        created_url=case_admin_url(created) if created else "",
        counts=queue_counts(user),
    )


def _intake(request: HttpRequest, form: IntakeForm) -> Case | None:
    data = form.cleaned_data
    user = request.user
    store = None
    if data.get("store"):
        store = for_user(Store.objects.all(), user).filter(pk=data["store"]).first()
        if store is None:
            form.add_error("store_query", _("Choose the store again from the list."))
            return None
    try:
        case = services.case_intake(
            office=data.get("office") or user.office,
            user=user,
            channel=data["channel"],
            caller_type=data["caller_type"],
            category=data["category"],
            priority=data["priority"] or Priority.NORMAL,
            description=data["description"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            store=store,
            business_number=form.business_number(),
            assignee=user if data["assign_to_me"] else None,
        )
    except ValidationError as error:
        service_errors_to_form(form, error, _FORM_FIELD)
        return None
    return case


@staff_member_required
@permission_required("hotline.view_case", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """An operator's queue: my cases, unassigned ones, all open ones or the overdue ones,
    overdue first, then by the nearest result deadline."""
    user = request.user
    counts = queue_counts(user)
    name = request.GET.get("queue") or ("mine" if counts["mine"] else "unassigned")
    if name not in QUEUES:
        name = "mine"
    page = Paginator(case_queue(user, name), 50).get_page(request.GET.get("page"))
    unmasked = may_see_personal(user)
    rows = [_row(case, unmasked) for case in page.object_list]
    personal_shown(
        user=user, objects=page.object_list, face=_("hotline queue"), masked=not unmasked
    )
    return _page(
        request,
        "hotline/queue.html",
        title=_("Hotline queue"),
        queue=name,
        queues=[(q, _QUEUE_LABELS[q](), counts[q]) for q in QUEUES],
        page=page,
        rows=rows,
        counts=counts,
        can_add=user.has_perm("hotline.add_case"),
    )


_QUEUE_LABELS = {
    "mine": lambda: _("My cases"),
    "unassigned": lambda: _("Unassigned"),
    "open": lambda: _("All open"),
    "overdue": lambda: _("Overdue"),
}


def _row(case: Case, unmasked: bool) -> dict:
    name, phone = case.caller_name, phone_format(case.caller_phone)
    if not unmasked:
        name, phone = mask(NAME, name), mask(PHONE, case.caller_phone)
    return {
        "case": case,
        "url": case_admin_url(case),
        "caller": " ".join(part for part in (name, phone) if part),
    }


@staff_member_required
@permission_required(["hotline.add_case", "registry.view_store"], raise_exception=True)
def store_search(request: HttpRequest) -> JsonResponse:
    """Stores of the operator's office matching what was typed (business number, trade name or
    phone digits), for the intake page. Contacts stay masked: the list only helps to pick."""
    results = []
    for store in store_lookup(request.user, request.GET.get("q", "")):
        district = store_current_district(store)
        results.append(
            {
                "id": store.pk,
                "trade_name": store.trade_name,
                "business_number": store.business_number_display,
                "phone": mask(PHONE, store.phone),
                "dong": store.dong.name,
                "district": district.name if district else "",
                "closed": store.status != StoreStatus.ACTIVE,
            }
        )
    return JsonResponse({"results": results})
