"""Offices as the API shows them: their dongs, designation criteria and affiliate limits."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import Dong, Office, RestrictedBusinessType


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
