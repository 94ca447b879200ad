"""One FilterSet per registry model, shared by the API, the admin and the dashboard links.

The FilterSets never widen what the caller may see: they narrow a queryset that has already
passed the office wall (`core.walls.for_user`). Related records are therefore looked up
by plain id or name inside that queryset, never through a choice list of every office's rows,
so a filter cannot reveal that another office's record exists.
"""

import re

import django_filters as filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.choices import AccessAction
from core.numbers import digits_ascii_check
from registry import selectors
from registry.choices import (
    AffiliateStatus,
    ApplicationStatus,
    CertificateType,
    DistrictStatus,
    StoreStatus,
)
from registry.models import (
    AccessLog,
    AffiliateRegistration,
    District,
    Membership,
    MerchantApplication,
    Office,
    Store,
)
from registry.rules import APPLICATION_WAITING_STATUSES

_SEPARATORS = re.compile(r"[\s\-]")


def id_or_name(prefix: str, value: str) -> Q:
    """`12` matches the related row's id, anything else its exact name. The filters taking it
    refuse ids in digits other than 0 to 9 (`IdOrNameFilter`)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return Q(**{f"{prefix}__id": int(value)})
    return Q(**{f"{prefix}__name": value})


class IdOrNameFilter(filters.CharFilter):
    """A related row by id or by name; an id in other digits than 0 to 9 is a 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [digits_ascii_check])
        super().__init__(*args, **kwargs)


def _current_membership(district_value: str) -> QuerySet:
    return Membership.objects.filter(
        id_or_name("district", district_value), store=OuterRef("pk"), left_on__isnull=True
    )


class OfficeFilterSet(filters.FilterSet):
    code = filters.CharFilter(label=_("administrative code"), help_text=_("Five digits."))
    q = filters.CharFilter(
        method="filter_q", label=_("search"), help_text=_("A piece of the office's name.")
    )

    class Meta:
        model = Office
        fields = ["code"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value.strip())


class DistrictFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    status = filters.MultipleChoiceFilter(
        choices=DistrictStatus.choices,
        label=_("status"),
        help_text=_("Repeat the parameter to match any of several statuses."),
    )
    dong = IdOrNameFilter(
        method="filter_dong",
        label=_("dong"),
        help_text=_("A dong the district lies in, by id or by exact name."),
    )
    q = filters.CharFilter(
        method="filter_q",
        label=_("search"),
        help_text=_("A piece of the district's name or of its designation number."),
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        label=_("overdue"),
        help_text=_("true: open applications past their 14-day due date; false: all others."),
    )
    certificate_due = filters.BooleanFilter(
        method="filter_certificate_due",
        label=_("certificate due"),
        help_text=_(
            "true: designated districts whose designation certificate has not been issued yet."
        ),
    )

    class Meta:
        model = District
        fields = ["office", "status"]

    def filter_certificate_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        due = Q(status=DistrictStatus.DESIGNATED, certificate_issued_at__isnull=True)
        return queryset.filter(due) if value else queryset.exclude(due)

    def filter_dong(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(id_or_name("dongs", value))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(designation_no__icontains=value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = selectors.districts_overdue(District.objects.all()).values("pk")
        if value:
            return queryset.filter(pk__in=overdue)
        return queryset.exclude(pk__in=overdue)


class StoreFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    business_number = filters.CharFilter(
        method="filter_business_number",
        label=_("business registration number"),
        help_text=_("The whole number, with or without hyphens: 220-81-62517 or 2208162517."),
    )
    dong = IdOrNameFilter(
        method="filter_dong", label=_("dong"), help_text=_("The store's dong, by id or name.")
    )
    district = IdOrNameFilter(
        method="filter_district",
        label=_("district"),
        help_text=_("The district the store is a member of now, by id or by exact name."),
    )
    status = filters.ChoiceFilter(choices=StoreStatus.choices, label=_("status"))
    affiliate_type = filters.ChoiceFilter(
        choices=CertificateType.choices,
        method="filter_affiliate_type",
        label=_("Onnuri affiliate type"),
        help_text=_("Stores holding an approved Onnuri registration of this certificate type."),
    )
    ksic_code = filters.CharFilter(
        label=_("KSIC code"), help_text=_("The five-digit business type code, for example 56111.")
    )
    small_business = filters.BooleanFilter(
        field_name="is_small_business", label=_("small business")
    )
    member = filters.BooleanFilter(
        method="filter_member",
        label=_("member of a district"),
        help_text=_("true: stores with a current membership of a designated district."),
    )
    digital_affiliate = filters.BooleanFilter(
        method="filter_digital_affiliate",
        label=_("digital Onnuri affiliate"),
        help_text=_("true: stores holding an approved card or mobile Onnuri registration."),
    )
    q = filters.CharFilter(
        method="filter_q",
        label=_("search"),
        help_text=_(
            "A piece of the trade name, the business number or the phone number "
            "(digits may carry hyphens)."
        ),
    )

    class Meta:
        model = Store
        fields = ["office", "status", "ksic_code"]

    def filter_business_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(business_number=_SEPARATORS.sub("", value))

    def filter_dong(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(id_or_name("dong", value))

    def filter_district(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Exists(_current_membership(value)))

    def filter_affiliate_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        approved = AffiliateRegistration.objects.filter(
            store=OuterRef("pk"), certificate_type=value, status=AffiliateStatus.APPROVED
        )
        return queryset.filter(Exists(approved))

    def filter_member(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        member = Exists(selectors.memberships_current().filter(store=OuterRef("pk")))
        return queryset.filter(member if value else ~member)

    def filter_digital_affiliate(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        digital = Exists(selectors.affiliations_digital().filter(store=OuterRef("pk")))
        return queryset.filter(digital if value else ~digital)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Without a request to say who searches, search as someone who may not see phones.
        user = getattr(self.request, "user", None) or AnonymousUser()
        return selectors.store_search(queryset, value, user=user)


class MembershipFilterSet(filters.FilterSet):
    store = filters.NumberFilter(field_name="store_id", label=_("store"))
    district = IdOrNameFilter(
        method="filter_district", label=_("district"), help_text=_("By id or by exact name.")
    )
    current = filters.BooleanFilter(
        field_name="left_on",
        lookup_expr="isnull",
        label=_("current"),
        help_text=_("true: memberships not yet ended; false: past memberships."),
    )

    class Meta:
        model = Membership
        fields = ["store"]

    def filter_district(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(id_or_name("district", value))


class AffiliateRegistrationFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="store__office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    status = filters.MultipleChoiceFilter(
        choices=AffiliateStatus.choices,
        label=_("status"),
        help_text=_("Repeat the parameter to match any of several statuses."),
    )
    certificate_type = filters.ChoiceFilter(
        choices=CertificateType.choices, label=_("certificate type")
    )
    store = filters.NumberFilter(field_name="store_id", label=_("store"), help_text=_("Its id."))
    district = IdOrNameFilter(
        method="filter_district",
        label=_("district"),
        help_text=_("The district the store is a member of now, by id or by exact name."),
    )
    dong = IdOrNameFilter(
        method="filter_dong", label=_("dong"), help_text=_("The store's dong, by id or name.")
    )

    class Meta:
        model = AffiliateRegistration
        fields = ["status", "certificate_type", "store"]

    def filter_district(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        current = Membership.objects.filter(
            id_or_name("district", value), store=OuterRef("store_id"), left_on__isnull=True
        )
        return queryset.filter(Exists(current))

    def filter_dong(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(id_or_name("store__dong", value))


class MerchantApplicationFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    status = filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, label=_("status"))
    waiting = filters.BooleanFilter(
        method="filter_waiting",
        label=_("waiting for the office"),
        help_text=_("true: submitted or in review, so a clerk has the next step."),
    )

    class Meta:
        model = MerchantApplication
        fields = ["office", "status"]

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        waiting = Q(status__in=APPLICATION_WAITING_STATUSES)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


class AccessLogFilterSet(filters.FilterSet):
    action = filters.ChoiceFilter(choices=AccessAction.choices, label=_("action"))
    username = filters.CharFilter(label=_("username"))
    model = filters.CharFilter(label=_("record type"), help_text=_("For example registry.Store."))
    object_pk = filters.CharFilter(label=_("record id"))
    at_after = filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("from"), help_text=_("A local date.")
    )
    at_before = filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("until"), help_text=_("A local date.")
    )

    class Meta:
        model = AccessLog
        fields = ["action", "username", "model", "object_pk"]
