"""Stable lowercase values for the hotline (SPEC 4), with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import rules


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Web form")
    FIELD = "field", _("Mayor's field office")


class CallerType(models.TextChoices):
    MERCHANT = "merchant", _("Merchant")
    RESIDENT = "resident", _("Resident")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    ONNURI_REGISTRATION = "onnuri_registration", _("Onnuri registration")
    DESIGNATION = "designation", _("District designation")
    CASHBACK = "cashback", _("Cashback")
    PAYMENT_REFUSED = "payment_refused", _("Certificate refused by a store")
    POLICY_PROPOSAL = "policy_proposal", _("Policy proposal")
    CONSULTING = "consulting", _("Consulting")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    URGENT = rules.URGENT, _("Urgent")
    HIGH = rules.HIGH, _("High")
    NORMAL = rules.NORMAL, _("Normal")
    LOW = rules.LOW, _("Low")


class CaseStatus(models.TextChoices):
    RECEIVED = rules.RECEIVED, _("Received")
    ASSIGNED = rules.ASSIGNED, _("Assigned")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    WAITING_CALLER = rules.WAITING_CALLER, _("Waiting for the caller")
    RESOLVED = rules.RESOLVED, _("Resolved")
    # Not the store status "Closed" (폐업): a closed case is 종결.
    CLOSED = rules.CLOSED, pgettext_lazy("hotline case status", "Closed")


class CloseReason(models.TextChoices):
    RESOLVED = rules.CLOSE_RESOLVED, _("Resolved")
    DUPLICATE = rules.CLOSE_DUPLICATE, _("Duplicate")
    WITHDRAWN = rules.CLOSE_WITHDRAWN, _("Withdrawn by the caller")
    UNREACHABLE = rules.CLOSE_UNREACHABLE, _("Caller unreachable")
    OTHER = rules.CLOSE_OTHER, _("Other")


class EntryKind(models.TextChoices):
    INTAKE = "intake", _("Received")
    STATUS = "status", _("Status change")
    ASSIGNMENT = "assignment", _("Assignment")
    REFERRAL = "referral", _("Referral")
    REPLY = "reply", _("Reply to the caller")
    NOTE = "note", _("Note")
    UPDATE = "update", _("Details changed")


# The statuses' names, for messages built by the rules.
STATUS_LABELS = dict(CaseStatus.choices)

# What each move is called on a button.
MOVE_LABELS = {
    rules.ASSIGNED: _("Assign"),
    rules.IN_PROGRESS: _("Start work"),
    rules.WAITING_CALLER: _("Wait for the caller"),
    rules.RESOLVED: _("Resolve"),
    # Django's own "Close" (a read-only page's button) is "닫기"; closing a case is "종결".
    rules.CLOSED: pgettext_lazy("hotline case move", "Close"),
}
REOPEN_LABEL = _("Reopen")
