"""The one FilterSet of cases, shared by the API and the operator's pages.

It narrows a queryset that has already passed the office wall; the assignee is matched by id
or username inside that queryset, so a filter never reveals another office's staff.
"""

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.numbers import brn_normalize, digits_ascii_check
from hotline import rules
from hotline.choices import CaseStatus, Category, Channel, Priority
from hotline.models import Case
from hotline.selectors import overdue_q


class CaseFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    status = filters.MultipleChoiceFilter(
        choices=CaseStatus.choices,
        label=_("status"),
        help_text=_("Repeat the parameter to match any of several statuses."),
    )
    category = filters.MultipleChoiceFilter(choices=Category.choices, label=_("category"))
    priority = filters.MultipleChoiceFilter(choices=Priority.choices, label=_("priority"))
    channel = filters.MultipleChoiceFilter(choices=Channel.choices, label=_("channel"))
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        label=_("overdue"),
        help_text=_("true: open cases past a deadline; false: all others."),
    )
    open = filters.BooleanFilter(
        method="filter_open",
        label=_("open"),
        help_text=_("true: received, assigned, in progress or waiting for the caller."),
    )
    assignee = filters.CharFilter(
        method="filter_assignee",
        validators=[digits_ascii_check],
        label=_("assignee"),
        help_text=_("A user's id or username; `me` for yourself, `none` for unassigned cases."),
    )
    received_after = filters.DateTimeFilter(
        field_name="received_at", lookup_expr="gte", label=_("received at or after")
    )
    received_before = filters.DateTimeFilter(
        field_name="received_at", lookup_expr="lt", label=_("received before")
    )
    store = filters.NumberFilter(field_name="store_id", label=_("store id"))
    business_number = filters.CharFilter(
        method="filter_business_number", label=_("business registration number")
    )
    q = filters.CharFilter(
        method="filter_q",
        label=_("search"),
        help_text=_("A case number, or words of the description or the store's name."),
    )

    class Meta:
        model = Case
        fields = ["status", "category", "priority", "channel"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        open_q = Q(status__in=rules.OPEN_STATUSES)
        return queryset.filter(open_q) if value else queryset.exclude(open_q)

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee_id=getattr(user, "pk", None))
        if value.isascii() and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset.filter(assignee__username=value)

    def filter_business_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            return queryset.filter(business_number=brn_normalize(value))
        except ValidationError:  # an invalid number matches nothing rather than failing
            return queryset.none()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        if value.startswith("119-"):
            return queryset.filter(number__startswith=value)
        return queryset.filter(
            Q(description__icontains=value) | Q(store__trade_name__icontains=value)
        )
