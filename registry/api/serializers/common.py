"""Pieces the registry's serializers share: the enum fields, the dong reference, check lines.

A dong is given by id or by its exact name and looked up within the record's office; the enum
fields show each choice set as one named component of the schema, whichever field holds it.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer, enum_field
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    RevocationGround,
    StoreStatus,
    StrikeOffReason,
)
from registry.models import Dong, Office


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


class RejectSerializer(InputSerializer):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("The reason the applicant will be told.")
    )
