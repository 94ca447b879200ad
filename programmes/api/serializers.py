"""Shapes of the support programmes API (SPEC 7): field names and bodies are the contract.

Input serializers check types and shapes and hand plain values to one service, which owns every
rule. An application's fields are checked twice over, by shape here and by the service's own
parser, and the two sets of messages are merged so that one answer names every bad field.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.exceptions import validation_error_body
from core.api.serializers import DateTimeField, InputSerializer, UsernameField, enum_field
from core.numbers import brn_normalize
from core.personal import NAME, PHONE, mask
from programmes import services
from programmes.choices import ApplicationStatus, EventKind, ProgrammeKind
from programmes.models import Application, Event, Programme
from programmes.models.programme import CODE_PATTERN
from registry.choices import EnterpriseType

ProgrammeKindField = enum_field(ProgrammeKind, "ProgrammeKindEnum")
ApplicationStatusField = enum_field(ApplicationStatus, "ProgrammeApplicationStatusEnum")
EventKindField = enum_field(EventKind, "ProgrammeEventKindEnum")
EnterpriseTypeField = enum_field(EnterpriseType, "EnterpriseTypeEnum")

MAX_WON = 10**15
WON_HELP = _("Whole won.")
REASON_HELP = _(
    "Why the application was refused or not selected (`budget_exhausted`, `below_pass_mark`, "
    "…), or null."
)


def won(**kwargs) -> serializers.IntegerField:
    kwargs.setdefault("help_text", WON_HELP)
    return serializers.IntegerField(
        min_value=kwargs.pop("min_value", 0), max_value=MAX_WON, **kwargs
    )


# --- Programmes ------------------------------------------------------------------------------


class CriterionInputSerializer(InputSerializer):
    key = serializers.SlugField(max_length=40, help_text=_("e.g. feasibility"))
    name = serializers.CharField(max_length=100)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, help_text=_("More than 0, e.g. 1.5.")
    )
    max_points = serializers.IntegerField(min_value=1, max_value=1000)


class DigitDayInputSerializer(InputSerializer):
    date = serializers.DateField()
    digits = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=9),
        min_length=1,
        max_length=10,
        help_text=_("The last digits of business numbers that may apply that day, e.g. [1, 6]."),
    )


class ProgrammeCreateSerializer(InputSerializer):
    code = serializers.RegexField(
        CODE_PATTERN,
        max_length=50,
        error_messages={
            "invalid": _("Use lowercase letters, digits and hyphens, e.g. relief-credit-2026.")
        },
        help_text=_("Part of the public address /programmes/<code>/, e.g. relief-credit-2026."),
    )
    name = serializers.CharField(max_length=150)
    office = serializers.CharField(
        max_length=5,
        required=False,
        allow_blank=True,
        help_text=_("The office's five-digit code; staff may leave it out for their own office."),
    )
    kind = ProgrammeKindField()
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    opens_at = DateTimeField(help_text=_("Without an offset: Seoul time."))
    closes_at = DateTimeField(
        help_text=_(
            "Applications are taken until just before this moment. Without an offset: Seoul time."
        )
    )
    budget = won(min_value=1)
    max_award = won(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Competitive programmes: the largest award."),
    )
    amount = won(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Entitlement programmes: the amount per business."),
    )
    annual_sales_min_exclusive = won(required=False, allow_null=True)
    annual_sales_max = won(required=False, allow_null=True)
    opened_before = serializers.DateField(required=False, allow_null=True)
    enterprise_types = serializers.ListField(
        child=EnterpriseTypeField(), required=False, max_length=len(EnterpriseType.values)
    )
    dongs = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=200,
        help_text=_("Names of the office's dongs; leave empty to take businesses of every dong."),
    )
    criteria = CriterionInputSerializer(many=True, required=False, max_length=30)
    pass_mark = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    trimmed_mean = serializers.BooleanField(required=False)
    digit_days = DigitDayInputSerializer(many=True, required=False, max_length=31)

    def validate_code(self, value: str) -> str:
        if Programme.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("A programme with this code already exists."))
        return value

    def validate(self, attrs):
        """The terms each kind takes, named by field (the table's check lets a null through)."""
        competitive = attrs["kind"] == ProgrammeKind.COMPETITIVE
        wanted, unwanted = (
            (("max_award", "pass_mark"), ("amount",))
            if competitive
            else (("amount",), ("max_award", "pass_mark"))
        )
        errors = {
            name: [_("Required for this kind of programme.")]
            for name in wanted
            if attrs.get(name) is None
        }
        errors |= {
            name: [_("Not taken by this kind of programme: leave it out.")]
            for name in unwanted
            if attrs.get(name) is not None
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProgrammeCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_points = serializers.IntegerField()


class ProgrammeDigitDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    digits = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_digits(self, day) -> list[int]:
        return [int(d) for d in day.digits]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "description": "Applications per status; statuses without any are left out.",
    }
)
class CountsField(serializers.DictField):
    pass


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme with its rules and its figures; `figures` in the context maps the
    programme's id to `programmes.selectors.ProgrammeFigures`."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = ProgrammeKindField()
    enterprise_types = serializers.ListField(child=EnterpriseTypeField())
    dongs = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    criteria = ProgrammeCriterionSerializer(many=True, read_only=True)
    digit_days = ProgrammeDigitDaySerializer(many=True, read_only=True)
    awarded = serializers.SerializerMethodField(help_text=_("Awards made, in won."))
    paid = serializers.SerializerMethodField(help_text=_("Instalments paid, in won."))
    remaining = serializers.SerializerMethodField(help_text=_("Budget not yet awarded, in won."))
    applications = serializers.SerializerMethodField(
        help_text=_("Applications per status; statuses without any are left out.")
    )

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "office",
            "kind",
            "description",
            "opens_at",
            "closes_at",
            "budget",
            "max_award",
            "amount",
            "annual_sales_min_exclusive",
            "annual_sales_max",
            "opened_before",
            "enterprise_types",
            "dongs",
            "criteria",
            "pass_mark",
            "trimmed_mean",
            "digit_days",
            "selected_at",
            "awarded",
            "paid",
            "remaining",
            "applications",
        ]
        read_only_fields = fields

    def _figures(self, programme: Programme):
        return self.context["figures"][programme.pk]

    @extend_schema_field(OpenApiTypes.INT)
    def get_awarded(self, programme: Programme) -> int:
        return self._figures(programme).awarded

    @extend_schema_field(OpenApiTypes.INT)
    def get_paid(self, programme: Programme) -> int:
        return self._figures(programme).paid

    @extend_schema_field(OpenApiTypes.INT)
    def get_remaining(self, programme: Programme) -> int:
        return self._figures(programme).remaining

    @extend_schema_field(CountsField())
    def get_applications(self, programme: Programme) -> dict[str, int]:
        return dict(sorted(self._figures(programme).applications.items()))


# --- Applications ----------------------------------------------------------------------------


class ApplicationBudgetLineInputSerializer(InputSerializer):
    item = serializers.CharField(max_length=100)
    amount = won(min_value=1)


class ApplicationCreateSerializer(InputSerializer):
    """An application as a clerk enters it. The shapes are checked here and the values by
    `programmes.services.application_input_parse` (the parser the public page uses); an
    answer names every field either of them refuses. `programme` comes in the context."""

    business_number = serializers.CharField(
        max_length=20, help_text=_("Ten digits, with or without hyphens.")
    )
    annual_sales = won(help_text=_("Annual sales declared, in whole won."))
    requested = won(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Competitive programmes: the amount requested, in whole won."),
    )
    plan = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        help_text=_("Competitive programmes: the plan."),
    )
    budget_lines = ApplicationBudgetLineInputSerializer(
        many=True,
        required=False,
        help_text=_("Competitive programmes: what the money is for, adding up to `requested`."),
    )
    submitted_at = DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("Defaults to now. Without an offset: Seoul time."),
    )

    def validate_business_number(self, value: str) -> str:
        try:
            return brn_normalize(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc

    def _fields_checked(self, data: Mapping, errors: dict) -> dict:
        """The fields checked one by one, after a refusal that may have stopped before them
        (a field the endpoint does not take); each one's problems are added to `errors`."""
        values = {}
        for name, field in self.fields.items():
            if name in errors:
                continue
            if name not in data:
                if field.required:
                    errors[name] = [field.error_messages["required"]]
                continue
            try:
                value = field.run_validation(data[name])
                check = getattr(self, f"validate_{name}", None)
                values[name] = check(value) if check else value
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
        return values

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        try:
            values, errors = super().to_internal_value(data), {}
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, Mapping):
                raise
            errors = dict(exc.detail)
            values = self._fields_checked(data, errors)
        values = dict(values)
        if "budget_lines" in values:
            values["budget_lines"] = [dict(line) for line in values["budget_lines"]]
        try:
            parsed = services.application_input_parse(
                programme=self.context["programme"],
                business_number=values.get("business_number", ""),
                annual_sales=values.get("annual_sales"),
                requested=values.get("requested"),
                plan=values.get("plan", ""),
                budget_lines=values.get("budget_lines", ()),
                submitted_at=values.get("submitted_at"),
            )
        except DjangoValidationError as exc:
            for name, messages in validation_error_body(exc).items():
                errors.setdefault(name, messages)
            parsed = None
        if errors:
            raise serializers.ValidationError(errors)
        return {"data": parsed}


class ApplicationDecidedSerializer(serializers.Serializer):
    number = serializers.CharField(source="number_display", help_text=_("The tracking number."))
    status = ApplicationStatusField()
    award = serializers.IntegerField(allow_null=True, help_text=_("In won, or null until decided."))
    reason = serializers.SerializerMethodField(help_text=REASON_HELP)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reason(self, application: Application) -> str | None:
        return application.reason or None


class ApplicationBudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    amount = serializers.IntegerField()


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = UsernameField(help_text=_("Who acted; null for the applicant on the public page."))
    kind = EventKindField()
    from_status = ApplicationStatusField(allow_null=True)
    to_status = ApplicationStatusField(allow_null=True)

    class Meta:
        model = Event
        fields = ["at", "actor", "kind", "from_status", "to_status", "amount", "note"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as lists show it; the applicant's name and phone are masked unless the
    reader may see contacts."""

    number = serializers.CharField(source="number_display", help_text=_("The tracking number."))
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business_number = serializers.CharField(
        source="business_number_display", help_text=_("Shown as XXX-XX-XXXXX.")
    )
    trade_name = serializers.CharField(source="store.trade_name")
    status = ApplicationStatusField()
    reason = serializers.SerializerMethodField(help_text=REASON_HELP)
    score = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text=_("The mean score rounded half up to two decimals, once the selection ran."),
    )
    applicant = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "number",
            "programme",
            "business_number",
            "trade_name",
            "applicant",
            "phone",
            "annual_sales",
            "requested",
            "status",
            "score",
            "rank",
            "award",
            "reason",
            "submitted_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reason(self, application: Application) -> str | None:
        return application.reason or None

    def _shown(self, kind: str, value: str) -> str:
        return mask(kind, value) if self.context.get("masked", True) else value

    @extend_schema_field(OpenApiTypes.STR)
    def get_applicant(self, application: Application) -> str:
        return self._shown(NAME, application.applicant)

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, application: Application) -> str:
        return self._shown(PHONE, application.phone)


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with its plan, budget lines and timeline, oldest entry first."""

    budget_lines = ApplicationBudgetLineSerializer(many=True, read_only=True)
    timeline = ApplicationEventSerializer(source="events", many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "plan", "budget_lines", "timeline"]
        read_only_fields = fields


# --- Review and selection --------------------------------------------------------------------


class ReviewerAssignSerializer(InputSerializer):
    username = serializers.CharField(max_length=150)


class ReviewerSerializer(serializers.Serializer):
    programme = serializers.CharField(source="programme.code")
    username = serializers.CharField(source="user.username")
    assigned_at = serializers.DateTimeField()


class ReviewInputSerializer(InputSerializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000),
        required=False,
        help_text=_("Points per criterion key, each from 0 to the criterion's maximum."),
    )
    conflict = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("True declares a conflict of interest: no scores are recorded."),
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ApplicationReviewSerializer(serializers.Serializer):
    number = serializers.CharField(source="application.number_display")
    reviewer = serializers.CharField(source="reviewer.username")
    conflict = serializers.BooleanField()
    total = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text=_("Σ points × weight; null for a conflict of interest."),
    )
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ApplicationTransitionSerializer(InputSerializer):
    to = serializers.CharField(
        max_length=20,
        allow_blank=True,
        help_text=_(
            "The status to move to: screening, changes_requested, under_review or withdrawn. A "
            "move the state machine does not allow is refused with the allowed ones."
        ),
    )
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text=_("What was done; required when withdrawing."),
    )


class SelectedSerializer(serializers.Serializer):
    """One scored application as the selection decided it (`programmes.services.Selected`)."""

    number = serializers.CharField(source="application.number_display")
    score = serializers.DecimalField(
        source="application.score",
        max_digits=12,
        decimal_places=2,
        help_text=_("The mean rounded half up to two decimals; the ranking used the exact mean."),
    )
    rank = serializers.IntegerField(
        source="outcome.rank", allow_null=True, help_text=_("Null below the pass mark.")
    )
    award = serializers.IntegerField(source="outcome.award", help_text=WON_HELP)
    status = ApplicationStatusField(source="outcome.status")
    reason = serializers.CharField(
        source="outcome.reason",
        allow_null=True,
        help_text=_("budget_exhausted for an award of 0, below_pass_mark, or null."),
    )
