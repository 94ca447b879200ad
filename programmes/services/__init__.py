"""Every write of the support programmes, one function per use case (SPEC 7)."""

from programmes.services.applying import (
    ApplicationInput,
    application_check,
    application_input_parse,
    application_submit,
    programme_eligibility,
)
from programmes.services.common import Refusal
from programmes.services.money import (
    DISBURSEMENT_COLUMNS,
    disbursement_add,
    disbursement_mark_paid,
    disbursements_export,
    expense_add,
    expense_decide,
    grant_decide,
    grant_paid,
    refund_record,
    settlement_close,
)
from programmes.services.moves import application_note, application_transition
from programmes.services.review import (
    review_submit,
    reviewer_assign,
    reviewer_assigned,
    reviewer_can_be_assigned,
)
from programmes.services.selection import Selected, award_lower, programme_select
from programmes.services.setup import CriterionInput, DigitDayInput, programme_create

__all__ = [
    "DISBURSEMENT_COLUMNS",
    "ApplicationInput",
    "CriterionInput",
    "DigitDayInput",
    "Refusal",
    "Selected",
    "application_check",
    "application_input_parse",
    "application_note",
    "application_submit",
    "application_transition",
    "award_lower",
    "disbursement_add",
    "disbursement_mark_paid",
    "disbursements_export",
    "expense_add",
    "expense_decide",
    "grant_decide",
    "grant_paid",
    "programme_create",
    "programme_eligibility",
    "programme_select",
    "refund_record",
    "review_submit",
    "reviewer_assign",
    "reviewer_assigned",
    "reviewer_can_be_assigned",
    "settlement_close",
]
