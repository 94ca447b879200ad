from decimal import Decimal
from fractions import Fraction

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry import constants
from registry.rules import CriteriaSettings

office_code_validator = RegexValidator(
    r"^\d{5}$", _("The administrative code is five digits, for example 29140."), code="invalid_code"
)
ksic_code_validator = RegexValidator(
    r"^\d{5}$", _("A KSIC code is five digits, for example 56211."), code="invalid_ksic"
)


class Office(models.Model):
    """A local government running the product for its area (SPEC 1).

    Every record belongs to exactly one office; staff see only their own office. The office also
    carries its ordinance: the designation criteria, the affiliate sales cap and the
    re-registration ban, which the services read when they decide.
    """

    code = models.CharField(
        _("administrative code"), max_length=5, unique=True, validators=[office_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    max_area_m2 = models.PositiveIntegerField(
        _("maximum area (m²)"),
        default=constants.DEFAULT_MAX_AREA_M2,
        help_text=_("Counted without the roads, parks and public car parks the office leaves out."),
    )
    extra_area_step_m2 = models.PositiveIntegerField(
        _("extra area step (m²)"),
        null=True,
        blank=True,
        help_text=_(
            "If set, a district may exceed the maximum area when it has more stores: "
            "the given number of stores for each further step of this many m²."
        ),
    )
    extra_stores_per_step = models.PositiveSmallIntegerField(_("extra stores per step"), default=1)
    min_stores = models.PositiveSmallIntegerField(
        _("minimum small-business stores"),
        default=constants.DEFAULT_MIN_STORES,
        help_text=_("Stores in unlicensed buildings do not count. The law's default is 30."),
    )
    min_stores_commercial = models.PositiveSmallIntegerField(
        _("minimum stores in commercial zones"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the same figure everywhere."),
    )
    min_consent_ratio = models.DecimalField(
        _("minimum consent ratio"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.500"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of merchants (and owners, if required) who must consent: 0.5 is half."),
    )
    owner_consent_required = models.BooleanField(_("owners' consent required"), default=False)
    affiliate_sales_cap = models.PositiveBigIntegerField(
        _("affiliate annual sales cap (won)"), default=constants.DEFAULT_AFFILIATE_SALES_CAP
    )
    reregistration_ban_months = models.PositiveSmallIntegerField(
        _("re-registration ban (months)"), default=constants.DEFAULT_REREGISTRATION_BAN_MONTHS
    )
    otp_required = models.BooleanField(
        _("second sign-in factor required"),
        default=False,
        help_text=_(
            "When set, staff of this office whose roles show personal data (clerks, hotline "
            "operators, auditors) confirm each sign-in with a six-digit code from an "
            "authenticator app on their phone; the first time, they register the app right "
            "after their password."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_consent_ratio__gt=0, min_consent_ratio__lte=1),
                name="%(app_label)s_%(class)s_consent_ratio_range",
                violation_error_message=_("The consent ratio must be more than 0 and at most 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(extra_area_step_m2__isnull=True)
                | models.Q(extra_area_step_m2__gt=0),
                name="%(app_label)s_%(class)s_extra_area_step_positive",
                violation_error_message=_("The extra area step must be a positive number of m²."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def criteria_settings(self) -> CriteriaSettings:
        return CriteriaSettings(
            max_area_m2=self.max_area_m2,
            extra_area_step_m2=self.extra_area_step_m2,
            extra_stores_per_step=self.extra_stores_per_step,
            min_stores=self.min_stores,
            min_stores_commercial=self.min_stores_commercial,
            min_consent_ratio=Fraction(self.min_consent_ratio),
            owner_consent_required=self.owner_consent_required,
        )


class Dong(models.Model):
    """An administrative dong (행정동) of an office; stores and districts lie in dongs."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="dongs"
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("dong")
        verbose_name_plural = _("dongs")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This office already has a dong with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RestrictedBusinessType(models.Model):
    """A business type (KSIC code) the office keeps out of Onnuri affiliation."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="restricted_business_types",
    )
    ksic_code = models.CharField(_("KSIC code"), max_length=5, validators=[ksic_code_validator])
    name = models.CharField(_("business type"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("restricted business type")
        verbose_name_plural = _("restricted business types")
        ordering = ["office_id", "ksic_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "ksic_code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("This business type is already on the restricted list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ksic_code} {self.name}"
