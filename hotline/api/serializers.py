"""Shapes of the hotline API (SPEC 4): field names and bodies are the partner contract.

Input serializers only check types and shapes and hand plain values to one service, which owns
every rule. The caller's name and phone are masked unless the reader may see contacts.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import (
    DateTimeField,
    InputSerializer,
    MaskedContactsMixin,
    UsernameField,
    enum_field,
)
from core.numbers import phone_format
from hotline import rules
from hotline.choices import (
    CallerType,
    CaseStatus,
    Category,
    Channel,
    CloseReason,
    EntryKind,
    Priority,
)
from hotline.models import Case, TimelineEntry
from hotline.selectors import case_overdue
from registry.models import User

ChannelField = enum_field(Channel, "HotlineChannelEnum")
CallerTypeField = enum_field(CallerType, "HotlineCallerTypeEnum")
CategoryField = enum_field(Category, "HotlineCategoryEnum")
PriorityField = enum_field(Priority, "HotlinePriorityEnum")
CaseStatusField = enum_field(CaseStatus, "HotlineCaseStatusEnum")
CloseReasonField = enum_field(CloseReason, "HotlineCloseReasonEnum")
EntryKindField = enum_field(EntryKind, "HotlineTimelineKindEnum")


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user: User) -> str:
        return user.get_full_name().strip()


class TimelineEntrySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="username", help_text=_("Who acted."))
    kind = EntryKindField()
    from_status = CaseStatusField(allow_null=True)
    to_status = CaseStatusField(allow_null=True)
    assignee = UsernameField(
        label=_("assignee"), help_text=_("Who the case was assigned to; null for other entries.")
    )
    reason = CloseReasonField(allow_null=True)

    class Meta:
        model = TimelineEntry
        fields = [
            "at",
            "user",
            "kind",
            "from_status",
            "to_status",
            "assignee",
            "department",
            "reason",
            "text",
        ]
        read_only_fields = fields


class CaseSerializer(MaskedContactsMixin, serializers.ModelSerializer):
    """A case as lists show it: contacts masked unless the reader may see them."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = CaseStatusField()
    channel = ChannelField()
    caller_type = CallerTypeField()
    caller_phone = serializers.SerializerMethodField()
    category = CategoryField()
    priority = PriorityField()
    business_number = serializers.CharField(
        source="business_number_display", help_text=_("Shown as XXX-XX-XXXXX, or empty.")
    )
    store = serializers.SerializerMethodField(help_text=_("The related store, or null."))
    district = serializers.SerializerMethodField(help_text=_("The related district, or null."))
    assignee = UserBriefSerializer(allow_null=True)
    close_reason = CloseReasonField(allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text=_(
            "True for an open case past its first-response deadline (before the first "
            "response) or past its result deadline."
        )
    )
    allowed_moves = serializers.SerializerMethodField(
        help_text=_("The statuses the case may move to next.")
    )
    contacts_masked = serializers.SerializerMethodField(
        help_text=_("True when the caller's name and phone are masked for this user.")
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "office",
            "status",
            "channel",
            "caller_type",
            "caller_name",
            "caller_phone",
            "business_number",
            "store",
            "district",
            "category",
            "priority",
            "description",
            "assignee",
            "referred_department",
            "reply",
            "replied_at",
            "received_at",
            "response_due",
            "resolution_due",
            "responded_at",
            "resolved_at",
            "closed_at",
            "close_reason",
            "reopen_count",
            "overdue",
            "allowed_moves",
            "contacts_masked",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_caller_phone(self, case: Case) -> str:
        return phone_format(case.caller_phone)

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "trade_name": {"type": "string"},
                "business_number": {"type": "string"},
            },
        }
    )
    def get_store(self, case: Case):
        if case.store is None:
            return None
        return {
            "id": case.store.pk,
            "trade_name": case.store.trade_name,
            "business_number": case.store.business_number_display,
        }

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_district(self, case: Case):
        if case.district is None:
            return None
        return {"id": case.district.pk, "name": case.district.name}

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, case: Case) -> bool:
        return case_overdue(case)

    @extend_schema_field(
        {"type": "array", "items": {"type": "string", "enum": list(CaseStatus.values)}}
    )
    def get_allowed_moves(self, case: Case) -> list[str]:
        return list(rules.allowed_moves(case.status))


class CaseDetailSerializer(CaseSerializer):
    """A case with its timeline, oldest entry first."""

    timeline = TimelineEntrySerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "timeline"]
        read_only_fields = fields


# --- Input -----------------------------------------------------------------------------------


class CaseCreateSerializer(InputSerializer):
    office = serializers.CharField(
        max_length=5,
        required=False,
        allow_blank=True,
        help_text=_("The office's five-digit code; defaults to your own office."),
    )
    channel = ChannelField()
    caller_type = CallerTypeField()
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    category = CategoryField()
    priority = PriorityField(required=False, help_text=_("Defaults to normal."))
    description = serializers.CharField(max_length=5000)
    business_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("The related store's number, with or without hyphens."),
    )
    received_at = DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the case came in; defaults to now. Without an offset: Seoul time."),
    )


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "description": "A user's id or username.",
    }
)
class AssigneeField(serializers.CharField):
    """A staff user by id or username; looked up within the case's office by the view."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)


def assignee_resolve(office_id: int, value: str | None) -> User | None:
    value = (value or "").strip()
    if not value:
        return None
    users = User.objects.filter(office_id=office_id)
    user = (
        users.filter(pk=int(value))
        if value.isascii() and value.isdigit()
        else users.filter(username=value)
    ).first()
    if user is None:
        raise serializers.ValidationError(
            {"assignee": [gettext("No user %(user)s in this office.") % {"user": value}]}
        )
    return user


class TransitionSerializer(InputSerializer):
    to = serializers.CharField(
        max_length=20,
        allow_blank=True,
        help_text=_(
            "The status to move to: received, assigned, in_progress, waiting_caller, resolved "
            "or closed. A move the state machine does not allow is refused with the allowed ones."
        ),
    )
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text=_("What was done; when resolving, the reply given to the caller."),
    )
    assignee = AssigneeField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_(
            "Required when assigning; may hand the case over on any move that keeps it open."
        ),
    )
    reason = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("When closing: resolved, duplicate, withdrawn, unreachable or other."),
    )


class NoteSerializer(InputSerializer):
    text = serializers.CharField(max_length=5000)


class AssignSerializer(InputSerializer):
    assignee = AssigneeField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReferSerializer(InputSerializer):
    department = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReplySerializer(InputSerializer):
    reply = serializers.CharField(max_length=5000)
