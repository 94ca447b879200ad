"""How registry records look in the API, and how requests are parsed before a service runs.

Output serializers present a record; input serializers only check types and shapes (dates,
numbers, choices, which office, which dong) and hand plain values to one service, which owns
every business rule. Input serializers refuse fields they do not know instead of ignoring them,
so a client never believes it changed something that it did not.

Contacts (a representative's name, a phone number, an account holder) are masked when the
serializer context says `masked`; the views decide that from the `registry.view_contact`
permission and write the access log.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import (
    InputSerializer,
    MaskedContactsMixin,
    StrictInputMixin,
    enum_field,
    office_resolve,
)
from core.clock import local_today
from core.numbers import account_mask, brn_format, name_mask, phone_mask
from core.walls import for_user
from registry import selectors
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    RevocationGround,
    StoreStatus,
    StrikeOffReason,
)
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    Membership,
    Office,
    RestrictedBusinessType,
    Store,
)
from registry.services.districts import APPLICATION_FIELDS
from registry.services.stores import STORE_FIELDS


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "description": "The dong's id, or its exact name.",
    }
)
class DongRefField(serializers.CharField):
    """A dong given by id or by name; it is looked up within the record's office later."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)


def dong_lookup(office: Office, value: str) -> Dong | None:
    value = str(value).strip()
    dongs = Dong.objects.filter(office=office)
    if value.isdigit():
        return dongs.filter(pk=int(value)).first()
    return dongs.filter(name=value).first()


def dong_resolve(office: Office, value: str, field: str = "dong") -> Dong:
    dong = dong_lookup(office, value)
    if dong is None:
        raise serializers.ValidationError(
            {
                field: [
                    gettext("%(office)s has no dong %(dong)s.") % {"office": office, "dong": value}
                ]
            }
        )
    return dong


DistrictStatusField = enum_field(DistrictStatus, "DistrictStatusEnum")
RevocationGroundField = enum_field(RevocationGround, "RevocationGroundEnum")
StoreStatusField = enum_field(StoreStatus, "StoreStatusEnum")
CertificateTypeField = enum_field(CertificateType, "CertificateTypeEnum")
AffiliateStatusField = enum_field(AffiliateStatus, "AffiliateStatusEnum")
StrikeOffReasonField = enum_field(StrikeOffReason, "StrikeOffReasonEnum")


class CheckLineSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The rule's stable name, e.g. `area` or `zone`."))
    passed = serializers.BooleanField()
    message = serializers.CharField(help_text=_("What was found, in the user's language."))


class DistrictChecksSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text=_("True when every criterion is met."))
    checks = CheckLineSerializer(many=True)


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text=_("True when every rule passes."))
    checks = CheckLineSerializer(many=True)


# --- Offices ---------------------------------------------------------------------------------


class DongSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dong
        fields = ["id", "name"]


class RestrictedBusinessTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RestrictedBusinessType
        fields = ["ksic_code", "name"]


class OfficeCriteriaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = [
            "max_area_m2",
            "extra_area_step_m2",
            "extra_stores_per_step",
            "min_stores",
            "min_stores_commercial",
            "min_consent_ratio",
            "owner_consent_required",
        ]


class OfficeSerializer(serializers.ModelSerializer):
    dongs = DongSerializer(many=True, read_only=True)
    criteria = OfficeCriteriaSerializer(
        source="*", read_only=True, help_text=_("The designation criteria of the ordinance.")
    )
    restricted_business_types = RestrictedBusinessTypeSerializer(many=True, read_only=True)

    class Meta:
        model = Office
        fields = [
            "code",
            "name",
            "dongs",
            "criteria",
            "affiliate_sales_cap",
            "reregistration_ban_months",
            "restricted_business_types",
        ]


# --- Districts -------------------------------------------------------------------------------


class DistrictSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    contact_fields = {"representative": name_mask, "association_phone": phone_mask}

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
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
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


class DistrictWriteSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The application's facts; on PATCH, only the fields given are changed."""

    office = serializers.CharField(
        required=False,
        max_length=5,
        help_text=_(
            "The office's five-digit code. Staff may leave it out: their own office is used."
        ),
    )
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
        request = self.context["request"]
        office = self.context.get("office")
        if office is None:
            office = office_resolve(request.user, attrs.pop("office", None))
            attrs["office"] = office
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


class RejectSerializer(InputSerializer):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("The reason the applicant will be told.")
    )


class DistrictRevokeSerializer(InputSerializer):
    ground = RevocationGroundField(help_text=_("The ground of the law."))
    reason = serializers.CharField(required=False, allow_blank=True)
    revoked_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


# --- Stores ----------------------------------------------------------------------------------


class CurrentMembershipSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["district", "district_name", "joined_on"]


class StoreAffiliationBriefSerializer(serializers.ModelSerializer):
    certificate_type = CertificateTypeField(read_only=True)
    status = AffiliateStatusField(read_only=True)

    class Meta:
        model = AffiliateRegistration
        fields = ["id", "certificate_type", "status", "affiliate_number"]


class StoreSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    contact_fields = {"representative": name_mask, "phone": phone_mask}

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business_number = serializers.SerializerMethodField(help_text=_("Shown as XXX-XX-XXXXX."))
    business_number_digits = serializers.CharField(
        source="business_number", read_only=True, help_text=_("The ten digits.")
    )
    dong = DongSerializer(read_only=True)
    status = StoreStatusField(read_only=True)
    membership = serializers.SerializerMethodField(
        help_text=_("The district the store is a member of now, or null.")
    )
    affiliations = serializers.SerializerMethodField(
        help_text=_("Its live (applied or approved) Onnuri registrations.")
    )
    contacts_masked = serializers.SerializerMethodField(
        help_text=_("True when the representative and phone are masked for this user."),
    )

    class Meta:
        model = Store
        fields = [
            "id",
            "office",
            "business_number",
            "business_number_digits",
            "trade_name",
            "representative",
            "phone",
            "road_address",
            "dong",
            "ksic_code",
            "business_type",
            "is_small_business",
            "in_traditional_market",
            "annual_sales",
            "opened_on",
            "status",
            "closed_on",
            "membership",
            "affiliations",
            "created_at",
            "contacts_masked",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_business_number(self, store: Store) -> str:
        return brn_format(store.business_number)

    @extend_schema_field(CurrentMembershipSerializer(allow_null=True))
    def get_membership(self, store: Store):
        current = getattr(store, "current_memberships", None)
        if current is None:
            membership = selectors.store_current_membership(store)
        else:
            membership = current[0] if current else None
        return CurrentMembershipSerializer(membership).data if membership else None

    @extend_schema_field(StoreAffiliationBriefSerializer(many=True))
    def get_affiliations(self, store: Store):
        live = getattr(store, "live_affiliations", None)
        if live is None:
            live = selectors.affiliations_live(store.affiliations.all())
        return StoreAffiliationBriefSerializer(live, many=True).data


class StoreWriteSerializer(StrictInputMixin, serializers.ModelSerializer):
    office = serializers.CharField(
        required=False,
        max_length=5,
        help_text=_(
            "The office's five-digit code. Staff may leave it out: their own office is used."
        ),
    )
    business_number = serializers.CharField(
        max_length=20, help_text=_("Ten digits, with or without hyphens or spaces.")
    )
    phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text=_("Any Korean format: 010-1234-5678, 062 123 4567, +82 10…"),
    )
    dong = DongRefField(help_text=_("The dong's id, or its exact name."))

    class Meta:
        model = Store
        fields = [
            "office",
            "business_number",
            "trade_name",
            "representative",
            "phone",
            "road_address",
            "dong",
            "ksic_code",
            "business_type",
            "is_small_business",
            "in_traditional_market",
            "annual_sales",
            "opened_on",
        ]
        validators = []

    def validate(self, attrs):
        office = self.context.get("office")
        if office is None:
            office = office_resolve(self.context["request"].user, attrs.pop("office", None))
            attrs["office"] = office
        if "dong" in attrs:
            attrs["dong"] = dong_resolve(office, attrs["dong"])
        return attrs


class StoreUpdateSerializer(StoreWriteSerializer):
    class Meta(StoreWriteSerializer.Meta):
        fields = sorted(STORE_FIELDS)


class StoreCloseSerializer(InputSerializer):
    closed_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


@extend_schema_field(OpenApiTypes.INT)
class DistrictInOfficeField(serializers.PrimaryKeyRelatedField):
    """A district by id, among those the user may see."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return District.objects.none()
        return for_user(District.objects.all(), request.user)


class StoreJoinSerializer(InputSerializer):
    district = DistrictInOfficeField(help_text=_("The id of a designated district."))
    joined_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


class StoreLeaveSerializer(InputSerializer):
    left_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


# --- Onnuri affiliate registrations ----------------------------------------------------------


class AffiliationSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    contact_fields = {"settlement_holder": name_mask, "settlement_account": account_mask}

    office = serializers.SlugRelatedField(source="store.office", slug_field="code", read_only=True)
    store_name = serializers.CharField(source="store.trade_name", read_only=True)
    business_number = serializers.SerializerMethodField(help_text=_("Shown as XXX-XX-XXXXX."))
    certificate_type = CertificateTypeField(read_only=True)
    status = AffiliateStatusField(read_only=True)
    strike_off_reason = StrikeOffReasonField(read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    contacts_masked = serializers.SerializerMethodField(
        help_text=_("True when the account holder and account number are masked for this user."),
    )

    class Meta:
        model = AffiliateRegistration
        fields = [
            "id",
            "office",
            "store",
            "store_name",
            "business_number",
            "certificate_type",
            "status",
            "applied_on",
            "affiliate_number",
            "approved_on",
            "valid_until",
            "settlement_bank",
            "settlement_account",
            "settlement_holder",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "revoked_on",
            "strike_off_reason",
            "strike_off_note",
            "contacts_masked",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_business_number(self, registration: AffiliateRegistration) -> str:
        return brn_format(registration.store.business_number)


@extend_schema_field(OpenApiTypes.INT)
class StoreInOfficeField(serializers.PrimaryKeyRelatedField):
    """A store by id, among those the user may see."""

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            return Store.objects.none()
        return for_user(Store.objects.all(), request.user)


class AffiliationApplySerializer(InputSerializer):
    store = StoreInOfficeField(help_text=_("The store's id."))
    certificate_type = CertificateTypeField()
    applied_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


class SettlementAccountSerializer(InputSerializer):
    settlement_bank = serializers.CharField(max_length=40, allow_blank=True)
    settlement_account = serializers.CharField(max_length=40, allow_blank=True)
    settlement_holder = serializers.CharField(max_length=50, allow_blank=True)


class AffiliationApproveSerializer(SettlementAccountSerializer):
    affiliate_number = serializers.CharField(max_length=30, allow_blank=True)
    approved_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )
    valid_until = serializers.DateField(required=False, allow_null=True)


class AffiliationStrikeOffSerializer(InputSerializer):
    reason = StrikeOffReasonField()
    note = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Required when the reason is `other`.")
    )
    revoked_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to today (Asia/Seoul).")
    )


class AffiliationRenewSerializer(InputSerializer):
    valid_until = serializers.DateField(help_text=_("The new end of validity."))
