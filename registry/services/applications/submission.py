"""The merchant's side of self-registration (SPEC 2.5): filing an application without a login,
and answering a change request with corrections.

Nothing is written unless every check passes; documents written before a rollback are removed
again, and the tracking number is sent only after the commit.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import documents
from core.numbers import brn_format, brn_normalize
from core.services import attribute, field_error, lock
from registry import notify
from registry.choices import (
    APPLICATION_STATUS_LABELS,
    ApplicationStatus,
    CertificateType,
    DocumentKind,
)
from registry.models import District, Dong, MerchantApplication, Office
from registry.rules import TRACKING_ALPHABET, TRACKING_LENGTH, application_transition_check
from registry.selectors import business_number_standing

from .details import details_check
from .documents import document_save, storage_cleanup

# What the merchant may change when answering a change request (never the business number).
CORRECTABLE_FIELDS = {
    "trade_name",
    "representative",
    "phone",
    "email",
    "road_address",
    "dong",
    "district",
    "ksic_code",
    "business_type",
    "certificate_types",
}


def tracking_number_new() -> str:
    """Twelve characters from `secrets`: random, never a sequence, never derived from the data."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def submission_key_hash(key: str) -> str | None:
    return hashlib.sha256(key.encode()).hexdigest() if key else None


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
        storage_cleanup(saved_files)
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
    values, detail_errors = details_check(office, data)
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
    document_save(
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
        storage_cleanup(saved_files)
        raise
    return application


def _resubmit(application, changes, note, document, saved_files) -> MerchantApplication:
    application = lock(application)
    application_transition_check(
        application.status, ApplicationStatus.SUBMITTED, APPLICATION_STATUS_LABELS
    )
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
    values, errors = details_check(application.office, {**current, **changes})
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
        document_save(application, document, DocumentKind.CORRECTION, content_type, saved_files)
    return application
