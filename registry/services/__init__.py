"""Every write of the registry, one function per use case.

Views, admin, API, importers and commands parse their input and call one of these; each owns its
transaction, takes row locks through `lock()`, and leaves the change in the history with the
acting user.
"""

from .accounts import (
    otp_device_confirm,
    otp_device_confirmed,
    otp_device_pending,
    otp_devices_reset,
)
from .affiliates import (
    affiliate_apply,
    affiliate_approve,
    affiliate_change,
    affiliate_reject,
    affiliate_renew,
    affiliate_strike_off,
)
from .applications import (
    application_approve,
    application_reject,
    application_request_changes,
    application_resubmit,
    application_review_start,
    application_submit,
)
from .districts import (
    district_apply,
    district_certificate_issue,
    district_designate,
    district_reject,
    district_revoke,
    district_update,
)
from .offices import office_create_or_update, office_restricted_types_reset
from .stores import membership_join, membership_leave, store_close, store_register, store_update

__all__ = [
    "affiliate_apply",
    "affiliate_approve",
    "affiliate_change",
    "affiliate_reject",
    "affiliate_renew",
    "affiliate_strike_off",
    "application_approve",
    "application_reject",
    "application_request_changes",
    "application_resubmit",
    "application_review_start",
    "application_submit",
    "district_apply",
    "district_certificate_issue",
    "district_designate",
    "district_reject",
    "district_revoke",
    "district_update",
    "membership_join",
    "membership_leave",
    "office_create_or_update",
    "office_restricted_types_reset",
    "otp_device_confirm",
    "otp_device_confirmed",
    "otp_device_pending",
    "otp_devices_reset",
    "store_close",
    "store_register",
    "store_update",
]
