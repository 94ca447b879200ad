from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import change_log
from core.clock import local_today
from core.numbers import brn_format, brn_normalize, phone_digits, phone_valid
from core.services import (
    apply_changes,
    attribute,
    field_error,
    lock,
    require_same_office,
    save_checked,
)
from registry.choices import AffiliateStatus, DistrictStatus, StoreStatus, StrikeOffReason
from registry.models import District, Dong, Membership, Office, Store, User

STORE_FIELDS = {
    "trade_name",
    "representative",
    "phone",
    "road_address",
    "dong",
    "ksic_code",
    "business_type",
    "is_small_business",
    "in_traditional_market",
    "annual_sales",
    "enterprise_type",
    "opened_on",
}


def phone_normalize(value: str) -> str:
    """Keep the digits of a Korean phone number (02-123-4567, 010 1234 5678, +82 10…)."""
    digits = phone_digits(value)
    if (value or "").strip() and not phone_valid(digits):
        raise field_error(
            "phone",
            _("Enter a phone number such as 010-1234-5678 or 062-123-4567."),
            "invalid_phone",
        )
    return digits


@transaction.atomic
def store_register(
    *,
    office: Office,
    user: User,
    business_number: str,
    trade_name: str,
    representative: str,
    dong: Dong,
    ksic_code: str,
    phone: str = "",
    **details,
) -> Store:
    """Register a store under its checked business number, unique within the office."""
    digits = _brn_field(business_number)
    if Store.objects.filter(office=office, business_number=digits).exists():
        raise field_error(
            "business_number",
            _("Business registration number %(number)s is already registered in this office.")
            % {"number": brn_format(digits)},
            "duplicate_business_number",
        )
    require_same_office(dong.office_id, office.pk, "dong")
    unknown = set(details) - STORE_FIELDS
    if unknown:
        raise TypeError(f"unknown store fields: {sorted(unknown)}")
    store = Store(
        office=office,
        business_number=digits,
        trade_name=trade_name.strip(),
        representative=representative.strip(),
        phone=phone_normalize(phone),
        dong=dong,
        ksic_code=ksic_code,
        **details,
    )
    reason = _("Registered")
    attribute(store, user, reason)
    save_checked(store)
    change_log(user=user, obj=store, reason=reason, added=True)
    return store


def _brn_field(value: str) -> str:
    try:
        return brn_normalize(value)
    except ValidationError as exc:
        raise field_error("business_number", exc.messages[0], exc.code) from exc


@transaction.atomic
def store_update(*, store: Store, user: User, **changes) -> Store:
    """Correct a store's details; the business number and office never change."""
    store = lock(store)
    if "phone" in changes:
        changes["phone"] = phone_normalize(changes["phone"])
    if "dong" in changes:
        require_same_office(changes["dong"].office_id, store.office_id, "dong")
    changed = apply_changes(store, changes, STORE_FIELDS)
    if changed:
        reason = _("Edited: %(fields)s") % {"fields": ", ".join(changed)}
        attribute(store, user, reason)
        save_checked(store)
        change_log(user=user, obj=store, reason=reason)
    return store


@transaction.atomic
def store_close(*, store: Store, user: User, closed_on: date | None = None) -> Store:
    """Close a store: its membership ends and its live affiliations are struck off."""
    from .affiliates import affiliate_reject, affiliate_strike_off

    store = lock(store)
    if store.status == StoreStatus.CLOSED:
        raise ValidationError(_("The store is already closed."), code="already_closed")
    closed_on = closed_on or local_today()
    store.status = StoreStatus.CLOSED
    store.closed_on = closed_on
    reason = _("Closed")
    attribute(store, user, reason)
    save_checked(store)
    change_log(user=user, obj=store, reason=reason)
    current = store.memberships.filter(left_on__isnull=True).first()
    if current:
        _membership_end(current, user, closed_on)
    for registration in store.affiliations.filter(status=AffiliateStatus.APPROVED):
        affiliate_strike_off(
            registration=registration,
            user=user,
            reason=StrikeOffReason.STORE_CLOSED,
            revoked_on=closed_on,
        )
    for registration in store.affiliations.filter(status=AffiliateStatus.APPLIED):
        affiliate_reject(registration=registration, user=user, reason=_("The store closed."))
    return store


def _membership_end(membership: Membership, user: User, left_on: date) -> None:
    if membership.joined_on and left_on < membership.joined_on:
        raise field_error(
            "left_on",
            _("The leaving date cannot be before the joining date."),
            "left_before_joined",
        )
    membership.left_on = left_on
    attribute(membership, user, _("Left the district"))
    membership.save(update_fields=["left_on"])


@transaction.atomic
def membership_join(
    *, store: Store, district: District, user: User, joined_on: date | None = None
) -> Membership:
    """Make the store a member of a designated district, ending its current membership."""
    store = lock(store)
    require_same_office(district.office_id, store.office_id, "district")
    if store.status != StoreStatus.ACTIVE:
        raise ValidationError(_("A closed store cannot join a district."), code="store_closed")
    if district.status != DistrictStatus.DESIGNATED:
        raise field_error(
            "district", _("Only a designated district takes members."), "district_not_designated"
        )
    joined_on = joined_on or local_today()
    current = store.memberships.filter(left_on__isnull=True).select_related("district").first()
    if current and current.district_id == district.pk:
        return current
    if current:
        _membership_end(current, user, joined_on)
    membership = Membership(store=store, district=district, joined_on=joined_on)
    reason = _("Joined the district")
    attribute(membership, user, reason)
    membership.save()
    change_log(user=user, obj=store, reason=reason)
    return membership


@transaction.atomic
def membership_leave(*, store: Store, user: User, left_on: date | None = None) -> Membership:
    """End the store's current membership."""
    store = lock(store)
    current = store.memberships.filter(left_on__isnull=True).first()
    if current is None:
        raise ValidationError(_("The store is not a member of any district."), code="no_membership")
    _membership_end(current, user, left_on or local_today())
    change_log(user=user, obj=store, reason=_("Left the district"))
    return current
