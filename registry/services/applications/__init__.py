"""Merchant self-registration (SPEC 2.5): the merchant files and corrects (`submission`), the
clerk reviews and decides (`review`); `details` checks what either sends and `documents` keeps
the files.

Each function owns its transaction and leaves a history row naming who acted and why.
"""

from .review import (
    application_approve,
    application_reject,
    application_request_changes,
    application_review_start,
)
from .submission import (
    CORRECTABLE_FIELDS,
    application_resubmit,
    application_submit,
    submission_key_hash,
    tracking_number_new,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "application_approve",
    "application_reject",
    "application_request_changes",
    "application_resubmit",
    "application_review_start",
    "application_submit",
    "submission_key_hash",
    "tracking_number_new",
]
