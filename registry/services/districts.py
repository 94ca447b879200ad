from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_log
from core.clock import local_today
from core.services import apply_changes, attribute, field_error, lock, save_checked
from registry.choices import DistrictStatus, RevocationGround
from registry.models import District, Dong, Office, User
from registry.rules import designation_checks

APPLICATION_FIELDS = {
    "name",
    "location",
    "area_m2",
    "excluded_area_m2",
    "in_commercial_zone",
    "store_count",
    "small_business_store_count",
    "association_name",
    "representative",
    "association_phone",
    "applied_by_representative",
    "merchant_count",
    "consenting_merchants",
    "owner_count",
    "consenting_owners",
    "applied_on",
}
# What may still change after designation: descriptive details, never the decision itself.
DESIGNATED_FIELDS = {
    "location",
    "store_count",
    "small_business_store_count",
    "association_name",
    "representative",
    "association_phone",
    "merchant_count",
    "consenting_merchants",
    "owner_count",
    "consenting_owners",
}


def _require_status(district: District, *allowed: str) -> None:
    if district.status not in allowed:
        raise ValidationError(
            _(
                "A district that is %(status)s cannot be changed this way; this needs a district "
                "that is %(allowed)s."
            )
            % {
                "status": district.get_status_display(),
                "allowed": ", ".join(str(DistrictStatus(s).label) for s in allowed),
            },
            code="invalid_transition",
        )


def _check_dongs(office: Office, dongs: list[Dong]) -> None:
    if any(d.office_id != office.pk for d in dongs):
        raise field_error("dongs", _("Choose dongs of this office."), "other_office")


@transaction.atomic
def district_apply(
    *, office: Office, user: User, name: str, dongs: list[Dong] = (), **details
) -> District:
    """File a designation application: a district in status `applied`, due in 14 days."""
    unknown = set(details) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"unknown district fields: {sorted(unknown)}")
    district = District(office=office, name=name, status=DistrictStatus.APPLIED, **details)
    district.applied_on = district.applied_on or local_today()
    _check_dongs(office, list(dongs))
    reason = _("Application filed")
    attribute(district, user, reason)
    save_checked(district)
    district.dongs.set(dongs)
    change_log(user=user, obj=district, reason=reason, added=True)
    return district


@transaction.atomic
def district_update(
    *, district: District, user: User, dongs: list[Dong] | None = None, **changes
) -> District:
    """Correct an application, or the descriptive details of a designated district."""
    district = lock(district)
    if district.status == DistrictStatus.APPLIED:
        allowed = APPLICATION_FIELDS
    elif district.status == DistrictStatus.DESIGNATED:
        allowed = DESIGNATED_FIELDS
    else:
        raise ValidationError(
            _("A %(status)s district can no longer be edited.")
            % {"status": district.get_status_display()},
            code="closed_record",
        )
    changed = apply_changes(district, changes, allowed)
    if changed:
        attribute(district, user, _("Edited: %(fields)s") % {"fields": ", ".join(changed)})
        save_checked(district)
    if dongs is not None:
        _check_dongs(district.office, list(dongs))
        district.dongs.set(dongs)
        changed.append("dongs")
    if changed:
        reason = _("Edited: %(fields)s") % {"fields": ", ".join(changed)}
        change_log(user=user, obj=district, reason=reason)
    return district


@transaction.atomic
def district_designate(
    *,
    district: District,
    user: User,
    designation_no: str,
    designated_on: date | None = None,
    override_reason: str = "",
) -> District:
    """Designate an applied district: the clerk's decision, recorded with who and when.

    The office's criteria are checked first; when any fails, the clerk may still designate but
    only with a written reason, which the history keeps.
    """
    district = lock(district)
    _require_status(district, DistrictStatus.APPLIED)
    designation_no = (designation_no or "").strip()
    if not designation_no:
        raise field_error("designation_no", _("Enter the designation number."), "required")
    if (
        District.objects.filter(office_id=district.office_id, designation_no=designation_no)
        .exclude(pk=district.pk)
        .exists()
    ):
        raise field_error(
            "designation_no",
            _("Designation number %(no)s is already in use in this office.")
            % {"no": designation_no},
            "duplicate_designation_no",
        )
    failed = [
        c
        for c in designation_checks(district.office.criteria_settings(), district.facts())
        if not c.passed
    ]
    override_reason = (override_reason or "").strip()
    if failed and not override_reason:
        raise field_error(
            "override_reason",
            _("These criteria are not met: %(rules)s. Designating anyway needs a written reason.")
            % {"rules": " / ".join(c.message for c in failed)},
            "criteria_not_met",
        )
    district.status = DistrictStatus.DESIGNATED
    district.designation_no = designation_no
    district.designated_on = designated_on or local_today()
    district.decided_by = user
    district.decided_at = timezone.now()
    district.override_reason = override_reason if failed else ""
    reason = _("Designated as %(no)s") % {"no": designation_no}
    if failed:
        reason += " — " + _("despite failed criteria: %(why)s") % {"why": override_reason}
    attribute(district, user, reason)
    save_checked(district)
    change_log(user=user, obj=district, reason=reason)
    return district


@transaction.atomic
def district_reject(*, district: District, user: User, reason: str) -> District:
    """Reject an application, with the reason the merchants' organisation will be told."""
    district = lock(district)
    _require_status(district, DistrictStatus.APPLIED)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("rejection_reason", _("Give the reason for rejection."), "required")
    district.status = DistrictStatus.REJECTED
    district.rejection_reason = reason
    district.decided_by = user
    district.decided_at = timezone.now()
    logged = _("Rejected: %(why)s") % {"why": reason}
    attribute(district, user, logged)
    save_checked(district)
    change_log(user=user, obj=district, reason=logged)
    return district


@transaction.atomic
def district_revoke(
    *, district: District, user: User, ground: str, reason: str = "", revoked_on: date | None = None
) -> District:
    """Revoke a designation on one of the grounds of the law; current memberships end with it."""
    from registry.models import Membership

    district = lock(district)
    _require_status(district, DistrictStatus.DESIGNATED)
    if ground not in RevocationGround.values:
        raise field_error(
            "revocation_ground", _("Choose a ground for revocation."), "invalid_ground"
        )
    revoked_on = revoked_on or local_today()
    if revoked_on < district.designated_on:
        raise field_error(
            "revoked_on",
            _("The revocation date cannot be before the designation date."),
            "before_designation",
        )
    district.status = DistrictStatus.REVOKED
    district.revoked_on = revoked_on
    district.revocation_ground = ground
    district.revocation_reason = (reason or "").strip()
    district.decided_by = user
    district.decided_at = timezone.now()
    logged = _("Revoked: %(ground)s") % {"ground": RevocationGround(ground).label}
    attribute(district, user, logged)
    save_checked(district)
    change_log(user=user, obj=district, reason=logged)
    for membership in Membership.objects.filter(district=district, left_on__isnull=True):
        membership.left_on = max(revoked_on, membership.joined_on or revoked_on)
        attribute(membership, user, _("District revoked"))
        membership.save(update_fields=["left_on"])
    return district


@transaction.atomic
def district_certificate_issue(*, district: District, user: User) -> District:
    """Record that the designation certificate was issued (the first printing counts)."""
    district = lock(district)
    _require_status(district, DistrictStatus.DESIGNATED)
    if district.certificate_issued_at is None:
        district.certificate_issued_at = timezone.now()
        reason = _("Designation certificate issued")
        attribute(district, user, reason)
        district.save(update_fields=["certificate_issued_at"])
        change_log(user=user, obj=district, reason=reason)
    return district
