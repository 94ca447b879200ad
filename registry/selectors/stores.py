"""Reads about stores: the search clerks and operators type into, and where a store belongs."""

import re
from datetime import date

from django.db.models import Q, QuerySet

from core.actors import Actor
from core.audit import personal_search_log
from core.personal import PHONE, may_see_personal, personal_match
from registry.choices import DistrictStatus
from registry.models import Membership, Store

_NON_DIGITS = re.compile(r"[\s\-]")


def store_search(queryset: QuerySet[Store], q: str, *, user: Actor | None) -> QuerySet[Store]:
    """Find stores by a piece of the trade name, the business number or the phone.

    Digits (with or without hyphens) match business numbers anywhere, and phones anywhere for a
    reader who may see them; a reader who may not finds a phone only by all its digits
    (core.personal), so the masked phones of the list cannot be rebuilt digit by digit, and
    each such search is written to the access log. Words match the trade name anywhere. Each
    branch is served by a trigram index, which answers whole-value equality too. `user` is
    None only for code that searches on nobody's behalf (benchmarks).
    """
    q = (q or "").strip()
    if not q:
        return queryset
    digits = _NON_DIGITS.sub("", q)
    if digits.isdigit():
        phone = Q(phone__contains=digits)
        if user is not None and not may_see_personal(user):
            phone = personal_match(user, "phone", PHONE, digits)
            personal_search_log(user=user, model=Store._meta.label, kinds=[PHONE], term=q)
        condition = Q(business_number__contains=digits) | phone
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
