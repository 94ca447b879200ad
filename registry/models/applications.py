"""Merchant self-registration (SPEC 2.5): applications filed on the public form, and their
documents."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from core.documents import DOCUMENT_MAX_BYTES, DocumentType
from core.numbers import brn_format
from registry.choices import ApplicationStatus, CertificateType, DocumentKind
from registry.models.office import ksic_code_validator
from registry.rules import (
    APPLICATION_DECIDED_STATUSES,
    APPLICATION_OPEN_STATUSES,
    TRACKING_LENGTH,
    TRACKING_PATTERN,
    tracking_number_format,
)


class MerchantApplication(models.Model):
    """A merchant's own application to join a district and become an Onnuri affiliate (SPEC 2.5).

    Filed on the public form without a login and found again only with its random tracking
    number plus the last four digits of the phone. Status moves `submitted → in_review →
    approved | rejected | changes_requested` and `changes_requested → submitted` when the
    merchant answers (`rules.APPLICATION_TRANSITIONS`), only through the services. At most one
    open application per business number and office; an approved one names the store its
    approval created or updated.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="merchant_applications",
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=TRACKING_LENGTH, unique=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    business_number = models.CharField(_("business registration number"), max_length=10)
    trade_name = models.CharField(_("trade name"), max_length=100)
    representative = models.CharField(_("representative"), max_length=50)
    phone = models.CharField(_("phone"), max_length=15)
    email = models.EmailField(_("email"), blank=True)
    road_address = models.CharField(_("road-name address"), max_length=200)
    dong = models.ForeignKey(
        "registry.Dong",
        verbose_name=_("dong"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the merchant did not know it: the clerk sets it."),
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merchant_applications",
        help_text=_("Empty when the merchant did not know it: the clerk assigns one."),
    )
    ksic_code = models.CharField(
        _("KSIC code"), max_length=5, blank=True, validators=[ksic_code_validator]
    )
    business_type = models.CharField(_("business type"), max_length=100, blank=True)
    wants_paper = models.BooleanField(_("paper certificates wanted"), default=False)
    wants_card = models.BooleanField(_("card certificates wanted"), default=False)
    wants_mobile = models.BooleanField(_("mobile certificates wanted"), default=False)
    consented_at = models.DateTimeField(_("privacy consent given at"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ko",
        help_text=_("The language the merchant used: notifications are sent in it."),
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    submitted_at = models.DateTimeField(
        _("submitted at"), help_text=_("The last submission: the first, or the latest answer.")
    )
    clerk_message = models.TextField(_("message to the merchant"), blank=True)
    merchant_note = models.TextField(_("merchant's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    store = models.ForeignKey(
        "registry.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merchant_applications",
    )
    # A hash of the one-time key each rendered form carries: the same form sent twice (a double
    # tap, a reload) is recognised instead of filed again. NULL for applications made elsewhere.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = _("merchant application")
        verbose_name_plural = _("merchant applications")
        ordering = ["submitted_at", "id"]
        constraints = [
            choices_check(
                "status",
                ApplicationStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.UniqueConstraint(
                fields=["office", "business_number"],
                condition=models.Q(status__in=APPLICATION_OPEN_STATUSES),
                name="%(app_label)s_%(class)s_one_open_per_business_number",
                violation_error_message=_(
                    "An application for this business registration number is already being "
                    "processed."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(business_number__regex=r"^[0-9]{10}$"),
                name="%(app_label)s_%(class)s_business_number_ten_digits",
                violation_error_message=_("A business registration number has ten digits."),
            ),
            models.CheckConstraint(
                condition=models.Q(tracking_number__regex=TRACKING_PATTERN),
                name="%(app_label)s_%(class)s_tracking_number_format",
                violation_error_message=_("A tracking number has twelve letters and digits."),
            ),
            models.CheckConstraint(
                condition=models.Q(phone__regex=r"^0[0-9]{8,10}$"),
                name="%(app_label)s_%(class)s_phone_digits",
                violation_error_message=_("Enter a phone number such as 010-1234-5678."),
            ),
            models.CheckConstraint(
                condition=models.Q(ksic_code="") | models.Q(ksic_code__regex=r"^[0-9]{5}$"),
                name="%(app_label)s_%(class)s_ksic_code_format",
                violation_error_message=_("A KSIC code is five digits, for example 56211."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=APPLICATION_DECIDED_STATUSES)
                | models.Q(decided_at__isnull=False),
                name="%(app_label)s_%(class)s_decided_has_time",
                violation_error_message=_("A decided application needs the time of the decision."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ApplicationStatus.APPROVED)
                | models.Q(store__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_store",
                violation_error_message=_("An approved application names its store."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "status", "submitted_at"], name="registry_application_queue"
            ),
            models.Index(fields=["office", "business_number"], name="registry_application_brn"),
        ]

    def __str__(self) -> str:
        return f"{self.trade_name} ({self.tracking_number_display})"

    @property
    def tracking_number_display(self) -> str:
        return tracking_number_format(self.tracking_number)

    @property
    def business_number_display(self) -> str:
        return brn_format(self.business_number)

    @property
    def certificate_types(self) -> list[str]:
        """The Onnuri types wanted, in the choices' order."""
        return [t for t in CertificateType.values if getattr(self, f"wants_{t}")]

    @property
    def phone_last_four(self) -> str:
        return re.sub(r"\D", "", self.phone)[-4:]

    @property
    def is_open(self) -> bool:
        return self.status in APPLICATION_OPEN_STATUSES


def document_path(instance: "ApplicationDocument", filename: str) -> str:
    # The service names the file with random characters; the office and application only
    # group the folder. Nothing here is ever served from a public URL.
    return f"applications/{instance.application.office_id}/{instance.application_id}/{filename}"


class ApplicationDocument(models.Model):
    """A document sent with a merchant application: the business registration certificate, or
    one sent with corrections.

    Accepted only as PDF, JPEG or PNG (recognised by content) of at most 5 MB. Files are private:
    staff of the application's office open them through the admin, which writes the access log.
    """

    application = models.ForeignKey(
        MerchantApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    content_type = models.CharField(_("content type"), max_length=30, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original file name"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application_id", "uploaded_at", "id"]
        constraints = [
            choices_check(
                "kind",
                DocumentKind,
                "%(app_label)s_%(class)s_kind_valid",
                _("Choose a valid kind of document."),
            ),
            choices_check(
                "content_type",
                DocumentType,
                "%(app_label)s_%(class)s_content_type_valid",
                _("Send a PDF, JPEG or PNG file."),
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0, size__lte=DOCUMENT_MAX_BYTES),
                name="%(app_label)s_%(class)s_size_within_limit",
                violation_error_message=_("A document is at most 5 MB."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_content_type_display()})"

    @property
    def is_image(self) -> bool:
        return self.content_type in (DocumentType.JPEG, DocumentType.PNG)
