"""Pieces the registry's serializers share: the enum fields, the office and dong references.

A new record names its office by code (staff may leave it out); a dong is given by id or by its
exact name and looked up within the record's office. The enum fields show each choice set as one
named component of the schema, whichever field holds it.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer, enum_field, office_resolve
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    EnterpriseType,
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
    if value.isascii() and value.isdigit():
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


class OfficeInputMixin(serializers.Serializer):
    """An input that files a new record into an office, or corrects one whose office is known.

    On a correction the view gives the record's office in the context; a new record goes into
    the office whose code is given (checked against the user), or else the user's own.
    """

    office = serializers.CharField(
        required=False,
        max_length=5,
        help_text=_(
            "The office's five-digit code. Staff may leave it out: their own office is used."
        ),
    )

    def office_take(self, attrs: dict) -> Office:
        """The record's office, put into `attrs` as `office` when it is a new record's."""
        office = self.context.get("office")
        if office is None:
            office = office_resolve(self.context["request"].user, attrs.pop("office", None))
            attrs["office"] = office
        return office


DistrictStatusField = enum_field(DistrictStatus, "DistrictStatusEnum")
RevocationGroundField = enum_field(RevocationGround, "RevocationGroundEnum")
StoreStatusField = enum_field(StoreStatus, "StoreStatusEnum")
CertificateTypeField = enum_field(CertificateType, "CertificateTypeEnum")
AffiliateStatusField = enum_field(AffiliateStatus, "AffiliateStatusEnum")
StrikeOffReasonField = enum_field(StrikeOffReason, "StrikeOffReasonEnum")
EnterpriseTypeField = enum_field(EnterpriseType, "EnterpriseTypeEnum")


class CheckLineSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The rule's stable name, e.g. `area` or `zone`."))
    passed = serializers.BooleanField()
    message = serializers.CharField(help_text=_("What was found, in the user's language."))


class RejectSerializer(InputSerializer):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("The reason the applicant will be told.")
    )
