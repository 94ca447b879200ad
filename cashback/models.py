from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cashback.choices import EntryKind, PaymentStatus, PayoutStatus, Reason
from cashback.constants import TALLY_SLOTS
from cashback.rules import FIRST_POSSIBLE_DAY, LAST_POSSIBLE_DAY, MAX_DAYS, Terms
from core.choices import choices_check
from registry.choices import CertificateType


def default_methods() -> list[str]:
    return [CertificateType.CARD.value, CertificateType.MOBILE.value]


class Campaign(models.Model):
    """A cashback campaign of an office, such as Seo-gu's Alley Pay (SPEC 3.1).

    Its weeks are derived from the first day; the total budget always equals the sum of the
    weeks' budgets. Once the first payment arrives the terms are frozen; only budgets may rise.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"), help_text=_("A day from 2000 to 2099."))
    last_day = models.DateField(
        _("last day"),
        help_text=_("At most 104 weeks (two years) after the first day, that day included."),
    )
    methods = models.JSONField(_("certificate types that earn"), default=default_methods)
    minimum = models.PositiveBigIntegerField(_("minimum payment (won)"), default=20_000)
    rate_bp = models.PositiveIntegerField(
        _("rate (basis points)"), default=500, help_text=_("500 basis points are 5%.")
    )
    weekly_cap = models.PositiveBigIntegerField(_("weekly cap per customer (won)"), default=10_000)
    weekly_budget = models.PositiveBigIntegerField(_("default weekly budget (won)"))
    rounding_unit = models.PositiveIntegerField(
        _("rounding unit (won)"), default=1, help_text=_("Cashback is rounded down to this unit.")
    )
    total_budget = models.PositiveBigIntegerField(_("total budget (won)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="%(app_label)s_%(class)s_last_day_after_first",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(first_day__gte=FIRST_POSSIBLE_DAY, last_day__lte=LAST_POSSIBLE_DAY),
                name="%(app_label)s_%(class)s_days_in_range",
                violation_error_message=_("A campaign's days lie from 2000-01-01 to 2099-12-31."),
            ),
            models.CheckConstraint(
                condition=Q(last_day__lt=F("first_day") + timedelta(days=MAX_DAYS)),
                name="%(app_label)s_%(class)s_at_most_104_weeks",
                violation_error_message=_("A campaign runs at most 104 weeks (two years)."),
            ),
            models.CheckConstraint(
                condition=Q(rate_bp__gte=1, rate_bp__lte=10_000),
                name="%(app_label)s_%(class)s_rate_range",
                violation_error_message=_("The rate is between 1 and 10,000 basis points."),
            ),
            models.CheckConstraint(
                condition=Q(rounding_unit__gte=1),
                name="%(app_label)s_%(class)s_rounding_unit_positive",
                violation_error_message=_("The rounding unit is at least 1 won."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> Terms:
        return Terms(
            first_day=self.first_day,
            last_day=self.last_day,
            methods=frozenset(self.methods),
            minimum=self.minimum,
            rate_bp=self.rate_bp,
            rounding_unit=self.rounding_unit,
        )


class CampaignWeek(models.Model):
    """One week of a campaign with its budget, cap and what has been granted from it.

    `granted` changes only inside the database under the week's row lock, and never passes the
    budget: the constraint refuses an overspend even if code were wrong. It always equals the
    sum of the week's ledger entries. `frozen_at` is set when the week's payout is confirmed;
    it lives on the week's own row so that whoever holds the row's lock reads it current.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="weeks"
    )
    number = models.PositiveSmallIntegerField(_("week"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.PositiveBigIntegerField(_("budget (won)"))
    cap = models.PositiveBigIntegerField(_("cap per customer (won)"))
    granted = models.BigIntegerField(_("granted (won)"), default=0)
    exhausted_at = models.DateTimeField(_("budget ran out at"), null=True, blank=True)
    frozen_at = models.DateTimeField(
        _("frozen at"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the week's payout is confirmed; from then on the week takes no "
            "payments or cancellations."
        ),
    )

    class Meta:
        verbose_name = _("campaign week")
        verbose_name_plural = _("campaign weeks")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(granted__gte=0) & Q(granted__lte=F("budget")),
                name="%(app_label)s_%(class)s_granted_within_budget",
                violation_error_message=_("A week cannot grant more than its budget."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="%(app_label)s_%(class)s_number_positive",
                violation_error_message=_("Weeks are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} W{self.number}"

    @property
    def remaining(self) -> int:
        return self.budget - self.granted


class CustomerWeek(models.Model):
    """What one customer holds in grants in one week; never more than the week's cap.

    The cap is copied from the week when the row is made so the database itself can refuse a
    total over it.
    """

    week = models.ForeignKey(
        CampaignWeek, verbose_name=_("week"), on_delete=models.CASCADE, related_name="customers"
    )
    customer = models.CharField(_("customer"), max_length=64)
    held = models.BigIntegerField(_("held (won)"), default=0)
    cap = models.PositiveBigIntegerField(_("cap (won)"))

    class Meta:
        verbose_name = _("customer week")
        verbose_name_plural = _("customer weeks")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "customer"], name="%(app_label)s_%(class)s_unique_customer"
            ),
            models.CheckConstraint(
                condition=Q(held__gte=0) & Q(held__lte=F("cap")),
                name="%(app_label)s_%(class)s_held_within_cap",
                violation_error_message=_("A customer cannot hold more than the weekly cap."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.customer}"


class WeekTally(models.Model):
    """A share of a week's running figures: its recorded payments, those that earned cashback
    and their purchases, and its customers holding cashback (SPEC 3.3).

    The writes that change those figures add to them in the same transaction, so the week's
    figures are the sums over its tally rows and are read without counting the payments. A
    week's tally is spread over up to TALLY_SLOTS rows, so that concurrent payments, which each
    lock one, seldom wait for each other (slot 0 is for those holding the week's row; see
    `services.common`). Only the sums mean anything: a slot may go below 0 when a payment
    counted in another slot is cancelled. The sums always equal the counts over the payments
    and the customers' weeks (`selectors.campaign_week_figures_counted`).
    """

    week = models.ForeignKey(
        CampaignWeek, verbose_name=_("week"), on_delete=models.CASCADE, related_name="tallies"
    )
    slot = models.SmallIntegerField(_("slot"))
    payments = models.BigIntegerField(_("recorded payments"), default=0)
    eligible_payments = models.BigIntegerField(_("payments that earned"), default=0)
    purchase_total = models.BigIntegerField(_("purchases that earned (won)"), default=0)
    beneficiaries = models.BigIntegerField(_("customers holding cashback"), default=0)

    class Meta:
        verbose_name = _("week tally")
        verbose_name_plural = _("week tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "slot"], name="%(app_label)s_%(class)s_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=0, slot__lt=TALLY_SLOTS),
                name="%(app_label)s_%(class)s_slot_range",
                violation_error_message=_("A tally slot is between 0 and 15."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} #{self.slot}"


class Payment(models.Model):
    """A payment reported by the operator, with the decision made when it was recorded.

    A reference is recorded once per campaign. The decision is never made again: a
    cancellation returns the grant to the week and the customer, and the payment keeps what it
    was given as history.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="payments"
    )
    ref = models.CharField(_("reference"), max_length=64)
    customer = models.CharField(_("customer"), max_length=64)
    business_number = models.CharField(_("business registration number"), max_length=10)
    store = models.ForeignKey(
        "registry.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    method = models.CharField(_("certificate type"), max_length=10, choices=CertificateType.choices)
    paid_at = models.DateTimeField(_("paid at"))
    week = models.ForeignKey(
        CampaignWeek,
        verbose_name=_("week"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    cashback = models.BigIntegerField(_("cashback (won)"), default=0)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.RECORDED
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "ref"],
                name="%(app_label)s_%(class)s_unique_ref",
                violation_error_message=_("This reference is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("The amount must be more than 0 won."),
            ),
            models.CheckConstraint(
                condition=Q(cashback__gte=0)
                & (Q(cashback=0) | Q(reason__in=[Reason.GRANTED, Reason.PARTIAL])),
                name="%(app_label)s_%(class)s_cashback_matches_reason",
                violation_error_message=_("Only a granted payment holds cashback."),
            ),
            choices_check(
                "reason",
                Reason,
                "%(app_label)s_%(class)s_reason_valid",
                _("Choose a valid reason."),
            ),
            choices_check(
                "status",
                PaymentStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            choices_check(
                "method",
                CertificateType,
                "%(app_label)s_%(class)s_method_valid",
                _("Choose paper, card or mobile."),
            ),
            models.CheckConstraint(
                condition=Q(business_number__regex=r"^[0-9]{10}$"),
                name="%(app_label)s_%(class)s_business_number_ten_digits",
                violation_error_message=_("A business registration number has ten digits."),
            ),
        ]
        indexes = [
            # Managers look payments up by an exact reference or customer id across campaigns.
            models.Index(fields=["ref"], name="cashback_payment_ref"),
            models.Index(fields=["customer"], name="cashback_payment_customer"),
            models.Index(fields=["week", "status"], name="cashback_payment_week_status"),
        ]

    def __str__(self) -> str:
        return self.ref


class LedgerEntry(models.Model):
    """An append-only money movement: a grant, or a cancellation giving a grant back.

    Written in the same transaction as the counter it moves; a week's `granted` and a customer's
    `held` can always be recomputed as sums of these rows.
    """

    week = models.ForeignKey(
        CampaignWeek, verbose_name=_("week"), on_delete=models.PROTECT, related_name="entries"
    )
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="entries"
    )
    customer = models.CharField(_("customer"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("amount (won)"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["id"]
        indexes = [models.Index(fields=["customer"], name="cashback_ledger_customer")]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "kind"], name="%(app_label)s_%(class)s_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.GRANT, amount__gt=0)
                | Q(kind=EntryKind.CANCEL, amount__lt=0),
                name="%(app_label)s_%(class)s_sign_matches_kind",
                violation_error_message=_("Grants are positive and cancellations negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class PayoutBatch(models.Model):
    """The list of what each customer is to be credited for one week (SPEC 3.5).

    `draft → exported → confirmed`; a confirmed week is frozen: no payment or cancellation
    changes it any more.
    """

    week = models.OneToOneField(
        CampaignWeek, verbose_name=_("week"), on_delete=models.PROTECT, related_name="payout"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.DRAFT
    )
    total = models.BigIntegerField(_("total (won)"), default=0)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["week"]
        constraints = [
            choices_check(
                "status",
                PayoutStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PayoutStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="%(app_label)s_%(class)s_confirmed_has_date",
                violation_error_message=_("A confirmed batch needs its confirmation time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.get_status_display()}"


class PayoutLine(models.Model):
    """One customer's total cashback for the batch's week."""

    batch = models.ForeignKey(
        PayoutBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="lines"
    )
    customer = models.CharField(_("customer"), max_length=64)
    amount = models.PositiveBigIntegerField(_("amount (won)"))

    class Meta:
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["batch", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "customer"], name="%(app_label)s_%(class)s_unique_customer"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("A payout line pays more than 0 won."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.amount}"
