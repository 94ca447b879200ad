"""Stable lowercase values for cashback, with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cashback import rules


class PaymentStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class Reason(models.TextChoices):
    GRANTED = rules.GRANTED, _("Granted")
    PARTIAL = rules.PARTIAL, _("Partly granted")
    OUTSIDE_CAMPAIGN = rules.OUTSIDE_CAMPAIGN, _("Outside the campaign")
    METHOD_NOT_ELIGIBLE = rules.METHOD_NOT_ELIGIBLE, _("Certificate type does not earn cashback")
    STORE_NOT_REGISTERED = rules.STORE_NOT_REGISTERED, _("Store not registered")
    STORE_NOT_ELIGIBLE = rules.STORE_NOT_ELIGIBLE, _("Store not eligible")
    BELOW_MINIMUM = rules.BELOW_MINIMUM, _("Below the minimum payment")
    WEEKLY_CAP_REACHED = rules.WEEKLY_CAP_REACHED, _("Weekly cap reached")
    BUDGET_EXHAUSTED = rules.BUDGET_EXHAUSTED, _("Weekly budget exhausted")


class EntryKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    CANCEL = "cancel", _("Cancellation")


class PayoutStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    EXPORTED = "exported", _("Exported")
    CONFIRMED = "confirmed", _("Confirmed")
