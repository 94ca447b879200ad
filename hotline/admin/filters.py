"""The case list's filters and its change list, annotated with what is overdue."""

from datetime import date, timedelta

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin.mixins import (
    AnnotatedChangeList,
)
from core.admin.related import ObjectFilter
from core.clock import local_midnight, local_today
from core.numbers import is_row_id
from core.personal import may_see_personal
from hotline import rules
from hotline.selectors import assignable_users, overdue_q, user_label

EDITABLE = (
    "channel",
    "caller_type",
    "caller_name",
    "caller_phone",
    "store",
    "district",
    "category",
    "priority",
    "description",
)


def can_see_contacts(request) -> bool:
    return may_see_personal(request.user)


class OverdueFilter(admin.SimpleListFilter):
    """Open cases past a deadline, decided by the database."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class ReceivedWeekFilter(admin.SimpleListFilter):
    """Cases received in one week, Monday to Sunday in Seoul (`?received_week=2026-09-14`),
    as the dashboard counts them each week."""

    title = _("week received")
    parameter_name = "received_week"
    weeks = 13

    def lookups(self, request, model_admin):
        this_monday = local_today() - timedelta(days=local_today().weekday())
        mondays = [this_monday - timedelta(weeks=n) for n in range(self.weeks)]
        return [(m.isoformat(), _("Week from %(day)s") % {"day": m.isoformat()}) for m in mondays]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = date.fromisoformat(self.value())
            monday = day - timedelta(days=day.weekday())
            start, end = local_midnight(monday), local_midnight(monday + timedelta(weeks=1))
        except (ValueError, OverflowError):  # not a date, or a week at the calendar's ends
            return queryset.none()
        return queryset.filter(received_at__gte=start, received_at__lt=end)


class ReceivedWithinFilter(admin.SimpleListFilter):
    """Cases received in the last 7, 30 or 90 days (`?received_days=90`), as the dashboard's
    hotline part counts them."""

    title = _("received within")
    parameter_name = "received_days"
    choices_days = (7, 30, 90)

    def lookups(self, request, model_admin):
        return [(str(n), _("Last %(days)s days") % {"days": n}) for n in self.choices_days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() not in {str(n) for n in self.choices_days}:
            return queryset.none()
        since = timezone.now() - timedelta(days=int(self.value()))
        return queryset.filter(received_at__gte=since)


class OpenFilter(admin.SimpleListFilter):
    title = _("open or finished")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Open")), ("no", _("Resolved or closed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=rules.OPEN_STATUSES)
        if self.value() == "no":
            return queryset.exclude(status__in=rules.OPEN_STATUSES)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    """Mine, nobody's, or one colleague's cases; only the user's office's staff are offered."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        office_id = getattr(request.user, "office_id", None)
        staff = assignable_users(office_id) if office_id else []
        return [
            ("me", _("Mine")),
            ("none", _("Unassigned")),
            *((str(u.pk), user_label(u)) for u in staff),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and is_row_id(value):
            return queryset.filter(assignee_id=int(value))
        return queryset


class StoreFilter(ObjectFilter):
    """The cases of one store (`?store=<id>`), as the store's page links to them."""

    title = _("store")
    parameter_name = "store"
    field_name = "store"


class CaseChangeList(AnnotatedChangeList):
    """Overdue cases first unless the user sorts by a column."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if ORDER_VAR in self.params:
            return ordering
        return ["-overdue", *ordering]
