from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from core.documents import DocumentType
from core.numbers import brn_format
from programmes import rules
from programmes.choices import ApplicationStatus, EventKind
from programmes.models.programme import Programme
from registry.rules import TRACKING_PATTERN, tracking_number_format


class Application(models.Model):
    """A business's application to a programme (SPEC 7).

    The tracking number is random and unguessable; with the last four digits of `phone` it
    lets the applicant follow the status. A business applies once per programme: a unique
    constraint over every application not withdrawn refuses the second, even when both arrive
    at once. Competitive applications carry `requested` (equal to their budget lines) and move
    through screening and review to the selection, which sets `score`, `rank` and `award`;
    entitlement applications are `awarded` the programme's amount as they are recorded. Every
    change is written to the append-only timeline (`Event`) in the same transaction.
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    number = models.CharField(_("tracking number"), max_length=12, unique=True, editable=False)
    store = models.ForeignKey(
        "registry.Store",
        verbose_name=_("business"),
        on_delete=models.PROTECT,
        related_name="programme_applications",
    )
    business_number = models.CharField(_("business registration number"), max_length=10)
    applicant = models.CharField(_("applicant"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    annual_sales = models.BigIntegerField(_("annual sales declared (won)"))
    requested = models.BigIntegerField(_("requested (won)"), null=True, blank=True)
    plan = models.TextField(_("plan"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    score = models.DecimalField(
        _("score"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True, editable=False)
    award = models.BigIntegerField(_("award (won)"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    consent_at = models.DateTimeField(_("privacy consent given at"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The clerk who entered the application; empty when the applicant did."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["programme_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "store"],
                condition=~Q(status=rules.WITHDRAWN),
                name="%(app_label)s_%(class)s_one_per_business",
                violation_error_message=_("This business has already applied to the programme."),
            ),
            choices_check(
                "status",
                ApplicationStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(number__regex=TRACKING_PATTERN),
                name="%(app_label)s_%(class)s_number_format",
                violation_error_message=_("A tracking number has twelve letters and digits."),
            ),
            models.CheckConstraint(
                condition=Q(business_number__regex=r"^[0-9]{10}$"),
                name="%(app_label)s_%(class)s_business_number_ten_digits",
                violation_error_message=_("A business registration number has ten digits."),
            ),
            models.CheckConstraint(
                condition=Q(annual_sales__gte=0),
                name="%(app_label)s_%(class)s_sales_not_negative",
                violation_error_message=_("Annual sales cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(requested__isnull=True) | Q(requested__gt=0),
                name="%(app_label)s_%(class)s_requested_positive",
                violation_error_message=_("The amount requested must be more than 0 won."),
            ),
            models.CheckConstraint(
                condition=Q(award__isnull=True) | Q(award__gte=0),
                name="%(app_label)s_%(class)s_award_not_negative",
                violation_error_message=_("An award cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(award__isnull=True)
                | Q(requested__isnull=True)
                | Q(award__lte=models.F("requested")),
                name="%(app_label)s_%(class)s_award_within_request",
                violation_error_message=_("An award cannot exceed the amount requested."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=rules.AWARD_STATUSES) | Q(award__gt=0),
                name="%(app_label)s_%(class)s_award_of_awarded",
                violation_error_message=_("A selected or awarded application holds an award."),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"], name="programmes_app_status"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.number_display}"

    @property
    def number_display(self) -> str:
        return tracking_number_format(self.number)

    @property
    def business_number_display(self) -> str:
        return brn_format(self.business_number)

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES


class BudgetLine(models.Model):
    """One line of what a competitive application will spend; the lines add up to `requested`."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    item = models.CharField(_("item"), max_length=100)
    amount = models.BigIntegerField(_("amount (won)"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("Each budget line must be more than 0 won."),
            )
        ]

    def __str__(self) -> str:
        return self.item


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The service names the file with random characters; nothing here is served publicly.
    return f"programmes/{instance.application.programme_id}/{instance.application_id}/{filename}"


class Attachment(models.Model):
    """A document sent with an application (PDF, JPEG or PNG, checked by content, at most
    5 MB), kept privately and opened by staff through the admin, which logs the access."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    content_type = models.CharField(_("content type"), max_length=30, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original file name"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class Event(models.Model):
    """One line of an application's append-only timeline: who did what, and when."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (won)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["application_id", "at", "id"]
        constraints = [
            choices_check(
                "kind", EventKind, "%(app_label)s_%(class)s_kind_valid", _("Choose a kind.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
