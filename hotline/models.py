from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import choices_check
from core.clock import SEOUL
from core.numbers import brn_format
from hotline import rules
from hotline.choices import (
    CallerType,
    CaseStatus,
    Category,
    Channel,
    CloseReason,
    EntryKind,
    Priority,
)


def _hours_field(label, default: int):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1)]
    )


class HotlineSettings(models.Model):
    """An office's hotline promises: deadlines per priority and how time is counted (SPEC 4).

    Deadlines are in working hours unless the office chooses clock hours. The first response is
    due no later than the result. An office without a row uses the defaults (urgent 3/8, high
    4/16, normal 8/16, low 16/40). Cases keep the deadlines they were given at intake when the
    settings change later.
    """

    office = models.OneToOneField(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="hotline_settings",
    )
    urgent_response_hours = _hours_field(_("urgent: first response (hours)"), 3)
    urgent_resolution_hours = _hours_field(_("urgent: result (hours)"), 8)
    high_response_hours = _hours_field(_("high: first response (hours)"), 4)
    high_resolution_hours = _hours_field(_("high: result (hours)"), 16)
    normal_response_hours = _hours_field(_("normal: first response (hours)"), 8)
    normal_resolution_hours = _hours_field(_("normal: result (hours)"), 16)
    low_response_hours = _hours_field(_("low: first response (hours)"), 16)
    low_resolution_hours = _hours_field(_("low: result (hours)"), 40)
    clock_hours = models.BooleanField(
        _("count clock hours"),
        default=False,
        help_text=_(
            "Off: deadlines count working hours (weekdays 09:00–12:00 and 13:00–18:00, without "
            "public holidays and the office's closed days). On: every hour counts."
        ),
    )

    class Meta:
        verbose_name = _("hotline settings")
        verbose_name_plural = _("hotline settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{p}_response_hours__gte": 1 for p in rules.PRIORITIES})
                & Q(**{f"{p}_resolution_hours__gte": 1 for p in rules.PRIORITIES}),
                name="%(app_label)s_%(class)s_hours_positive",
                violation_error_message=_("Every deadline is at least one hour."),
            ),
            models.CheckConstraint(
                condition=Q(
                    **{
                        f"{p}_response_hours__lte": F(f"{p}_resolution_hours")
                        for p in rules.PRIORITIES
                    }
                ),
                name="%(app_label)s_%(class)s_response_before_result",
                violation_error_message=_(
                    "The first response cannot be due after the result of the same priority."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)

    def hours(self, priority: str) -> tuple[int, int]:
        """(first response, result) in hours for a priority."""
        return (
            getattr(self, f"{priority}_response_hours"),
            getattr(self, f"{priority}_resolution_hours"),
        )


class ClosedDay(models.Model):
    """A day the office is closed besides weekends and public holidays (e.g. its founding day);
    deadlines do not count it."""

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="hotline_closed_days",
    )
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["office_id", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day"],
                name="%(app_label)s_%(class)s_unique_day",
                violation_error_message=_("This day is already a closed day of the office."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}".strip()


class CaseCounter(models.Model):
    """The last case serial an office gave out in a year.

    Moved only inside the database by one upsert (`last_serial = last_serial + 1`) within the
    intake's transaction: the row stays locked until that transaction ends, so concurrent intakes
    take numbers one after another, and an intake that fails gives its number back.
    """

    office = models.ForeignKey(
        "registry.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"], name="%(app_label)s_%(class)s_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.year}: {self.last_serial}"


class Case(models.Model):
    """A proposal, request or complaint taken by the Alley Economy 119 hotline (SPEC 4).

    Numbered `119-YYYY-NNNNNN` per office and year of receipt without gaps. The status moves
    only along the state machine of `rules.TRANSITIONS`, through `services.case_transition`,
    and every change is written to the append-only timeline in the same transaction. The due
    instants are stored so the lists can flag overdue cases in SQL; they move only when the
    case leaves a wait for the caller, is reopened or changes priority.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="hotline_cases",
    )
    number = models.CharField(_("number"), max_length=15)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    caller_type = models.CharField(_("caller type"), max_length=10, choices=CallerType.choices)
    caller_name = models.CharField(_("caller's name"), max_length=50, blank=True)
    caller_phone = models.CharField(
        _("caller's phone"), max_length=15, blank=True, help_text=_("Digits only.")
    )
    business_number = models.CharField(
        _("business registration number"),
        max_length=10,
        blank=True,
        help_text=_("As the caller gave it, even for a store not registered with the office."),
    )
    store = models.ForeignKey(
        "registry.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_cases",
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_cases",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=15, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_cases",
    )
    referred_department = models.CharField(_("referred to"), max_length=100, blank=True)
    reply = models.TextField(_("reply to the caller"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    received_at = models.DateTimeField(_("received at"))
    response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("result due"))
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting for the caller since"), null=True, blank=True)
    waited = models.DurationField(
        _("working time waited"),
        default=timedelta(0),
        help_text=_("Working time spent waiting for the caller; it does not count."),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    work_minutes_to_resolve = models.PositiveIntegerField(
        _("working minutes to resolve"), null=True, blank=True
    )
    reopened_at = models.DateTimeField(_("last reopened at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=15, choices=CloseReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        permissions = [("assign_case", _("Can assign cases to staff in bulk"))]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "serial"], name="%(app_label)s_%(class)s_unique_serial"
            ),
            models.UniqueConstraint(
                fields=["office", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This office already has a case with this number."),
            ),
            models.CheckConstraint(
                condition=Q(serial__gte=1) & Q(number__regex=r"^119-[0-9]{4}-[0-9]{6}$"),
                name="%(app_label)s_%(class)s_number_format",
                violation_error_message=_("A case number reads 119-YYYY-NNNNNN."),
            ),
            models.CheckConstraint(
                condition=Q(caller_phone="") | Q(caller_phone__regex=r"^0[0-9]{8,10}$"),
                name="%(app_label)s_%(class)s_caller_phone_digits",
                violation_error_message=_("The caller's phone is stored as its digits."),
            ),
            models.CheckConstraint(
                condition=Q(business_number="") | Q(business_number__regex=r"^[0-9]{10}$"),
                name="%(app_label)s_%(class)s_business_number_ten_digits",
                violation_error_message=_("A business registration number has ten digits."),
            ),
            choices_check(
                "channel",
                Channel,
                "%(app_label)s_%(class)s_channel_valid",
                _("Choose a valid channel."),
            ),
            choices_check(
                "caller_type",
                CallerType,
                "%(app_label)s_%(class)s_caller_type_valid",
                _("Choose a valid caller type."),
            ),
            choices_check(
                "category",
                Category,
                "%(app_label)s_%(class)s_category_valid",
                _("Choose a valid category."),
            ),
            choices_check(
                "priority",
                Priority,
                "%(app_label)s_%(class)s_priority_valid",
                _("Choose a valid priority."),
            ),
            choices_check(
                "status",
                CaseStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False)
                & Q(close_reason__in=CloseReason.values)
                | ~Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=True, close_reason=""),
                name="%(app_label)s_%(class)s_closed_has_reason",
                violation_error_message=_("A closed case needs its closing time and reason."),
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.WAITING_CALLER, waiting_since__isnull=False)
                | ~Q(status=CaseStatus.WAITING_CALLER) & Q(waiting_since__isnull=True),
                name="%(app_label)s_%(class)s_waiting_has_start",
                violation_error_message=_("A case waiting for the caller records since when."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.RESOLVED) | Q(resolved_at__isnull=False),
                name="%(app_label)s_%(class)s_resolved_has_time",
                violation_error_message=_("A resolved case records when it was resolved."),
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.RECEIVED)
                | Q(assignee__isnull=False)
                | Q(status=CaseStatus.CLOSED),
                name="%(app_label)s_%(class)s_worked_cases_have_assignee",
                violation_error_message=_("A case being worked on has an assignee."),
            ),
            models.CheckConstraint(
                condition=Q(response_due__lte=F("resolution_due")),
                name="%(app_label)s_%(class)s_response_due_first",
                violation_error_message=_("The first response cannot be due after the result."),
            ),
        ]
        indexes = [
            # The queue and the overdue flag: open cases of an office by their deadlines.
            models.Index(
                fields=["office", "status", "resolution_due"], name="hotline_case_office_due"
            ),
            models.Index(fields=["office", "assignee", "status"], name="hotline_case_assignee"),
            models.Index(fields=["office", "-received_at"], name="hotline_case_received"),
            # The dashboard's median time to resolve, read from the index alone.
            models.Index(
                fields=["office", "resolved_at"],
                include=["work_minutes_to_resolve"],
                condition=models.Q(work_minutes_to_resolve__isnull=False),
                name="hotline_case_resolved",
            ),
            models.Index(fields=["store"], name="hotline_case_store"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def has_contact(self) -> bool:
        """Whether the case holds personal data (the caller's name or phone)."""
        return bool(self.caller_name or self.caller_phone)

    @property
    def business_number_display(self) -> str:
        return brn_format(self.business_number) if self.business_number else ""

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES


class TimelineEntry(models.Model):
    """One line of a case's append-only timeline: intake, a note, an assignment, a referral, a
    reply to the caller, a change of details or a status change, with who and when.

    Written only by the services, in the same transaction as the change it records; nobody may
    change or delete an entry (the model has no change or delete permission). The user's name is
    copied so the line still says who acted after an account is removed.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    from_status = models.CharField(_("from"), max_length=15, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=15, choices=CaseStatus.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=15, choices=CloseReason.choices, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "id"]
        default_permissions = ("add", "view")
        constraints = [
            choices_check(
                "kind", EntryKind, "%(app_label)s_%(class)s_kind_valid", _("Choose a valid kind.")
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=["", *CaseStatus.values])
                & Q(to_status__in=["", *CaseStatus.values])
                & Q(reason__in=["", *CloseReason.values]),
                name="%(app_label)s_%(class)s_values_valid",
                violation_error_message=_("Choose valid statuses and reasons."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.STATUS) | ~Q(to_status=""),
                name="%(app_label)s_%(class)s_status_change_has_target",
                violation_error_message=_("A status change names the new status."),
            ),
        ]
        indexes = [models.Index(fields=["case", "at"], name="hotline_timeline_case_at")]

    def __str__(self) -> str:
        return f"{self.at.astimezone(SEOUL):%Y-%m-%d %H:%M} {self.username} {self.kind}"
