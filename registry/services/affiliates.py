from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_log
from core.clock import local_today
from core.services import attribute, field_error, lock, save_checked
from registry.choices import AffiliateStatus, CertificateType, StoreStatus, StrikeOffReason
from registry.models import AffiliateRegistration, Store, User
from registry.selectors import affiliate_eligibility

SETTLEMENT_FIELDS = ("settlement_bank", "settlement_account", "settlement_holder")


def _require_status(registration: AffiliateRegistration, *allowed: str) -> None:
    if registration.status not in allowed:
        raise ValidationError(
            _(
                "A registration that is %(status)s cannot be changed this way; this needs one "
                "that is %(allowed)s."
            )
            % {
                "status": registration.get_status_display(),
                "allowed": ", ".join(str(AffiliateStatus(s).label) for s in allowed),
            },
            code="invalid_transition",
        )


@transaction.atomic
def affiliate_apply(
    *, store: Store, certificate_type: str, user: User, applied_on: date | None = None
) -> AffiliateRegistration:
    """Apply for Onnuri affiliation of one certificate type; one live application per type."""
    store = lock(store)
    if certificate_type not in CertificateType.values:
        raise field_error("certificate_type", _("Choose paper, card or mobile."), "invalid_type")
    if store.status != StoreStatus.ACTIVE:
        raise ValidationError(_("A closed store cannot apply."), code="store_closed")
    live = store.affiliations.filter(
        certificate_type=certificate_type,
        status__in=[AffiliateStatus.APPLIED, AffiliateStatus.APPROVED],
    ).first()
    if live:
        raise field_error(
            "certificate_type",
            _("The store already has a registration for %(type)s that is %(status)s.")
            % {"type": live.get_certificate_type_display(), "status": live.get_status_display()},
            "duplicate_registration",
        )
    registration = AffiliateRegistration(
        store=store,
        certificate_type=certificate_type,
        status=AffiliateStatus.APPLIED,
        applied_on=applied_on or local_today(),
    )
    reason = _("Applied")
    attribute(registration, user, reason)
    save_checked(registration)
    change_log(user=user, obj=registration, reason=reason, added=True)
    return registration


@transaction.atomic
def affiliate_approve(
    *,
    registration: AffiliateRegistration,
    user: User,
    affiliate_number: str,
    settlement_bank: str,
    settlement_account: str,
    settlement_holder: str,
    approved_on: date | None = None,
    valid_until: date | None = None,
) -> AffiliateRegistration:
    """Approve an application after every eligibility rule of SPEC 2.4 has passed.

    A failing rule is named in the refusal; approval records the affiliate number, the date
    and the settlement account.
    """
    registration = lock(registration)
    _require_status(registration, AffiliateStatus.APPLIED)
    approved_on = approved_on or local_today()
    failed = [
        c for c in affiliate_eligibility(registration.store, today=approved_on) if not c.passed
    ]
    if failed:
        raise ValidationError(
            _("The store is not eligible: %(rules)s")
            % {"rules": " / ".join(c.message for c in failed)},
            code="not_eligible",
        )
    errors = {}
    affiliate_number = (affiliate_number or "").strip()
    if not affiliate_number:
        errors["affiliate_number"] = ValidationError(
            _("Enter the affiliate number."), code="required"
        )
    elif _affiliate_number_taken(registration, affiliate_number):
        errors["affiliate_number"] = _affiliate_number_error(affiliate_number)
    for field, value in zip(
        SETTLEMENT_FIELDS, (settlement_bank, settlement_account, settlement_holder), strict=True
    ):
        if not (value or "").strip():
            errors[field] = ValidationError(
                _("Enter the settlement account details."), code="required"
            )
    if valid_until and valid_until <= approved_on:
        errors["valid_until"] = ValidationError(
            _("The end of validity must come after the approval date."), code="invalid_date"
        )
    if errors:
        raise ValidationError(errors)
    registration.status = AffiliateStatus.APPROVED
    registration.affiliate_number = affiliate_number
    registration.approved_on = approved_on
    registration.valid_until = valid_until
    registration.settlement_bank = settlement_bank.strip()
    registration.settlement_account = settlement_account.strip()
    registration.settlement_holder = settlement_holder.strip()
    registration.decided_by = user
    registration.decided_at = timezone.now()
    reason = _("Approved as %(no)s") % {"no": registration.affiliate_number}
    attribute(registration, user, reason)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # taken by an approval that committed after our check
        raise ValidationError(
            {"affiliate_number": _affiliate_number_error(affiliate_number)}
        ) from exc
    change_log(user=user, obj=registration, reason=reason)
    return registration


def _affiliate_number_taken(registration: AffiliateRegistration, number: str) -> bool:
    return (
        AffiliateRegistration.objects.filter(
            certificate_type=registration.certificate_type, affiliate_number=number
        )
        .exclude(pk=registration.pk)
        .exists()
    )


def _affiliate_number_error(number: str) -> ValidationError:
    return ValidationError(
        _("Affiliate number %(no)s is already in use.") % {"no": number},
        code="duplicate_affiliate_number",
    )


@transaction.atomic
def affiliate_reject(
    *, registration: AffiliateRegistration, user: User, reason: str
) -> AffiliateRegistration:
    """Refuse an application, with the reason the merchant is told."""
    registration = lock(registration)
    _require_status(registration, AffiliateStatus.APPLIED)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("rejection_reason", _("Give the reason for rejection."), "required")
    registration.status = AffiliateStatus.REJECTED
    registration.rejection_reason = reason
    registration.decided_by = user
    registration.decided_at = timezone.now()
    logged = _("Rejected: %(why)s") % {"why": reason}
    attribute(registration, user, logged)
    save_checked(registration)
    change_log(user=user, obj=registration, reason=logged)
    return registration


@transaction.atomic
def affiliate_strike_off(
    *,
    registration: AffiliateRegistration,
    user: User,
    reason: str,
    note: str = "",
    revoked_on: date | None = None,
) -> AffiliateRegistration:
    """Strike an approved affiliate off (store closed, moved out, misuse), keeping the reason.

    The strike-off date starts the office's re-registration ban.
    """
    registration = lock(registration)
    _require_status(registration, AffiliateStatus.APPROVED)
    if reason not in StrikeOffReason.values:
        raise field_error(
            "strike_off_reason", _("Choose a reason for the strike-off."), "invalid_reason"
        )
    if reason == StrikeOffReason.OTHER and not (note or "").strip():
        raise field_error(
            "strike_off_note", _("Describe the reason for the strike-off."), "required"
        )
    registration.status = AffiliateStatus.REVOKED
    registration.revoked_on = revoked_on or local_today()
    registration.strike_off_reason = reason
    registration.strike_off_note = (note or "").strip()
    logged = _("Struck off: %(why)s") % {"why": StrikeOffReason(reason).label}
    attribute(registration, user, logged)
    save_checked(registration)
    change_log(user=user, obj=registration, reason=logged)
    return registration


@transaction.atomic
def affiliate_change(
    *,
    registration: AffiliateRegistration,
    user: User,
    settlement_bank: str,
    settlement_account: str,
    settlement_holder: str,
) -> AffiliateRegistration:
    """Change the settlement account of an approved affiliate."""
    registration = lock(registration)
    _require_status(registration, AffiliateStatus.APPROVED)
    values = (settlement_bank, settlement_account, settlement_holder)
    errors = {
        f: ValidationError(_("Enter the settlement account details."), code="required")
        for f, v in zip(SETTLEMENT_FIELDS, values, strict=True)
        if not (v or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    for field, value in zip(SETTLEMENT_FIELDS, values, strict=True):
        setattr(registration, field, value.strip())
    reason = _("Settlement account changed")
    attribute(registration, user, reason)
    save_checked(registration)
    change_log(user=user, obj=registration, reason=reason)
    return registration


@transaction.atomic
def affiliate_renew(
    *, registration: AffiliateRegistration, user: User, valid_until: date
) -> AffiliateRegistration:
    """Extend an approved affiliation, checking eligibility again as of today."""
    registration = lock(registration)
    _require_status(registration, AffiliateStatus.APPROVED)
    today = local_today()
    if valid_until <= today or (
        registration.valid_until and valid_until <= registration.valid_until
    ):
        raise field_error(
            "valid_until",
            _("The new end of validity must be later than the current one and than today."),
            "invalid_date",
        )
    failed = [c for c in affiliate_eligibility(registration.store, today=today) if not c.passed]
    if failed:
        raise ValidationError(
            _("The store is not eligible: %(rules)s")
            % {"rules": " / ".join(c.message for c in failed)},
            code="not_eligible",
        )
    registration.valid_until = valid_until
    reason = _("Renewed until %(day)s") % {"day": valid_until.isoformat()}
    attribute(registration, user, reason)
    save_checked(registration)
    change_log(user=user, obj=registration, reason=reason)
    return registration
