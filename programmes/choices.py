"""Stable lowercase values for the kinds and statuses of support programmes, with labels."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes import rules


class ProgrammeKind(models.TextChoices):
    COMPETITIVE = rules.COMPETITIVE, _("Competitive (scored by a committee)")
    ENTITLEMENT = rules.ENTITLEMENT, _("Entitlement (first come, first served)")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = rules.SUBMITTED, _("Submitted")
    SCREENING = rules.SCREENING, _("Screening")
    CHANGES_REQUESTED = rules.CHANGES_REQUESTED, _("Changes requested")
    UNDER_REVIEW = rules.UNDER_REVIEW, _("Under review")
    SELECTED = rules.SELECTED, _("Selected")
    NOT_SELECTED = rules.NOT_SELECTED, _("Not selected")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")
    AWARDED = rules.AWARDED, _("Awarded")


class Reason(models.TextChoices):
    """Why an application was refused or not selected (SPEC 7); `not_eligible:<rule>` is built
    from `EligibilityRule`."""

    OUTSIDE_WINDOW = rules.OUTSIDE_WINDOW, _("Outside the application window")
    DIGIT_DAY = rules.DIGIT_DAY, _("Not this business number's day")
    NOT_REGISTERED = rules.NOT_REGISTERED, _("Not in the office's registry")
    DUPLICATE = rules.DUPLICATE, _("Already applied")
    BUDGET_EXHAUSTED = rules.BUDGET_EXHAUSTED, _("Budget exhausted")
    BELOW_PASS_MARK = rules.BELOW_PASS_MARK, _("Below the pass mark")


class EligibilityRule(models.TextChoices):
    ACTIVE = rules.RULE_ACTIVE, _("The business is trading")
    SALES_MIN = rules.RULE_SALES_MIN, _("Annual sales above the minimum")
    SALES_MAX = rules.RULE_SALES_MAX, _("Annual sales at most the maximum")
    OPENED_BEFORE = rules.RULE_OPENED_BEFORE, _("Opened before the programme's date")
    ENTERPRISE_TYPES = rules.RULE_ENTERPRISE_TYPES, _("A social-economy type the programme takes")
    DONGS = rules.RULE_DONGS, _("Located in one of the programme's dongs")
    RESTRICTED = rules.RULE_RESTRICTED, _("Business type not restricted")


class EventKind(models.TextChoices):
    """Lines of an application's append-only timeline."""

    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    NOTE = "note", _("Note")
    REVIEW = "review", _("Reviewed")
    CONFLICT = "conflict", _("Conflict of interest declared")
    AWARD = "award", _("Award")
    AWARD_LOWERED = "award_lowered", _("Award lowered")
    GRANT = "grant", _("Grant decision")
    PAYMENT = "payment", _("Payment")
    EXPENSE = "expense", _("Expense report")
    SETTLEMENT = "settlement", _("Settlement closed")
    REFUND = "refund", _("Refund returned")
    NOTICE = "notice", _("Notice sent")


class EntryKind(models.TextChoices):
    """Movements of a programme's money, one ledger row each (amounts in won, signed)."""

    AWARD = "award", _("Award")
    AWARD_LOWERED = "award_lowered", _("Award lowered")
    PAYMENT = "payment", _("Payment")
    REFUND_DUE = "refund_due", _("Refund due")
    REFUND_RETURNED = "refund_returned", _("Refund returned")


class DisbursementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    EXPORTED = "exported", _("Exported")
    PAID = "paid", _("Paid")


class ExpenseStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def reason_label(reason: str) -> str:
    """A refusal's or decision's reason in words ("" for none): `not_eligible:<rule>` names
    the rule."""
    if not reason:
        return ""
    head, _sep, rule = reason.partition(":")
    if rule:
        label = dict(EligibilityRule.choices).get(rule, rule)
        return gettext("Not eligible: %(rule)s") % {"rule": label}
    return str(dict(Reason.choices).get(head, reason))
