"""Merchant self-registration (SPEC 2.5): filing, review, decisions and the merchant's answer.

Each function owns its transaction and leaves a history row naming who acted and why. Approval
goes through the store, membership and affiliate services, so a store registered by a merchant's
application is held to exactly the rules of one registered by a clerk; any refusal on the way
rolls the whole approval back. Notifications go out only after the transaction commits.
"""

import contextlib
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import documents
from core.clock import local_date
from core.numbers import brn_format, brn_normalize
from core.services import attribute, field_error, lock
from registry import notify
from registry.choices import (
    APPLICATION_STATUS_LABELS,
    AffiliateStatus,
    ApplicationStatus,
    CertificateType,
    DistrictStatus,
    DocumentKind,
    StoreStatus,
)
from registry.models import ApplicationDocument, District, Dong, MerchantApplication, Office, Store
from registry.rules import (
    APPLICATION_DECIDED_STATUSES,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    application_transition_check,
)
from registry.selectors import business_number_standing

from .affiliates import affiliate_apply
from .stores import membership_join, phone_normalize, store_register, store_update

# What the merchant may change when answering a change request (never the business number).
CORRECTABLE_FIELDS = {
    "trade_name", "representative", "phone", "email", "road_address", "dong", "district",
    "ksic_code", "business_type", "certificate_types",
}  # fmt: skip
_TEXT_LIMITS = {"trade_name": 100, "representative": 50, "road_address": 200, "business_type": 100}


def tracking_number_new() -> str:
    """Twelve characters from `secrets`: random, never a sequence, never derived from the data."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def submission_key_hash(key: str) -> str | None:
    return hashlib.sha256(key.encode()).hexdigest() if key else None


def _require_transition(application: MerchantApplication, to: str) -> None:
    application_transition_check(application.status, to, APPLICATION_STATUS_LABELS)


# --- checking what the merchant sent ------------------------------------------------------


def _text(errors: dict, field: str, value: str, *, required: bool = True) -> str:
    value = " ".join(str(value or "").split())
    limit = _TEXT_LIMITS.get(field, 200)
    if required and not value:
        errors[field] = ValidationError(_("This field is required."), code="required")
    elif len(value) > limit:
        errors[field] = ValidationError(
            _("Keep this under %(limit)s characters.") % {"limit": limit}, code="too_long"
        )
    return value


def _details_check(office: Office, data: dict) -> tuple[dict, dict]:
    """Clean the store details of an application; return (values, errors by field)."""
    errors: dict[str, ValidationError] = {}
    values = {
        field: _text(errors, field, data.get(field, ""), required=field != "business_type")
        for field in ("trade_name", "representative", "road_address", "business_type")
    }
    try:
        values["phone"] = phone_normalize(data.get("phone", ""))
    except ValidationError as error:
        errors.update(error.error_dict)
    else:
        if not values["phone"]:
            errors["phone"] = ValidationError(
                _("Enter a phone number: you need its last four digits to check the status."),
                code="required",
            )
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ValidationError(_("Enter a valid email address."), code="invalid")
    values["email"] = email
    values["dong"] = _dong_check(errors, office, data.get("dong"))
    values["district"] = _district_check(errors, office, data.get("district"))
    ksic_code = str(data.get("ksic_code") or "").strip()
    if ksic_code and not (len(ksic_code) == 5 and ksic_code.isascii() and ksic_code.isdigit()):
        errors["ksic_code"] = ValidationError(
            _("A KSIC code is five digits, for example 56211."), code="invalid_ksic"
        )
    values["ksic_code"] = ksic_code
    if not values["business_type"] and not ksic_code:
        errors["business_type"] = ValidationError(
            _("Choose or describe the business type."), code="required"
        )
    types = list(dict.fromkeys(data.get("certificate_types") or []))
    if set(types) - set(CertificateType.values):
        errors["certificate_types"] = ValidationError(
            _("Choose paper, card or mobile."), code="invalid_type"
        )
    values["certificate_types"] = types
    return values, errors


def _dong_check(errors: dict, office: Office, dong: Dong | None) -> Dong | None:
    if dong is not None and dong.office_id != office.pk:
        errors["dong"] = ValidationError(_("Choose a dong of this office."), code="other_office")
    return dong


def _district_check(errors: dict, office: Office, district: District | None) -> District | None:
    if district is None:
        return None
    if district.office_id != office.pk or district.status != DistrictStatus.DESIGNATED:
        errors["district"] = ValidationError(
            _("Choose one of the office's designated districts, or “I don't know”."),
            code="district_not_designated",
        )
    return district


def _standing_check(office: Office, digits: str, values: dict) -> None:
    """Refuse a number that has an open application, a closed store, or nothing left to ask."""
    standing = business_number_standing(office, digits)
    if standing.status == "pending":
        raise field_error(
            "business_number",
            _(
                "An application for %(number)s is already being processed. Check it on the "
                "status page with its tracking number; you can send a new one once it is decided."
            )
            % {"number": brn_format(digits)},
            "duplicate_pending",
        )
    if standing.status == "closed":
        raise field_error(
            "business_number",
            _(
                "%(number)s is registered with the office as a closed business. Contact the "
                "office to reopen it before you apply."
            )
            % {"number": brn_format(digits)},
            "store_closed",
        )
    store = standing.store
    if store is None:
        return
    wanted_district = values["district"]
    in_district = standing.district_id is not None and (
        wanted_district is None or wanted_district.pk == standing.district_id
    )
    if in_district and set(values["certificate_types"]) <= standing.live_types:
        raise field_error(
            "business_number",
            _(
                "%(number)s is already registered with the office as you ask: a member of its "
                "district, with the certificate types chosen. To change its details, contact "
                "the office."
            )
            % {"number": brn_format(digits)},
            "already_registered",
        )


def _document_save(
    application: MerchantApplication, upload, kind: str, content_type: str, saved: list[str]
) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        original_name=documents.original_name(upload),
    )
    upload.seek(0)
    document.file.save(documents.document_name(content_type), upload, save=False)
    saved.append(document.file.name)
    document.save()
    return document


def _storage_cleanup(names: Iterable[str]) -> None:
    """Files written before a rollback would be orphans holding personal data: remove them."""
    from django.core.files.storage import default_storage

    for name in names:
        with contextlib.suppress(OSError):  # already gone: nothing else to undo
            default_storage.delete(name)


# --- the merchant -------------------------------------------------------------------------


def application_submit(
    *,
    office: Office,
    business_number: str,
    trade_name: str,
    representative: str,
    phone: str,
    road_address: str,
    document,
    consent: bool,
    dong: Dong | None = None,
    district: District | None = None,
    ksic_code: str = "",
    business_type: str = "",
    certificate_types: Iterable[str] = (),
    email: str = "",
    language: str = "ko",
    submission_key: str = "",
    status_url: str = "",
    notify_merchant: bool = True,
) -> MerchantApplication:
    """File a merchant's application with its business registration certificate.

    Refused, with the field named: no privacy consent; a business number failing the checksum;
    missing or malformed details; a district that is not one of the office's designated ones;
    a document that is not a PDF, JPEG or PNG of at most 5 MB; a number that already has an open
    application (`duplicate_pending`), belongs to a closed store (`store_closed`) or is already
    registered as asked (`already_registered`); the same form sent twice
    (`duplicate_submission`). Nothing is written unless everything passes; the tracking number
    is sent after the commit.
    """
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            application = _submit(
                office=office,
                data={
                    "business_number": business_number,
                    "trade_name": trade_name,
                    "representative": representative,
                    "phone": phone,
                    "road_address": road_address,
                    "dong": dong,
                    "district": district,
                    "ksic_code": ksic_code,
                    "business_type": business_type,
                    "certificate_types": list(certificate_types or ()),
                    "email": email,
                },
                document=document,
                consent=consent,
                language=language,
                submission_key=submission_key,
                saved_files=saved_files,
            )
    except BaseException:
        _storage_cleanup(saved_files)
        raise
    if notify_merchant:
        transaction.on_commit(
            lambda: notify.application_received(application, status_url=status_url), robust=True
        )
    return application


def _submit(
    *, office, data, document, consent, language, submission_key, saved_files
) -> MerchantApplication:
    key_hash = submission_key_hash(submission_key)
    if key_hash and MerchantApplication.objects.filter(submission_key=key_hash).exists():
        raise ValidationError(
            _("This form was already sent: your application is filed."),
            code="duplicate_submission",
        )
    errors: dict[str, ValidationError] = {}
    if consent is not True:
        errors["consent"] = ValidationError(
            _("Agree to the collection and use of your personal data to apply."),
            code="consent_required",
        )
    digits = ""
    try:
        digits = brn_normalize(data["business_number"])
    except ValidationError as error:
        errors["business_number"] = error
    values, detail_errors = _details_check(office, data)
    errors.update(detail_errors)
    content_type = None
    try:
        content_type = documents.document_check(document)
    except ValidationError as error:
        errors["document"] = error
    if errors:
        raise ValidationError(errors)
    # Two applications for one number sent at once both pass this check; the partial unique
    # constraint then refuses the second (below).
    _standing_check(office, digits, values)
    now = timezone.now()
    types = values.pop("certificate_types")
    application = MerchantApplication(
        office=office,
        tracking_number=_unused_tracking_number(),
        business_number=digits,
        consented_at=now,
        submitted_at=now,
        language=language if language in ("ko", "en") else "ko",
        submission_key=key_hash,
        **values,
        **{f"wants_{t}": t in types for t in CertificateType.values},
    )
    attribute(application, None, _("Submitted by the merchant"))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        if key_hash and MerchantApplication.objects.filter(submission_key=key_hash).exists():
            raise ValidationError(
                _("This form was already sent: your application is filed."),
                code="duplicate_submission",
            ) from exc
        raise field_error(
            "business_number",
            _("An application for %(number)s is already being processed.")
            % {"number": brn_format(digits)},
            "duplicate_pending",
        ) from exc
    _document_save(
        application, document, DocumentKind.BUSINESS_CERTIFICATE, content_type, saved_files
    )
    return application


def _unused_tracking_number() -> str:
    # 2^60 numbers make a clash all but impossible; checking costs one indexed query.
    while True:
        number = tracking_number_new()
        if not MerchantApplication.objects.filter(tracking_number=number).exists():
            return number


def application_resubmit(
    *,
    application: MerchantApplication,
    changes: dict,
    note: str = "",
    document=None,
    status_url: str = "",
) -> MerchantApplication:
    """The merchant answers a change request with corrected details and/or a new document.

    Only an application whose status is `changes_requested` takes an answer; it goes back to
    `submitted`. The business number never changes here (a wrong number is a new application).
    """
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            application = _resubmit(application, changes, note, document, saved_files)
    except BaseException:
        _storage_cleanup(saved_files)
        raise
    return application


def _resubmit(application, changes, note, document, saved_files) -> MerchantApplication:
    application = lock(application)
    _require_transition(application, ApplicationStatus.SUBMITTED)
    current = {
        "trade_name": application.trade_name,
        "representative": application.representative,
        "phone": application.phone,
        "email": application.email,
        "road_address": application.road_address,
        "dong": application.dong,
        "district": application.district,
        "ksic_code": application.ksic_code,
        "business_type": application.business_type,
        "certificate_types": application.certificate_types,
    }
    values, errors = _details_check(application.office, {**current, **changes})
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = ValidationError(
            _("Keep this under %(limit)s characters.") % {"limit": 2000}, code="too_long"
        )
    content_type = None
    if document is not None:
        try:
            content_type = documents.document_check(document)
        except ValidationError as error:
            errors["document"] = error
    if errors:
        raise ValidationError(errors)
    types = values.pop("certificate_types")
    for field, value in values.items():
        setattr(application, field, value)
    for kind in CertificateType.values:
        setattr(application, f"wants_{kind}", kind in types)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.merchant_note = note
    # The request is answered; the history keeps what it said.
    application.clerk_message = ""
    attribute(application, None, _("Corrected by the merchant"))
    application.full_clean(exclude=["submission_key"])
    application.save()
    if document is not None:
        _document_save(application, document, DocumentKind.CORRECTION, content_type, saved_files)
    return application


# --- the clerk ----------------------------------------------------------------------------


@transaction.atomic
def application_review_start(*, application: MerchantApplication, user) -> MerchantApplication:
    """A clerk takes a submitted application into review."""
    application = lock(application)
    _review_start(application, user)
    return application


def _review_start(application: MerchantApplication, user) -> None:
    _require_transition(application, ApplicationStatus.IN_REVIEW)
    application.status = ApplicationStatus.IN_REVIEW
    attribute(application, user, _("Review started"))
    application.save(update_fields=["status"])


def _decision_start(application: MerchantApplication, user, to: str) -> MerchantApplication:
    """Lock the application; a submitted one is taken into review first, in the history too."""
    application = lock(application)
    if application.status == ApplicationStatus.SUBMITTED:
        _review_start(application, user)
    _require_transition(application, to)
    return application


def _decide(
    application: MerchantApplication,
    user,
    status: str,
    message: str,
    reason: str,
    status_url: str,
    notify_merchant: bool = True,
) -> None:
    application.status = status
    application.clerk_message = message
    if status in APPLICATION_DECIDED_STATUSES:
        application.decided_by = user if getattr(user, "pk", None) else None
        application.decided_at = timezone.now()
    attribute(application, user, reason)
    application.save()
    if notify_merchant:
        transaction.on_commit(
            lambda: notify.application_status_changed(application, status_url=status_url),
            robust=True,
        )


def _message_required(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise field_error(
            "message", _("Write the message the merchant will read."), "message_required"
        )
    return message


@transaction.atomic
def application_request_changes(
    *,
    application: MerchantApplication,
    user,
    message: str,
    status_url: str = "",
    notify_merchant: bool = True,
) -> MerchantApplication:
    """Ask the merchant to correct details or send a document again; the message says what."""
    message = _message_required(message)
    application = _decision_start(application, user, ApplicationStatus.CHANGES_REQUESTED)
    _decide(
        application,
        user,
        ApplicationStatus.CHANGES_REQUESTED,
        message,
        _("Changes requested: %(message)s") % {"message": message},
        status_url,
        notify_merchant,
    )
    return application


@transaction.atomic
def application_reject(
    *,
    application: MerchantApplication,
    user,
    message: str,
    status_url: str = "",
    notify_merchant: bool = True,
) -> MerchantApplication:
    """Refuse an application, with the reason the merchant reads on the status page."""
    message = _message_required(message)
    application = _decision_start(application, user, ApplicationStatus.REJECTED)
    _decide(
        application,
        user,
        ApplicationStatus.REJECTED,
        message,
        _("Rejected: %(message)s") % {"message": message},
        status_url,
        notify_merchant,
    )
    return application


@transaction.atomic
def application_approve(
    *,
    application: MerchantApplication,
    user,
    message: str = "",
    dong: Dong | None = None,
    district: District | None = None,
    ksic_code: str | None = None,
    business_type: str | None = None,
    status_url: str = "",
    notify_merchant: bool = True,
) -> MerchantApplication:
    """Approve: register or update the store, make it a member of the district and apply for
    each Onnuri type wanted, all in this one transaction.

    The clerk may set what the merchant left open (dong, district, KSIC code); those are kept on
    the application. Certificate types the store already holds (applied or approved) are left
    as they are. Any refusal of the registry's services (a closed store, a district no longer
    designated, a restricted field) undoes everything and reaches the clerk as it is.
    """
    application = _decision_start(application, user, ApplicationStatus.APPROVED)
    _approval_details(application, dong, district, ksic_code, business_type)
    store = _store_register_or_update(application, user)
    membership_join(store=store, district=application.district, user=user)
    live = set(
        store.affiliations.filter(
            status__in=[AffiliateStatus.APPLIED, AffiliateStatus.APPROVED]
        ).values_list("certificate_type", flat=True)
    )
    applied_on = local_date(application.created_at)
    for kind in application.certificate_types:
        if kind not in live:
            affiliate_apply(store=store, certificate_type=kind, user=user, applied_on=applied_on)
    application.store = store
    message = (message or "").strip()
    _decide(
        application,
        user,
        ApplicationStatus.APPROVED,
        message,
        _("Approved: %(store)s") % {"store": store},
        status_url,
        notify_merchant,
    )
    return application


def _approval_details(application, dong, district, ksic_code, business_type) -> None:
    errors: dict[str, ValidationError] = {}
    application.dong = dong or application.dong
    application.district = district or application.district
    if ksic_code:
        application.ksic_code = ksic_code.strip()
    if business_type:
        application.business_type = " ".join(business_type.split())[:100]
    if application.dong is None:
        errors["dong"] = ValidationError(_("Choose the store's dong."), code="required")
    else:
        _dong_check(errors, application.office, application.dong)
    if application.district is None:
        errors["district"] = ValidationError(
            _("Assign the district the store joins."), code="required"
        )
    else:
        _district_check(errors, application.office, application.district)
    if not application.ksic_code:
        errors["ksic_code"] = ValidationError(_("Set the store's KSIC code."), code="required")
    elif not (
        len(application.ksic_code) == 5
        and application.ksic_code.isascii()
        and application.ksic_code.isdigit()
    ):
        errors["ksic_code"] = ValidationError(
            _("A KSIC code is five digits, for example 56211."), code="invalid_ksic"
        )
    if errors:
        raise ValidationError(errors)


def _store_register_or_update(application: MerchantApplication, user) -> Store:
    details = {
        "trade_name": application.trade_name,
        "representative": application.representative,
        "phone": application.phone,
        "road_address": application.road_address,
        "dong": application.dong,
        "ksic_code": application.ksic_code,
        "business_type": application.business_type,
    }
    store = (
        Store.objects.filter(
            office_id=application.office_id, business_number=application.business_number
        )
        .select_related("office")
        .first()
    )
    if store is None:
        return store_register(
            office=application.office,
            user=user,
            business_number=application.business_number,
            **details,
        )
    if store.status != StoreStatus.ACTIVE:
        raise ValidationError(
            _("The store registered under this number is closed; it cannot join a district."),
            code="store_closed",
        )
    return store_update(store=store, user=user, **details)
