from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import choices_check
from core.numbers import account_mask
from programmes.choices import DisbursementStatus, EntryKind, ExpenseStatus
from programmes.models.application import Application
from programmes.models.programme import Programme


class Grant(models.Model):
    """The grant decision (교부결정) on an award: the amount granted and the settlement account.

    `scheduled` is what the instalments add up to and never exceeds the amount; `accepted` is
    what the clerk accepted of the expense report. When the settlement is closed, what was paid
    and not accepted becomes `refund_due`, and `refund_returned` records what came back. Each
    counter moves inside the database with a constraint behind it, and each movement of money
    also writes a ledger row.
    """

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="grant"
    )
    amount = models.BigIntegerField(_("amount granted (won)"))
    bank = models.CharField(_("settlement bank"), max_length=40)
    account_number = models.CharField(_("settlement account"), max_length=40)
    account_holder = models.CharField(_("account holder"), max_length=50)
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled = models.BigIntegerField(_("in instalments (won)"), default=0, editable=False)
    accepted = models.BigIntegerField(_("expenses accepted (won)"), default=0, editable=False)
    settled_at = models.DateTimeField(_("settlement closed at"), null=True, blank=True)
    refund_due = models.BigIntegerField(_("refund due (won)"), default=0, editable=False)
    refund_returned = models.BigIntegerField(_("refund returned (won)"), default=0, editable=False)
    refund_returned_at = models.DateTimeField(_("refund returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant decision")
        verbose_name_plural = _("grant decisions")
        ordering = ["-decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("A grant must be more than 0 won."),
            ),
            models.CheckConstraint(
                condition=Q(scheduled__gte=0, scheduled__lte=F("amount")),
                name="%(app_label)s_%(class)s_instalments_within_grant",
                violation_error_message=_("The instalments cannot add up to more than the grant."),
            ),
            models.CheckConstraint(
                condition=Q(accepted__gte=0, accepted__lte=F("amount")),
                name="%(app_label)s_%(class)s_accepted_within_grant",
                violation_error_message=_("Accepted expenses cannot exceed the grant."),
            ),
            models.CheckConstraint(
                condition=Q(refund_returned__gte=0, refund_returned__lte=F("refund_due")),
                name="%(app_label)s_%(class)s_refund_within_due",
                violation_error_message=_("More cannot be returned than is due."),
            ),
            models.CheckConstraint(
                condition=Q(refund_due__gte=0, refund_due__lte=F("amount")),
                name="%(app_label)s_%(class)s_refund_due_within_grant",
                violation_error_message=_("A refund cannot exceed the grant."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def account_masked(self) -> str:
        return account_mask(self.account_number)

    @property
    def refund_outstanding(self) -> int:
        return self.refund_due - self.refund_returned


class Disbursement(models.Model):
    """One instalment of a grant, paid through the finance system: a draft, exported in a CSV
    file for the finance system, then marked paid when the money has left."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="disbursements"
    )
    sequence = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.BigIntegerField(_("amount (won)"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["grant_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "sequence"],
                name="%(app_label)s_%(class)s_unique_sequence",
                violation_error_message=_("This instalment number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("An instalment must be more than 0 won."),
            ),
            choices_check(
                "status",
                DisbursementStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(status=DisbursementStatus.DRAFT, exported_at__isnull=True)
                | Q(status=DisbursementStatus.EXPORTED, exported_at__isnull=False)
                | Q(
                    status=DisbursementStatus.PAID, exported_at__isnull=False, paid_at__isnull=False
                ),
                name="%(app_label)s_%(class)s_dates_of_status",
                violation_error_message=_("An instalment's dates must match its status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} #{self.sequence}"


def evidence_path(instance: "ExpenseLine", filename: str) -> str:
    return f"programmes/evidence/{instance.grant_id}/{filename}"


class ExpenseLine(models.Model):
    """One line of a competitive grant's expense report (정산) with its evidence, accepted or
    rejected by a clerk."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="expenses"
    )
    item = models.CharField(_("item"), max_length=100)
    amount = models.BigIntegerField(_("amount (won)"))
    spent_on = models.DateField(_("spent on"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255, blank=True)
    evidence_note = models.CharField(_("evidence"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        ordering = ["grant_id", "spent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("An expense must be more than 0 won."),
            ),
            choices_check(
                "status",
                ExpenseStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
        ]

    def __str__(self) -> str:
        return self.item


class LedgerEntry(models.Model):
    """One movement of a programme's money, append-only (as in cashback): an award (+), an award
    lowered (−), a payment, a refund falling due and a refund returned. The programme's and each
    grant's counters always equal the sums of their rows."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="ledger"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("amount (won)"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["programme_id", "at", "id"]
        constraints = [
            choices_check(
                "kind", EntryKind, "%(app_label)s_%(class)s_kind_valid", _("Choose a kind.")
            ),
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="%(app_label)s_%(class)s_amount_not_zero",
                violation_error_message=_("A ledger entry moves some money."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "kind"], name="programmes_ledger_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,}"
