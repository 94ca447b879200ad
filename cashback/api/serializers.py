"""Shapes of the cashback API (SPEC 3.3): field names and bodies are the partner contract."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cashback import parsing
from cashback.choices import PaymentStatus, Reason
from cashback.models import Campaign, CampaignWeek
from core.api.serializers import DateTimeField, InputSerializer, enum_field
from registry.choices import CertificateType

CertificateTypeField = enum_field(CertificateType, "CertificateTypeEnum")
ReasonField = enum_field(Reason, "CashbackReasonEnum")
PaymentStatusField = enum_field(PaymentStatus, "PaymentStatusEnum")


class WeekOverrideSerializer(InputSerializer):
    week = serializers.IntegerField(min_value=1)
    budget = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    cap = serializers.IntegerField(min_value=0, required=False, allow_null=True)


FIRST_DAY_HELP = _("A day from 2000-01-01 to 2099-12-31.")
LAST_DAY_HELP = _(
    "At most 104 weeks (two years) after the first day, that day included; a longer campaign "
    "is refused."
)


class CampaignCreateSerializer(InputSerializer):
    code = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)
    office = serializers.CharField(max_length=5, help_text=_("The office's five-digit code."))
    first_day = serializers.DateField(help_text=FIRST_DAY_HELP)
    last_day = serializers.DateField(help_text=LAST_DAY_HELP)
    methods = serializers.ListField(child=CertificateTypeField(), required=False, min_length=1)
    minimum = serializers.IntegerField(min_value=0, required=False)
    rate_bp = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    weekly_cap = serializers.IntegerField(min_value=0, required=False)
    weekly_budget = serializers.IntegerField(min_value=0)
    week_overrides = WeekOverrideSerializer(many=True, required=False)
    rounding_unit = serializers.IntegerField(min_value=1, required=False)
    total_budget = serializers.IntegerField(min_value=0, required=False)

    def validate_code(self, value: str) -> str:
        if Campaign.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("A campaign with this code already exists."))
        return value


class CampaignUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    first_day = serializers.DateField(required=False, help_text=FIRST_DAY_HELP)
    last_day = serializers.DateField(required=False, help_text=LAST_DAY_HELP)
    methods = serializers.ListField(child=CertificateTypeField(), required=False, min_length=1)
    minimum = serializers.IntegerField(min_value=0, required=False)
    rate_bp = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    weekly_cap = serializers.IntegerField(min_value=0, required=False)
    weekly_budget = serializers.IntegerField(min_value=0, required=False)
    week_overrides = WeekOverrideSerializer(many=True, required=False)
    rounding_unit = serializers.IntegerField(min_value=1, required=False)
    total_budget = serializers.IntegerField(min_value=0, required=False)


class BudgetRaiseSerializer(InputSerializer):
    budget = serializers.IntegerField(min_value=0)


class WeekBudgetSerializer(serializers.ModelSerializer):
    week = serializers.IntegerField(source="number")

    class Meta:
        model = CampaignWeek
        fields = ["week", "starts_on", "ends_on", "budget", "cap"]


class CampaignSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code")
    methods = serializers.ListField(child=CertificateTypeField())
    weeks = WeekBudgetSerializer(many=True)

    class Meta:
        model = Campaign
        fields = [
            "code",
            "name",
            "office",
            "first_day",
            "last_day",
            "methods",
            "minimum",
            "rate_bp",
            "weekly_cap",
            "weekly_budget",
            "rounding_unit",
            "total_budget",
            "weeks",
        ]


class PaymentInputSerializer(InputSerializer):
    """A payment as the operator posts it. `paid_at` without an offset is Seoul time.

    The fields read JSON into Python types, with DRF's messages for what is not text, a number
    or a time; each value is then checked by `cashback.parsing`, the parsers the file
    settlement shares, so a payment either path takes the other takes too.
    """

    ref = serializers.CharField(max_length=parsing.TEXT_LENGTH)
    customer = serializers.CharField(max_length=parsing.TEXT_LENGTH)
    business_number = serializers.CharField(max_length=20)
    amount = serializers.IntegerField(min_value=1)
    method = CertificateTypeField()
    paid_at = DateTimeField()

    def validate_ref(self, value: str) -> str:
        return parsing.ref(value)

    def validate_customer(self, value: str) -> str:
        return parsing.customer(value)

    def validate_business_number(self, value: str) -> str:
        return parsing.business_number(value)

    def validate_amount(self, value: int) -> int:
        return parsing.amount(value)

    def validate_method(self, value: str) -> str:
        return parsing.method(value)

    def validate_paid_at(self, value: datetime) -> datetime:
        return parsing.paid_at(value)


class PaymentRecordedSerializer(serializers.Serializer):
    ref = serializers.CharField()
    week = serializers.IntegerField(allow_null=True, source="week.number", default=None)
    cashback = serializers.IntegerField()
    reason = ReasonField()
    status = PaymentStatusField()


class PaymentCancelledSerializer(serializers.Serializer):
    ref = serializers.CharField()
    status = PaymentStatusField()
    returned = serializers.IntegerField(source="cashback")


class WeekFiguresSerializer(serializers.Serializer):
    week = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    budget = serializers.IntegerField()
    granted = serializers.IntegerField()
    remaining = serializers.IntegerField()
    payments = serializers.IntegerField()
    eligible_payments = serializers.IntegerField()
    beneficiaries = serializers.IntegerField()
    purchase_total = serializers.IntegerField()
    exhausted_at = serializers.DateTimeField(allow_null=True)
