"""The hotline API (SPEC 4): create, read with the timeline, filter, move along the state
machine, plus notes, assignments, referrals and replies.

Thin: each action parses with one serializer, calls one service, and answers with the case as
it now stands. Cases are found by number behind the office wall, so another office's case is a
404. The caller's contacts are masked unless the reader may see them; reading them unmasked and
every change of a case holding them go to the access log.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.serializers import office_resolve
from core.api.viewsets import OfficeScopedViewSet
from hotline import rules, services
from hotline.api import serializers as s
from hotline.filters import CaseFilterSet
from hotline.models import Case
from hotline.selectors import case_with_timeline, cases_for, with_overdue

REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("Refused: messages keyed by the request's fields. Nothing was written."),
)
MOVE_REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "The move is not allowed, or its conditions are not met: messages keyed by field; for a "
        "move the state machine does not allow, `allowed` lists the statuses it allows."
    ),
)
NOT_FOUND = OpenApiResponse(description=_("No such case in the offices you may see."))
OFFICE_PARAMETER = OpenApiParameter(
    "office",
    str,
    description=_("Superusers: the office's code, when the same number exists in several offices."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List hotline cases"),
        description=_(
            "Cases of your office, newest first. Filter by status, category, priority, channel, "
            "overdue, assignee (`me`, `none`, an id or a username) and the time received. The "
            "caller's name and phone are masked unless your role may see contacts (then the "
            "listing is access-logged)."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a case with its timeline"),
        parameters=[OFFICE_PARAMETER],
        responses={200: s.CaseDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Log a case"),
        description=_(
            "Takes a case as the operator heard it; it gets the office's next number for the "
            "year it was received (119-YYYY-NNNNNN) and its deadlines from the office's "
            "settings. A known business number links the store and its district."
        ),
        request=s.CaseCreateSerializer,
        responses={201: s.CaseDetailSerializer, 400: REFUSED},
    ),
)
class CaseViewSet(OfficeScopedViewSet):
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    lookup_field = "number"
    lookup_value_regex = r"119-[0-9]{4}-[0-9]{6}"
    queryset = Case.objects.none()
    action_permissions = {"notes": ["hotline.view_case", "hotline.add_timelineentry"]}

    # --- reading ---------------------------------------------------------------------------

    def get_queryset(self):
        cases = with_overdue(cases_for(self.request.user))
        if self.action == "list":
            return cases.order_by("-received_at", "-id")
        return case_with_timeline(cases)

    def get_serializer_class(self):
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def get_object(self) -> Case:
        cases = self.get_queryset().filter(number=self.kwargs["number"])
        code = (self.request.query_params.get("office") or "").strip()
        if code:
            cases = cases.filter(office__code=code)
        found = list(cases[:2])
        if len(found) > 1:
            raise serializers.ValidationError(
                {"office": [gettext("Several offices have this case number: give ?office=CODE.")]}
            )
        if not found:
            raise self.not_found()
        self.check_object_permissions(self.request, found[0])
        return found[0]

    # --- writing ---------------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        data = self.parse(s.CaseCreateSerializer)
        office = office_resolve(request.user, data.pop("office", ""))
        case = self.write(services.case_intake, office=office, **data)
        return self.answer(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Move a case along the state machine"),
        description=_(
            "received → assigned → in_progress → resolved → closed; in_progress ⇄ "
            "waiting_caller; resolved → in_progress (reopened); any open state → closed with a "
            "reason. Assigning needs `assignee`; resolving needs the reply given to the caller "
            "in `note` (unless one was recorded); closing needs `reason`."
        ),
        parameters=[OFFICE_PARAMETER],
        request=s.TransitionSerializer,
        responses={200: s.CaseDetailSerializer, 400: MOVE_REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, number=None):
        case = self.get_object()
        data = self.parse(s.TransitionSerializer)
        assignee = s.assignee_resolve(case.office_id, data.get("assignee"))
        try:
            case = self.write(
                services.case_transition,
                case=case,
                to=data["to"],
                note=data.get("note", ""),
                assignee=assignee,
                reason=data.get("reason", ""),
            )
        except rules.TransitionRefused as refused:
            return Response(
                {"to": refused.messages, "allowed": list(refused.allowed), "code": "invalid_move"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self.answer(case)

    @extend_schema(
        summary=_("Add a note to the timeline"),
        parameters=[OFFICE_PARAMETER],
        request=s.NoteSerializer,
        responses={201: s.CaseDetailSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, number=None):
        case = self.get_object()
        data = self.parse(s.NoteSerializer)
        self.write(services.case_note, case=case, **data)
        return self.answer(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Give a case to someone"),
        description=_(
            "A received case becomes assigned; an open case changes hands. Resolved and closed "
            "cases are not reassigned."
        ),
        parameters=[OFFICE_PARAMETER],
        request=s.AssignSerializer,
        responses={200: s.CaseDetailSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, number=None):
        case = self.get_object()
        data = self.parse(s.AssignSerializer)
        assignee = s.assignee_resolve(case.office_id, data["assignee"])
        self.write(services.case_assign, case=case, assignee=assignee, note=data.get("note", ""))
        return self.answer(case)

    @extend_schema(
        summary=_("Refer a case to a department"),
        parameters=[OFFICE_PARAMETER],
        request=s.ReferSerializer,
        responses={200: s.CaseDetailSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def refer(self, request, number=None):
        case = self.get_object()
        data = self.parse(s.ReferSerializer)
        self.write(services.case_refer, case=case, **data)
        return self.answer(case)

    @extend_schema(
        summary=_("Record the reply given to the caller"),
        parameters=[OFFICE_PARAMETER],
        request=s.ReplySerializer,
        responses={200: s.CaseDetailSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, number=None):
        case = self.get_object()
        data = self.parse(s.ReplySerializer)
        self.write(services.case_reply, case=case, **data)
        return self.answer(case)
