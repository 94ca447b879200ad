"""Stores: the record with its current district and live registrations, and the writes on it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer, MaskedContactsMixin, StrictInputMixin
from core.numbers import brn_format
from core.walls import for_user
from registry import selectors
from registry.models import AffiliateRegistration, District, Membership, Store
from registry.services.stores import STORE_FIELDS

from .common import (
    AffiliateStatusField,
    CertificateTypeField,
    DongRefField,
    EnterpriseTypeField,
    OfficeInputMixin,
    StoreStatusField,
    dong_resolve,
)
from .offices import DongSerializer


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
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business_number = serializers.SerializerMethodField(help_text=_("Shown as XXX-XX-XXXXX."))
    business_number_digits = serializers.CharField(
        source="business_number", read_only=True, help_text=_("The ten digits.")
    )
    dong = DongSerializer(read_only=True)
    status = StoreStatusField(read_only=True)
    enterprise_type = EnterpriseTypeField(
        read_only=True,
        allow_null=True,
        help_text=_("The social-economy type (SPEC 7), or null for most stores."),
    )
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
            "enterprise_type",
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


class StoreWriteSerializer(StrictInputMixin, OfficeInputMixin, serializers.ModelSerializer):
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
    enterprise_type = EnterpriseTypeField(
        required=False,
        allow_blank=True,
        help_text=_("Only for social-economy businesses; empty for none."),
    )

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
            "enterprise_type",
            "opened_on",
        ]
        validators = []

    def validate(self, attrs):
        office = self.office_take(attrs)
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
