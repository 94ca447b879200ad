"""Districts and their applications: the record, the application's facts, and the decisions."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import (
    InputSerializer,
    MaskedContactsMixin,
    StrictInputMixin,
    UsernameField,
)
from core.clock import local_today
from registry import selectors
from registry.choices import DistrictStatus
from registry.models import District
from registry.services.districts import APPLICATION_FIELDS

from .common import (
    CheckLineSerializer,
    DistrictStatusField,
    DongRefField,
    OfficeInputMixin,
    RevocationGroundField,
    dong_resolve,
)
from .offices import DongSerializer


class DistrictChecksSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text=_("True when every criterion is met."))
    checks = CheckLineSerializer(many=True)


class DistrictSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = DistrictStatusField(read_only=True)
    revocation_ground = RevocationGroundField(read_only=True, allow_null=True)
    dongs = DongSerializer(many=True, read_only=True)
    counted_area_m2 = serializers.IntegerField(
        read_only=True, help_text=_("The area without roads, parks and public car parks.")
    )
    member_count = serializers.IntegerField(
        read_only=True, help_text=_("Stores that are members now.")
    )
    due_on = serializers.SerializerMethodField(
        help_text=_("The day a decision on the application is due (14 days after applying).")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("True for an open application past its due date.")
    )
    decided_by = UsernameField(
        label=_("decided by"), help_text=_("Who decided the application; null until decided.")
    )
    contacts_masked = serializers.SerializerMethodField(
        help_text=_("True when the representative and contact are masked for this user."),
    )

    class Meta:
        model = District
        fields = [
            "id",
            "office",
            "name",
            "status",
            "dongs",
            "location",
            "area_m2",
            "excluded_area_m2",
            "counted_area_m2",
            "in_commercial_zone",
            "store_count",
            "small_business_store_count",
            "member_count",
            "association_name",
            "representative",
            "association_phone",
            "applied_by_representative",
            "merchant_count",
            "consenting_merchants",
            "owner_count",
            "consenting_owners",
            "applied_on",
            "due_on",
            "overdue",
            "designation_no",
            "designated_on",
            "decided_by",
            "decided_at",
            "override_reason",
            "rejection_reason",
            "revoked_on",
            "revocation_ground",
            "revocation_reason",
            "certificate_issued_at",
            "created_at",
            "contacts_masked",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_on(self, district: District) -> date | None:
        return selectors.district_due_on(district)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, district: District) -> bool:
        due = selectors.district_due_on(district)
        return district.status == DistrictStatus.APPLIED and bool(due and due < local_today())


class DistrictWriteSerializer(StrictInputMixin, OfficeInputMixin, serializers.ModelSerializer):
    """The application's facts; on PATCH, only the fields given are changed."""

    dongs = serializers.ListField(
        child=DongRefField(),
        required=False,
        help_text=_("The dongs the district lies in, each by id or by exact name."),
    )

    class Meta:
        model = District
        fields = ["office", "name", "dongs", *sorted(APPLICATION_FIELDS - {"name"})]
        validators = []
        extra_kwargs = {"name": {"validators": []}}

    def validate(self, attrs):
        office = self.office_take(attrs)
        if "dongs" in attrs:
            attrs["dongs"] = [dong_resolve(office, v, "dongs") for v in attrs["dongs"]]
        return attrs


class DistrictUpdateSerializer(DistrictWriteSerializer):
    class Meta(DistrictWriteSerializer.Meta):
        fields = ["name", "dongs", *sorted(APPLICATION_FIELDS - {"name"})]


class DistrictDesignateSerializer(InputSerializer):
    designation_no = serializers.CharField(
        max_length=40,
        allow_blank=True,
        help_text=_("Unique within the office, e.g. 서구-2025-017."),
    )
    designated_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Required when a criterion fails: why the district is designated anyway."),
    )


class DistrictRevokeSerializer(InputSerializer):
    ground = RevocationGroundField(help_text=_("The ground of the law."))
    reason = serializers.CharField(required=False, allow_blank=True)
    revoked_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )
