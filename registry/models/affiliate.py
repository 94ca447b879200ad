from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from registry.choices import AffiliateStatus, CertificateType, StrikeOffReason

LIVE_STATUSES = (AffiliateStatus.APPLIED, AffiliateStatus.APPROVED)


class AffiliateRegistration(models.Model):
    """A store's Onnuri gift-certificate affiliation for one certificate type (SPEC 2.4).

    Status moves `applied → approved | rejected` and `approved → revoked` (struck off) only
    through the services, which check eligibility first. A store holds at most one live
    (applied or approved) registration per certificate type. An approved registration without
    `approved_on` was imported and counts from the district's designation date.
    """

    store = models.ForeignKey(
        "registry.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    certificate_type = models.CharField(
        _("certificate type"), max_length=10, choices=CertificateType.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AffiliateStatus.choices,
        default=AffiliateStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    # NULL, not "", while unissued: the uniqueness constraint must ignore unissued numbers.
    affiliate_number = models.CharField(  # noqa: DJ001
        _("affiliate number"), max_length=30, null=True, blank=True
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    settlement_bank = models.CharField(_("settlement bank"), max_length=40, blank=True)
    settlement_account = models.CharField(_("settlement account"), max_length=40, blank=True)
    settlement_holder = models.CharField(_("account holder"), max_length=50, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    revoked_on = models.DateField(_("struck off on"), null=True, blank=True)
    strike_off_reason = models.CharField(
        _("reason for strike-off"), max_length=20, choices=StrikeOffReason.choices, blank=True
    )
    strike_off_note = models.TextField(_("details of strike-off"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Onnuri affiliate registration")
        verbose_name_plural = _("Onnuri affiliate registrations")
        ordering = ["store_id", "certificate_type"]
        constraints = [
            choices_check(
                "certificate_type",
                CertificateType,
                "%(app_label)s_%(class)s_type_valid",
                _("Choose paper, card or mobile."),
            ),
            choices_check(
                "status",
                AffiliateStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=models.Q(strike_off_reason="")
                | models.Q(strike_off_reason__in=StrikeOffReason.values),
                name="%(app_label)s_%(class)s_strike_off_reason_valid",
                violation_error_message=_("Choose a reason for the strike-off."),
            ),
            models.UniqueConstraint(
                fields=["store", "certificate_type"],
                condition=models.Q(status__in=LIVE_STATUSES),
                name="%(app_label)s_%(class)s_one_live_per_type",
                violation_error_message=_(
                    "The store already has a registration of this certificate type."
                ),
            ),
            models.UniqueConstraint(
                fields=["certificate_type", "affiliate_number"],
                condition=models.Q(affiliate_number__isnull=False),
                name="%(app_label)s_%(class)s_unique_affiliate_number",
                violation_error_message=_("This affiliate number is already in use."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AffiliateStatus.REVOKED)
                | (models.Q(revoked_on__isnull=False) & ~models.Q(strike_off_reason="")),
                name="%(app_label)s_%(class)s_struck_off_has_date_and_reason",
                violation_error_message=_("A struck-off registration needs a date and a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "certificate_type"], name="registry_affil_status_type"),
        ]

    def __str__(self) -> str:
        return f"{self.store.trade_name} · {self.get_certificate_type_display()}"
