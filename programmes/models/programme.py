from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from programmes import rules
from programmes.choices import ProgrammeKind
from registry.choices import EnterpriseType

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$"
# Paths of the public pages beside /programmes/<code>/ (programmes/urls.py).
RESERVED_CODES = ("check", "done", "status")


class Programme(models.Model):
    """A support programme (지원사업) an office runs on its registry of businesses (SPEC 7).

    Competitive programmes award up to `max_award` each after a committee's scores; entitlement
    programmes pay a fixed `amount` at once, first come first served. `awarded` is what the
    awards hold of the budget: it moves only inside the database by one conditional statement
    (services), and a constraint keeps it between 0 and the budget, so no number of concurrent
    applicants can overspend. The eligibility rules are data the office edits; the office's
    restricted business types (SPEC 2.4) always apply as well.
    """

    office = models.ForeignKey(
        "registry.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                CODE_PATTERN,
                _("Use lowercase letters, digits and hyphens, e.g. relief-credit-2026."),
            )
        ],
        help_text=_("Part of the public address /programmes/<code>/, e.g. relief-credit-2026."),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=ProgrammeKind.choices)
    description = models.TextField(
        pgettext_lazy("programme", "description"),
        blank=True,
        help_text=_("Shown to applicants on the public page."),
    )
    opens_at = models.DateTimeField(_("applications open at"))
    closes_at = models.DateTimeField(
        _("applications close at"),
        help_text=_("Applications are taken until just before this moment (e.g. 18:00:00)."),
    )
    budget = models.BigIntegerField(_("budget (won)"), validators=[MinValueValidator(1)])
    awarded = models.BigIntegerField(_("awarded (won)"), default=0, editable=False)
    max_award = models.BigIntegerField(
        _("largest award (won)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Competitive programmes: no award exceeds this amount."),
    )
    amount = models.BigIntegerField(
        _("amount per business (won)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Entitlement programmes: every eligible applicant receives this amount."),
    )
    annual_sales_min_exclusive = models.BigIntegerField(
        _("annual sales above (won)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Declared sales must be more than this; 0 refuses businesses with no sales."),
    )
    annual_sales_max = models.BigIntegerField(
        _("annual sales at most (won)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    opened_before = models.DateField(
        _("opened before"),
        null=True,
        blank=True,
        help_text=_("The business must have opened before this date."),
    )
    enterprise_types = ArrayField(
        models.CharField(max_length=30, choices=EnterpriseType.choices),
        verbose_name=_("social-economy types"),
        default=list,
        blank=True,
        help_text=_("Leave empty to take every business."),
    )
    dongs = models.ManyToManyField(
        "registry.Dong",
        verbose_name=_("dongs"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to take businesses of every dong."),
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Competitive programmes: applications scoring below this are not selected."),
    )
    trimmed_mean = models.BooleanField(
        _("drop the highest and lowest scores"),
        default=False,
        help_text=_("Applies only when at least five reviewers scored an application."),
    )
    selected_at = models.DateTimeField(_("selection run at"), null=True, blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("selection run by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[dongs])

    class Meta:
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")
        ordering = ["office_id", "-opens_at", "id"]
        constraints = [
            choices_check(
                "kind", ProgrammeKind, "%(app_label)s_%(class)s_kind_valid", _("Choose a kind.")
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="%(app_label)s_%(class)s_code_format",
                violation_error_message=_(
                    "Use lowercase letters, digits and hyphens, e.g. relief-credit-2026."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(code__in=RESERVED_CODES),
                name="%(app_label)s_%(class)s_code_not_reserved",
                violation_error_message=_(
                    "This code is a path of the public pages; choose another."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="%(app_label)s_%(class)s_window_order",
                violation_error_message=_("Applications must open before they close."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gt=0),
                name="%(app_label)s_%(class)s_budget_positive",
                violation_error_message=_("The budget must be more than 0 won."),
            ),
            models.CheckConstraint(
                condition=Q(awarded__gte=0, awarded__lte=F("budget")),
                name="%(app_label)s_%(class)s_awarded_within_budget",
                violation_error_message=_(
                    "The budget cannot be less than what has already been awarded."
                ),
            ),
            models.CheckConstraint(
                # NULL compares to nothing, and a CHECK lets an unknown result pass: each term
                # is required not null as well as positive.
                condition=Q(
                    kind=rules.COMPETITIVE,
                    max_award__isnull=False,
                    max_award__gt=0,
                    amount__isnull=True,
                    pass_mark__isnull=False,
                )
                | Q(
                    kind=rules.ENTITLEMENT,
                    amount__isnull=False,
                    amount__gt=0,
                    max_award__isnull=True,
                ),
                name="%(app_label)s_%(class)s_terms_of_kind",
                violation_error_message=_(
                    "A competitive programme needs a largest award and a pass mark; an "
                    "entitlement programme needs an amount per business."
                ),
            ),
            models.CheckConstraint(
                condition=Q(annual_sales_min_exclusive__isnull=True)
                | Q(annual_sales_max__isnull=True)
                | Q(annual_sales_min_exclusive__lt=F("annual_sales_max")),
                name="%(app_label)s_%(class)s_sales_range",
                violation_error_message=_("The sales minimum must be below the sales maximum."),
            ),
            models.CheckConstraint(
                condition=Q(enterprise_types__contained_by=EnterpriseType.values),
                name="%(app_label)s_%(class)s_enterprise_types_valid",
                violation_error_message=_("Choose valid social-economy types."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_competitive(self) -> bool:
        return self.kind == rules.COMPETITIVE

    @property
    def remaining(self) -> int:
        return self.budget - self.awarded


class Criterion(models.Model):
    """One review criterion of a competitive programme: reviewers give 0 to `max_points`, and
    the points count `weight` times in the reviewer's total."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("key"), max_length=40, help_text=_("e.g. feasibility"))
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), default=5, validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["programme_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("This programme already has a criterion with this key."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, max_points__gt=0),
                name="%(app_label)s_%(class)s_weight_and_points_positive",
                violation_error_message=_("Weight and maximum points must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DigitDay(models.Model):
    """A day of an entitlement programme open only to business numbers ending in `digits`
    (5부제: e.g. the first day 1 and 6)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="digit_days"
    )
    day = models.DateField(_("date"))
    digits = models.CharField(
        _("last digits"),
        max_length=10,
        validators=[RegexValidator(r"^[0-9]{1,10}$", _("Enter digits only, e.g. 16."))],
        help_text=_("The last digits of business numbers that may apply that day, e.g. 16."),
    )

    class Meta:
        verbose_name = _("digit day")
        verbose_name_plural = _("digit days")
        ordering = ["programme_id", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "day"],
                name="%(app_label)s_%(class)s_unique_day",
                violation_error_message=_("This day already has its digits."),
            ),
            models.CheckConstraint(
                condition=Q(digits__regex=r"^[0-9]{1,10}$"),
                name="%(app_label)s_%(class)s_digits_only",
                violation_error_message=_("Enter digits only, e.g. 16."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} ({', '.join(self.digits)})"


class Reviewer(models.Model):
    """A staff member of the office with the reviewer role, assigned to score a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="programme_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["programme_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                name="%(app_label)s_%(class)s_unique_user",
                violation_error_message=_("This reviewer is already assigned to the programme."),
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
