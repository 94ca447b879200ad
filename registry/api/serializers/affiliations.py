"""Onnuri affiliate registrations: the record with its settlement account, and the decisions."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer, MaskedContactsMixin, UsernameField
from core.numbers import brn_format
from core.walls import for_user
from registry.models import AffiliateRegistration, Store

from .common import (
    AffiliateStatusField,
    CertificateTypeField,
    CheckLineSerializer,
    StrikeOffReasonField,
)


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text=_("True when every rule passes."))
    checks = CheckLineSerializer(many=True)


class AffiliationSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    office = serializers.SlugRelatedField(source="store.office", slug_field="code", read_only=True)
    store_name = serializers.CharField(source="store.trade_name", read_only=True)
    business_number = serializers.SerializerMethodField(help_text=_("Shown as XXX-XX-XXXXX."))
    certificate_type = CertificateTypeField(read_only=True)
    status = AffiliateStatusField(read_only=True)
    strike_off_reason = StrikeOffReasonField(read_only=True, allow_null=True)
    decided_by = UsernameField(
        label=_("decided by"),
        help_text=_("Who approved or rejected the registration; null until decided."),
    )
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
