from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from core.numbers import brn_format
from registry.choices import EnterpriseType, StoreStatus
from registry.models.office import ksic_code_validator


class Store(models.Model):
    """A store (점포) known to an office, keyed by its business registration number (SPEC 2.3).

    The number is stored as ten checked digits and is unique within the office. The phone is
    stored as digits only so that partial look-ups by phone work while a caller is on the line.
    Trigram indexes on the name, number and phone serve partial search.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="stores",
    )
    business_number = models.CharField(_("business registration number"), max_length=10)
    trade_name = models.CharField(_("trade name"), max_length=100)
    representative = models.CharField(_("representative"), max_length=50)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    road_address = models.CharField(_("road-name address"), max_length=200, blank=True)
    dong = models.ForeignKey(
        "registry.Dong",
        verbose_name=_("dong"),
        on_delete=models.PROTECT,
        related_name="stores",
    )
    ksic_code = models.CharField(_("KSIC code"), max_length=5, validators=[ksic_code_validator])
    business_type = models.CharField(_("business type"), max_length=100, blank=True)
    is_small_business = models.BooleanField(_("small business"), default=True)
    in_traditional_market = models.BooleanField(
        _("inside a traditional market or shopping district"),
        default=False,
        help_text=_("Set by the office; makes the store eligible for Onnuri without a district."),
    )
    annual_sales = models.PositiveBigIntegerField(_("annual sales (won)"), null=True, blank=True)
    enterprise_type = models.CharField(
        _("social-economy type"),
        max_length=30,
        choices=EnterpriseType.choices,
        blank=True,
        help_text=_("Only for social-economy businesses; support programmes may require one."),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StoreStatus.choices, default=StoreStatus.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        # By the office's id, not the office: ordering through the relation would join the
        # office table and sort every row instead of walking the (office, name) index.
        ordering = ["office_id", "trade_name", "id"]
        permissions = [
            ("view_contact", _("Can see representatives' names and phone numbers unmasked")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "business_number"],
                name="%(app_label)s_%(class)s_unique_business_number",
                violation_error_message=_(
                    "This business registration number is already registered in this office."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(business_number__regex=r"^[0-9]{10}$"),
                name="%(app_label)s_%(class)s_business_number_ten_digits",
                violation_error_message=_("A business registration number has ten digits."),
            ),
            choices_check(
                "status",
                StoreStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=models.Q(enterprise_type="")
                | models.Q(enterprise_type__in=EnterpriseType.values),
                name="%(app_label)s_%(class)s_enterprise_type_valid",
                violation_error_message=_("Choose a valid social-economy type."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=StoreStatus.ACTIVE, closed_on__isnull=True)
                | models.Q(status=StoreStatus.CLOSED, closed_on__isnull=False),
                name="%(app_label)s_%(class)s_closed_has_date",
                violation_error_message=_(
                    "A closed store needs a closing date, and a trading store has none."
                ),
            ),
        ]
        indexes = [
            # Lists are ordered by name within an office; this index serves that order.
            models.Index(fields=["office", "trade_name", "id"], name="registry_store_office_name"),
            models.Index(fields=["office", "dong"], name="registry_store_office_dong"),
            models.Index(fields=["office", "ksic_code"], name="registry_store_office_ksic"),
            # Partial search; `icontains` compares UPPER(trade_name), so that is what is indexed.
            GinIndex(
                OpClass(Upper("trade_name"), name="gin_trgm_ops"), name="registry_store_name_trgm"
            ),
            GinIndex(
                OpClass("business_number", name="gin_trgm_ops"), name="registry_store_brn_trgm"
            ),
            GinIndex(OpClass("phone", name="gin_trgm_ops"), name="registry_store_phone_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.trade_name} ({self.business_number_display})"

    @property
    def business_number_display(self) -> str:
        return brn_format(self.business_number)


class Membership(models.Model):
    """A store's membership of a district, from joining to leaving (SPEC 2.3).

    A store is a member of at most one district at a time (the open membership has no
    `left_on`); past memberships are kept. A membership without `joined_on` was imported and
    counts from its district's designation date.
    """

    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="memberships"
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_on = models.DateField(
        _("joined on"),
        null=True,
        blank=True,
        help_text=_("Empty for imported memberships, which count from the designation date."),
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["store_id", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["store"],
                condition=models.Q(left_on__isnull=True),
                name="%(app_label)s_%(class)s_one_current_per_store",
                violation_error_message=_("The store is already a member of a district."),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="%(app_label)s_%(class)s_left_after_joined",
                violation_error_message=_("The leaving date cannot be before the joining date."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["district"],
                condition=models.Q(left_on__isnull=True),
                name="registry_membership_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store.trade_name} → {self.district.name}"


class StoreTally(models.Model):
    """How many active stores share one combination of what the dashboard counts them by
    (SPEC 6): office, dong, business type, the district of their current membership and whether
    they are digital Onnuri affiliates.

    Counting 200,000 stores, their memberships and their registrations live takes longer than
    the dashboard may, so the database keeps these counts itself: triggers on stores,
    memberships and registrations (migration 0007) change them in the statement that changes
    what they count, whichever code wrote it. Django only reads this table; tests hold it equal
    to the live counts. Each store row carries the two facts the triggers need from the other
    tables (`tally_district_id`, `tally_digital`), columns the model does not declare so that
    no save of a store can write them.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    dong = models.ForeignKey(
        "registry.Dong",
        verbose_name=_("dong"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    ksic_code = models.CharField(_("KSIC code"), max_length=5)
    business_type = models.CharField(_("business type"), max_length=100)
    digital = models.BooleanField(_("digital Onnuri affiliate"))
    stores = models.IntegerField(_("active stores"))

    class Meta:
        verbose_name = _("store tally")
        verbose_name_plural = _("store tallies")
        # No CHECK that counts stay at or above 0: PostgreSQL checks the row an upsert proposes
        # before it finds the conflict, and a statement that takes a store away proposes -1.
        constraints = [
            models.UniqueConstraint(
                fields=["office", "dong", "district", "ksic_code", "business_type", "digital"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_one_row_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ksic_code} {self.business_type}: {self.stores}"
