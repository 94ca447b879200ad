"""The clerk's side of self-registration (SPEC 2.5): review, change requests, rejection and
approval, singly or one by one in bulk.

Each decision owns its transaction, takes the application's row lock and leaves a history row
naming the clerk and the reason, and an access-log row with the same reason. Approval goes
through the store, membership and affiliate services, so a store registered by a merchant's
application is held to exactly the rules of one registered by a clerk; any refusal on the way
rolls the whole approval back. The merchant is notified only after the transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_log
from core.clock import local_date
from core.services import attribute, field_error, lock
from registry import notify
from registry.choices import (
    APPLICATION_STATUS_LABELS,
    AffiliateStatus,
    ApplicationStatus,
    StoreStatus,
)
from registry.models import District, Dong, MerchantApplication, Store, User
from registry.rules import APPLICATION_DECIDED_STATUSES, application_transition_check

from ..affiliates import affiliate_apply
from ..stores import membership_join, store_register, store_update
from .details import district_check, dong_check


@transaction.atomic
def application_review_start(
    *, application: MerchantApplication, user: User
) -> MerchantApplication:
    """A clerk takes a submitted application into review."""
    application = lock(application)
    _review_start(application, user)
    return application


def _review_start(application: MerchantApplication, user: User) -> None:
    application_transition_check(
        application.status, ApplicationStatus.IN_REVIEW, APPLICATION_STATUS_LABELS
    )
    application.status = ApplicationStatus.IN_REVIEW
    reason = _("Review started")
    attribute(application, user, reason)
    application.save(update_fields=["status"])
    change_log(user=user, obj=application, reason=reason)


def _decision_start(application: MerchantApplication, user: User, to: str) -> MerchantApplication:
    """Lock the application; a submitted one is taken into review first, in the history too."""
    application = lock(application)
    if application.status == ApplicationStatus.SUBMITTED:
        _review_start(application, user)
    application_transition_check(application.status, to, APPLICATION_STATUS_LABELS)
    return application


def _decide(
    application: MerchantApplication,
    user: User,
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
    change_log(user=user, obj=application, reason=reason)
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
    user: User,
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
    user: User,
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
    user: User,
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
        dong_check(errors, application.office, application.dong)
    if application.district is None:
        errors["district"] = ValidationError(
            _("Assign the district the store joins."), code="required"
        )
    else:
        district_check(errors, application.office, application.district)
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


def _store_register_or_update(application: MerchantApplication, user: User) -> Store:
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
