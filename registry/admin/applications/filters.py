"""The queue's filters: open applications first, then by age and by the Onnuri types asked for."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.choices import ApplicationStatus, CertificateType
from registry.rules import APPLICATION_OPEN_STATUSES as OPEN_STATUSES
from registry.rules import APPLICATION_WAITING_STATUSES
from registry.selectors import applications_by_age


class QueueStatusFilter(admin.SimpleListFilter):
    """The queue opens on the applications still to decide; every status is one click away."""

    title = _("status")
    parameter_name = "status"
    OPEN = "open"
    WAITING = "waiting"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (self.OPEN, _("Open (to decide)")),
            (self.WAITING, _("Waiting for the office")),
            *ApplicationStatus.choices,
            (self.ALL, _("All")),
        ]

    def choices(self, changelist):
        current = self.value() or self.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.OPEN
        if value == self.OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == self.WAITING:
            return queryset.filter(status__in=APPLICATION_WAITING_STATUSES)
        if value in ApplicationStatus.values:
            return queryset.filter(status=value)
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long ago the application was (last) sent."""

    title = _("age")
    parameter_name = "age"
    RANGES = {"0-2": (0, 2), "3-7": (3, 7), "8-14": (8, 14), "15-": (15, None)}

    def lookups(self, request, model_admin):
        return [
            ("0-2", _("Under 3 days")),
            ("3-7", _("3 to 7 days")),
            ("8-14", _("8 to 14 days")),
            ("15-", _("Over 14 days")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high = self.RANGES[self.value()]
        return applications_by_age(queryset, min_days=low, max_days=high)


class RequestedTypeFilter(admin.SimpleListFilter):
    title = _("Onnuri types requested")
    parameter_name = "wants"

    def lookups(self, request, model_admin):
        return [*CertificateType.choices, ("none", _("None"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value in CertificateType.values:
            return queryset.filter(**{f"wants_{value}": True})
        if value == "none":
            return queryset.filter(wants_paper=False, wants_card=False, wants_mobile=False)
        return queryset
