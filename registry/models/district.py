from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import choices_check
from registry.choices import AttachmentKind, DistrictStatus, RevocationGround
from registry.rules import DistrictFacts


class District(models.Model):
    """An alley-type shopping district (골목형상점가), from application to designation (SPEC 2.2).

    Its status moves `applied → designated → revoked` or `applied → rejected`, only through the
    services, which record who decided and when. A designated district always has a designation
    number unique within its office and a designation date.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    name = models.CharField(_("name"), max_length=100)
    dongs = models.ManyToManyField(
        "registry.Dong", verbose_name=_("dongs"), related_name="districts", blank=True
    )
    location = models.TextField(_("location"), blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), default=0)
    excluded_area_m2 = models.PositiveIntegerField(
        _("excluded area (m²)"),
        default=0,
        help_text=_("Roads, parks and public car parks inside the boundary, not counted."),
    )
    in_commercial_zone = models.BooleanField(_("in a commercial zone"), default=False)
    store_count = models.PositiveIntegerField(_("number of stores"), default=0)
    small_business_store_count = models.PositiveIntegerField(
        _("small-business stores in licensed buildings"), default=0
    )
    association_name = models.CharField(_("merchants' organisation"), max_length=100, blank=True)
    representative = models.CharField(_("representative"), max_length=50, blank=True)
    association_phone = models.CharField(_("contact"), max_length=20, blank=True)
    applied_by_representative = models.BooleanField(
        _("applied through the representative"), default=True
    )
    merchant_count = models.PositiveIntegerField(_("merchants trading"), default=0)
    consenting_merchants = models.PositiveIntegerField(_("merchants consenting"), default=0)
    owner_count = models.PositiveIntegerField(_("land and building owners"), default=0)
    consenting_owners = models.PositiveIntegerField(_("owners consenting"), default=0)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DistrictStatus.choices,
        default=DistrictStatus.APPLIED,
        db_index=True,
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    # NULL, not "", before designation: the uniqueness constraint must ignore those rows.
    designation_no = models.CharField(  # noqa: DJ001
        _("designation number"), max_length=40, null=True, blank=True
    )
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for approving despite a failed criterion"), blank=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_ground = models.CharField(
        _("ground for revocation"), max_length=20, choices=RevocationGround.choices, blank=True
    )
    revocation_reason = models.TextField(_("details of revocation"), blank=True)
    certificate_issued_at = models.DateTimeField(_("certificate issued at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[dongs])

    class Meta:
        verbose_name = _("alley-type shopping district")
        verbose_name_plural = _("alley-type shopping districts")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This office already has a district with this name."),
            ),
            models.UniqueConstraint(
                fields=["office", "designation_no"],
                condition=models.Q(designation_no__isnull=False),
                name="%(app_label)s_%(class)s_unique_designation_no",
                violation_error_message=_(
                    "This designation number is already in use in this office."
                ),
            ),
            choices_check(
                "status",
                DistrictStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=models.Q(revocation_ground="")
                | models.Q(revocation_ground__in=RevocationGround.values),
                name="%(app_label)s_%(class)s_revocation_ground_valid",
                violation_error_message=_("Choose a ground for revocation."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[DistrictStatus.DESIGNATED, DistrictStatus.REVOKED])
                | models.Q(designation_no__isnull=False, designated_on__isnull=False),
                name="%(app_label)s_%(class)s_designated_has_number_and_date",
                violation_error_message=_(
                    "A designated district needs a designation number and date."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DistrictStatus.REVOKED)
                | (models.Q(revoked_on__isnull=False) & ~models.Q(revocation_ground="")),
                name="%(app_label)s_%(class)s_revoked_has_date_and_ground",
                violation_error_message=_("A revoked district needs a revocation date and ground."),
            ),
            models.CheckConstraint(
                condition=models.Q(excluded_area_m2__lte=models.F("area_m2")),
                name="%(app_label)s_%(class)s_excluded_area_within_area",
                violation_error_message=_("The excluded area cannot be larger than the area."),
            ),
            models.CheckConstraint(
                condition=models.Q(consenting_merchants__lte=models.F("merchant_count"))
                & models.Q(consenting_owners__lte=models.F("owner_count")),
                name="%(app_label)s_%(class)s_consent_within_counts",
                violation_error_message=_("More people cannot consent than were counted."),
            ),
            models.CheckConstraint(
                condition=models.Q(small_business_store_count__lte=models.F("store_count")),
                name="%(app_label)s_%(class)s_small_business_within_stores",
                violation_error_message=_("Small-business stores cannot outnumber all stores."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counted_area_m2(self) -> int:
        return max(self.area_m2 - self.excluded_area_m2, 0)

    def facts(self) -> DistrictFacts:
        return DistrictFacts(
            area_m2=self.area_m2,
            excluded_area_m2=self.excluded_area_m2,
            in_commercial_zone=self.in_commercial_zone,
            small_business_store_count=self.small_business_store_count,
            association_name=self.association_name,
            applied_by_representative=self.applied_by_representative,
            merchant_count=self.merchant_count,
            consenting_merchants=self.consenting_merchants,
            owner_count=self.owner_count,
            consenting_owners=self.consenting_owners,
        )


def attachment_path(instance: "DistrictAttachment", filename: str) -> str:
    return f"districts/{instance.district_id}/{filename}"


class DistrictAttachment(models.Model):
    """A document filed with a district application: the map, the articles, the roster.

    Files are private: they are served only to staff of the district's office, never at a
    public URL.
    """

    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["district_id", "kind", "uploaded_at"]
        constraints = [
            choices_check(
                "kind",
                AttachmentKind,
                "%(app_label)s_%(class)s_kind_valid",
                _("Choose a valid kind of document."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file.name.rsplit('/', 1)[-1]}"
