"""The supervisors' case admin: the list, the change page with its timeline, and the moves."""

from datetime import timedelta
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin.columns import moment_short, overdue_badge
from core.admin.exports import ExportMixin
from core.admin.mixins import (
    BulkActionMixin,
    OfficeWallMixin,
    ServiceRefused,
)
from core.admin.related import RelatedPanel, register_panel
from core.audit import personal_shown
from core.clock import local_date
from core.numbers import phone_format
from core.personal import NAME, PHONE, mask
from hotline import rules, services
from hotline.admin.filters import (
    EDITABLE,
    AssigneeFilter,
    CaseChangeList,
    OpenFilter,
    OverdueFilter,
    ReceivedWeekFilter,
    ReceivedWithinFilter,
    StoreFilter,
    can_see_contacts,
)
from hotline.choices import MOVE_LABELS, REOPEN_LABEL, STATUS_LABELS
from hotline.exports import CASE_EXPORT
from hotline.forms import AssignForm, NoteForm, ReferForm, ReplyForm, TransitionForm
from hotline.models import Case, TimelineEntry
from hotline.selectors import case_overdue, with_overdue
from registry.models import Store


class TimelineInline(admin.TabularInline):
    """The case's timeline, oldest first; append-only, so nothing here can be edited."""

    model = TimelineEntry
    fields = ("at", "username", "kind", "move", "assignee", "department", "reason", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def move(self, entry):
        if not entry.to_status:
            return ""
        if not entry.from_status:
            return entry.get_to_status_display()
        return f"{entry.get_from_status_display()} → {entry.get_to_status_display()}"


# Times in the case list, as the hotline's queue page writes them.
QUEUE_TIME = "n/j H:i"


@admin.register(Case)
class CaseAdmin(ExportMixin, OfficeWallMixin, BulkActionMixin, admin.ModelAdmin):
    change_list_template = "admin/hotline/case/change_list.html"
    # What the case stands at and when it is due first, so that on a 1366-pixel screen beside
    # the menu and the filters the deadline with its overdue mark, the assignee and the caller
    # are in view. Times read as on the hotline's queue (3/9 18:00; the case number carries the
    # year); the time received is on the case page, and the list's filters select by it.
    list_display = (
        "number",
        "status",
        "due_short",
        "assignee",
        "priority",
        "category",
        "caller",
    )
    list_filter = (
        OverdueFilter,
        OpenFilter,
        "status",
        AssigneeFilter,
        "priority",
        "category",
        "channel",
        StoreFilter,
        ReceivedWithinFilter,
        ReceivedWeekFilter,
    )
    list_select_related = ("store", "assignee")
    search_fields = ("=number", "description", "store__trade_name")
    search_help_text = _("A case number, or words of the description or the store's name.")
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ("store",)
    inlines = [TimelineInline]
    actions = ["assign_selected"]
    linked_fields = ("store", "district")
    export_spec = CASE_EXPORT

    class Media:
        css = {"all": ["hotline/hotline.css"]}

    object_views = (
        ("move", "move_view"),
        ("note", "note_view"),
        ("refer", "refer_view"),
        ("reply", "reply_view"),
    )
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    "received_at",
                    "channel",
                    "caller_type",
                    "caller_name",
                    "caller_phone",
                    "business_number_shown",
                    "store",
                    "district",
                    "category",
                    "priority",
                    "description",
                ]
            },
        ),
        (
            _("Deadlines"),
            {
                "fields": [
                    "response_due",
                    "responded_at",
                    "resolution_due",
                    "overdue_flag",
                    "waiting_since",
                    "waited_shown",
                    "resolved_at",
                    "reopen_count",
                    "closed_at",
                    "close_reason",
                ]
            },
        ),
        (
            _("Handling"),
            {
                "fields": [
                    "assignee",
                    "referred_department",
                    "reply",
                    "replied_at",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]
    ALWAYS_READONLY = (
        "number",
        "status",
        "received_at",
        "business_number_shown",
        "response_due",
        "responded_at",
        "resolution_due",
        "overdue_flag",
        "waiting_since",
        "waited_shown",
        "resolved_at",
        "reopen_count",
        "closed_at",
        "close_reason",
        "assignee",
        "referred_department",
        "reply",
        "replied_at",
        "created_by",
        "created_at",
        "store_shown",
        "district_shown",
    )

    # --- queries ---------------------------------------------------------------------------

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("office", "store", "district", "assignee")
        )

    def changelist_queryset(self, request, queryset):
        return with_overdue(queryset)

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    # --- columns -----------------------------------------------------------------------------

    @admin.display(description=_("result due"), ordering="resolution_due")
    def due_short(self, case):
        """The deadline, and beside it whether the case is past one (the list puts those
        first)."""
        late = case_overdue(case)
        due = moment_short(case.resolution_due, QUEUE_TIME)
        return format_html("{} {}", due, overdue_badge(late)) if late else due

    @admin.display(description=_("overdue"), ordering="overdue")
    def overdue_flag(self, case):
        return overdue_badge(case_overdue(case))

    def get_list_display(self, request):
        if not can_see_contacts(request):
            return self.list_display
        return [("caller_unmasked" if f == "caller" else f) for f in self.list_display]

    @admin.display(description=_("caller"))
    def caller(self, case):
        parts = (mask(NAME, case.caller_name), mask(PHONE, case.caller_phone))
        return " ".join(p for p in parts if p) or "-"

    @admin.display(description=_("caller"))
    def caller_unmasked(self, case):
        parts = (case.caller_name, phone_format(case.caller_phone))
        return " ".join(p for p in parts if p) or "-"

    @admin.display(description=_("working time waited"))
    def waited_shown(self, case):
        minutes = case.waited // timedelta(minutes=1)
        if not minutes:
            return "-"
        return gettext("%(hours)s h %(minutes)s min") % {
            "hours": minutes // 60,
            "minutes": minutes % 60,
        }

    @admin.display(description=_("store"), ordering="store__trade_name")
    def store_name(self, case):
        return case.store.trade_name if case.store else "-"

    @admin.display(description=_("business registration number"))
    def business_number_shown(self, case):
        return case.business_number_display or "-"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            personal_shown(
                user=request.user,
                objects=changelist.result_list,
                face=gettext("list"),
                masked=not can_see_contacts(request),
            )
        return response

    # --- the change page ---------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        # One way in: the intake page, built for a caller on the line.
        return redirect("hotline:intake")

    def has_delete_permission(self, request, obj=None):
        return False  # cases are closed, never deleted: the timeline stays

    @admin.display(description=_("store"))
    def store_shown(self, case):
        return str(case.store) if case.store else "-"

    @admin.display(description=_("district"))
    def district_shown(self, case):
        return str(case.district) if case.district else "-"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        swap = {}
        if obj is not None and (
            obj.status == rules.CLOSED or not self.has_change_permission(request, obj)
        ):
            # Read-only, the admin would link them whether or not the user may open them; the
            # linked records above link them when the user may.
            swap.update(store="store_shown", district="district_shown")
        if not swap:
            return fieldsets
        return [
            (title, {**options, "fields": [swap.get(f, f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), *self.ALWAYS_READONLY)
        if obj is not None and obj.status == rules.CLOSED:
            return (*readonly, *EDITABLE)
        return readonly

    def save_model(self, request, obj, form, change):
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in EDITABLE}
        try:
            saved = services.case_update(case=obj, user=request.user, **changes)
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # The timeline is written by the services only; the change message lists nothing of it.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- moves and other work behind buttons -------------------------------------------------

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        buttons = [
            {
                "url": f"{self.object_url(obj, 'move')}?to={to}",
                "label": str(
                    REOPEN_LABEL if rules.is_reopening(obj.status, to) else MOVE_LABELS[to]
                ),
                "danger": to == rules.CLOSED,
            }
            for to in rules.allowed_moves(obj.status)
        ]
        if obj.status != rules.CLOSED:
            buttons.append({"url": self.object_url(obj, "reply"), "label": gettext("Record reply")})
        if obj.is_open:
            buttons.append({"url": self.object_url(obj, "refer"), "label": gettext("Refer")})
        buttons.append({"url": self.object_url(obj, "note"), "label": gettext("Add note")})
        buttons.append({"url": reverse("hotline:queue"), "label": gettext("Queue")})
        return buttons

    def move_view(self, request, object_id):
        case = self.get_object_in_office(request, object_id)
        to = request.GET.get("to", "")
        if to not in rules.allowed_moves(case.status):
            refusal = rules.transition_refused_message(case.status, to, STATUS_LABELS)
            self.message_user(request, refusal, messages.ERROR)
            return redirect(self.change_url(case))
        label = REOPEN_LABEL if rules.is_reopening(case.status, to) else MOVE_LABELS[to]
        return self.decision_view(
            request,
            object_id,
            form_class=partial(TransitionForm, case=case, to=to),
            title=gettext("%(move)s: %(case)s") % {"move": label, "case": case.number},
            submit=str(label),
            lines=False,
            done=lambda c: gettext("%(case)s: %(move)s done.") % {"case": c.number, "move": label},
            call=lambda c, data: services.case_transition(
                case=c,
                user=request.user,
                to=to,
                note=data.get("note", ""),
                assignee=data.get("assignee"),
                reason=data.get("reason", ""),
            ),
        )

    def note_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=NoteForm,
            title=gettext("Add note"),
            submit=gettext("Add note"),
            lines=False,
            done=lambda c: gettext("The note was added to %(case)s.") % {"case": c.number},
            call=lambda c, data: services.case_note(case=c, user=request.user, text=data["text"]),
        )

    def refer_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=ReferForm,
            title=gettext("Refer to a department"),
            submit=gettext("Refer"),
            lines=False,
            done=lambda c: gettext("%(case)s was referred.") % {"case": c.number},
            call=lambda c, data: services.case_refer(
                case=c, user=request.user, department=data["department"], note=data["note"]
            ),
        )

    def reply_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=ReplyForm,
            title=gettext("Record the reply given to the caller"),
            submit=gettext("Record reply"),
            lines=False,
            initial=lambda c: {"reply": c.reply},
            done=lambda c: (
                gettext("The reply to the caller of %(case)s was recorded.") % {"case": c.number}
            ),
            call=lambda c, data: services.case_reply(
                case=c, user=request.user, reply=data["reply"]
            ),
        )

    # --- bulk assignment ---------------------------------------------------------------------

    def has_assign_permission(self, request):
        return request.user.has_perm("hotline.assign_case")

    @admin.action(description=_("Assign selected cases"), permissions=["assign"])
    def assign_selected(self, request, queryset):
        offices = set(queryset.values_list("office_id", flat=True).distinct()[:2])
        office_id = next(iter(offices)) if len(offices) == 1 else None
        if office_id is None:
            self.message_user(
                request, gettext("Choose cases of one office at a time."), messages.ERROR
            )
            return None
        return self.bulk_action(
            request,
            queryset,
            title=gettext("Assign selected cases"),
            form_class=AssignForm,
            form_kwargs={"office_id": office_id},
            done_message=gettext("%(count)s cases were assigned."),
            call=lambda case, data: services.case_assign(
                case=case, user=request.user, assignee=data["assignee"], note=data["note"]
            ),
        )


def case_line(case: Case) -> str:
    """One case in a store's panel: no caller's contacts, so showing it logs nothing."""
    return " · ".join(
        (
            case.number,
            str(local_date(case.received_at)),
            case.get_category_display(),
            case.get_status_display(),
        )
    )


# A store's page shows its latest cases and links to the case list filtered to it.
register_panel(
    Store,
    RelatedPanel(
        key="cases",
        title=_("Hotline cases"),
        model=Case,
        list_filter=StoreFilter,
        order_by=("-received_at", "-id"),
        describe=case_line,
        permission="hotline.view_case",
        count_text=ngettext_lazy("%(shown)s case in all", "%(shown)s cases in all", "count"),
    ),
)
