"""Reads about stores: the search clerks and operators type into, and where a store belongs."""

import re
from datetime import date

from django.db.models import Q, QuerySet

from registry.choices import DistrictStatus
from registry.models import Membership, Store

_NON_DIGITS = re.compile(r"[\s\-]")


def store_search(queryset: QuerySet[Store], q: str) -> QuerySet[Store]:
    """Find stores by a piece of the trade name, the business number or the phone.

    Digits (with or without hyphens) match numbers and phones anywhere; words match the trade
    name anywhere. Each branch is served by a trigram index.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    digits = _NON_DIGITS.sub("", q)
    if digits.isdigit():
        condition = Q(business_number__contains=digits) | Q(phone__contains=digits)
        if len(digits) < 3:
            condition |= Q(trade_name__icontains=q)
        return queryset.filter(condition)
    return queryset.filter(trade_name__icontains=q)


def memberships_current() -> QuerySet[Membership]:
    """Memberships in force now: not ended, in a district that is designated (SPEC 6's
    `stores_member` counts the active stores that have one)."""
    return Membership.objects.filter(
        left_on__isnull=True, district__status=DistrictStatus.DESIGNATED
    )


def store_current_membership(store: Store) -> Membership | None:
    return store.memberships.filter(left_on__isnull=True).select_related("district").first()


def store_in_designated_district(store: Store, on: date) -> bool:
    """Whether the store was a member of a designated district of its office on `on`."""
    return (
        Membership.objects.filter(store=store, district__office_id=store.office_id)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(Q(joined_on__lte=on) | Q(joined_on__isnull=True, district__designated_on__lte=on))
        .filter(district__designated_on__lte=on)
        .filter(
            Q(district__status=DistrictStatus.DESIGNATED)
            | Q(district__status=DistrictStatus.REVOKED, district__revoked_on__gt=on)
        )
        .exists()
    )
