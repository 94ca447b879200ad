"""The support programmes API (SPEC 7): programmes, applications entered by clerks, reviewers,
reviews, moves along the state machine and the selection.

Thin: each action parses with one serializer, calls one service and answers with the contract's
body. Programmes are found by code behind the office wall, so another office's programme is a
404; applications by tracking number within their programme. A reviewer (the
`programme_reviewer` role) reads only the programmes assigned to them and reviews their
applications; everything else needs the clerk's permissions. A refused application is a 400
naming its rule in `reason`; a second review or a second selection is a 409.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
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
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.serializers import office_resolve
from core.api.viewsets import CONFLICT, OfficeScopedViewSet
from core.audit import personal_shown
from programmes import rules, selectors, services
from programmes.api import serializers as s
from programmes.choices import ApplicationStatus, ProgrammeKind
from programmes.models import Application, Programme
from registry.rules import tracking_number_normalize

REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("Refused: messages keyed by the request's fields. Nothing was written."),
)
APPLICATION_REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "Malformed input: messages keyed by field, every bad field at once. Or refused by a rule "
        "of the programme: `reason` names the rule and `detail` says why. Nothing was written."
    ),
)
MOVE_REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "The move is not allowed, or its conditions are not met: messages keyed by field; for a "
        "move the state machine does not allow, `allowed` lists the statuses it allows."
    ),
)
NO_PROGRAMME = OpenApiResponse(description=_("No such programme in the offices you may see."))
NO_APPLICATION = OpenApiResponse(description=_("No such application in this programme."))
KIND_PARAMETER = OpenApiParameter(
    "kind", str, enum=list(ProgrammeKind.values), description=_("Only programmes of this kind.")
)
STATUS_PARAMETER = OpenApiParameter(
    "status",
    str,
    enum=list(ApplicationStatus.values),
    description=_("Only applications in this status."),
)
NUMBER = r"(?P<number>[-0-9A-Za-z]+)"
# Clerks, supervisors and auditors read the ledger; a reader without it reads as a reviewer.
OFFICE_READER = "programmes.view_ledgerentry"
# The applications of a programme, with their timeline, are for the office's staff.
APPLICATION_READ = ["programmes.view_application", "programmes.view_event"]


def choice_param(request, name: str, choices) -> str:
    """A query parameter holding one of `choices`, or "" when absent; anything else is a 400."""
    value = request.query_params.get(name, "")
    if value == "":
        return ""
    try:
        return serializers.ChoiceField(choices=choices.choices).run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc


@extend_schema_view(
    list=extend_schema(
        summary=_("List support programmes"),
        description=_(
            "Programmes of your office, the latest opening first, each with its figures. A "
            "reviewer sees the programmes assigned to them."
        ),
        parameters=[KIND_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("Show a support programme"),
        description=_(
            "The programme with its rules, criteria and digit days, and its figures: budget, "
            "awarded, paid, remaining and applications per status."
        ),
        responses={200: s.ProgrammeSerializer, 404: NO_PROGRAMME},
    ),
)
class ProgrammeViewSet(OfficeScopedViewSet):
    serializer_class = s.ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Programme.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "applications": APPLICATION_READ,
        "application": APPLICATION_READ,
        "application_create": ["programmes.add_application"],
        "transition": ["programmes.change_application"],
        "reviewers": ["programmes.add_reviewer"],
        "reviews": ["programmes.view_programme", "programmes.add_review"],
        "selection": ["programmes.change_programme", "programmes.change_application"],
    }
    figures: dict = {}

    # --- reading ---------------------------------------------------------------------------

    def base_queryset(self):
        return Programme.objects.select_related("office").prefetch_related(
            "criteria", "digit_days", "dongs"
        )

    def get_queryset(self):
        programmes = super().get_queryset()
        user = self.request.user
        if self.action in ("list", "retrieve") and not user.has_perm(OFFICE_READER):
            # A reviewer reads the programmes assigned to them; reviewing an application of
            # another is refused by the service (403), not hidden.
            programmes = programmes.filter(pk__in=selectors.programmes_of_reviewer(user))
        if self.action == "list":
            kind = choice_param(self.request, "kind", ProgrammeKind)
            if kind:
                programmes = programmes.filter(kind=kind)
            programmes = programmes.order_by("-opens_at", "code")
        return programmes

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "figures": self.figures}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.figures = selectors.programmes_figures(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        programme = self.get_object()
        self.figures = {programme.pk: selectors.programme_figures(programme)}
        return Response(self.get_serializer(programme).data)

    def answer(self, programme: Programme, code: int = status.HTTP_200_OK) -> Response:
        programme = self.get_queryset().get(pk=programme.pk)
        self.figures = {programme.pk: selectors.programme_figures(programme)}
        return Response(self.get_serializer(programme).data, status=code)

    def not_found(self) -> NotFound:
        return NotFound(_("No such programme in the offices you may see."))

    def application_get(self, programme: Programme, number: str) -> Application:
        application = (
            Application.objects.filter(
                programme=programme, number=tracking_number_normalize(number) or None
            )
            .select_related("programme", "store")
            .first()
        )
        if application is None:
            raise NotFound(_("No such application in this programme."))
        return application

    # --- programmes ------------------------------------------------------------------------

    @extend_schema(
        summary=_("Create a support programme"),
        description=_(
            "A competitive programme needs `max_award`, `pass_mark` and its `criteria`; an "
            "entitlement programme needs `amount` and may have `digit_days`. Times without an "
            "offset are Seoul time; `dongs` are the names of the office's dongs."
        ),
        request=s.ProgrammeCreateSerializer,
        responses={201: s.ProgrammeSerializer, 400: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(s.ProgrammeCreateSerializer)
        office = office_resolve(request.user, data.pop("office", ""))
        criteria = [services.CriterionInput(**c) for c in data.pop("criteria", [])]
        digit_days = [
            services.DigitDayInput(d["date"], "".join(str(n) for n in dict.fromkeys(d["digits"])))
            for d in data.pop("digit_days", [])
        ]
        dongs = data.pop("dongs", [])
        programme = services.programme_create(
            office=office,
            fields=data,
            criteria=criteria,
            digit_days=digit_days,
            dong_names=dongs,
            actor=request.user,
        )
        return self.answer(programme, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Assign a reviewer"),
        description=_(
            "Assigns an active staff member of the programme's office who holds the "
            "`programme_reviewer` role; anyone else is refused."
        ),
        request=s.ReviewerAssignSerializer,
        responses={201: s.ReviewerSerializer, 400: REFUSED, 404: NO_PROGRAMME},
    )
    @action(detail=True, methods=["post"])
    def reviewers(self, request, code=None):
        programme = self.get_object()
        data = self.parse(s.ReviewerAssignSerializer)
        reviewer = services.reviewer_assign(
            programme=programme, username=data["username"], actor=request.user
        )
        return Response(s.ReviewerSerializer(reviewer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Run the selection"),
        description=_(
            "Once, after applications close: ranks the scored applications under review, awards "
            "them in rank order within the budget and returns every scored application. Running "
            "it again is a 409."
        ),
        request=None,
        responses={201: s.SelectedSerializer(many=True), 400: REFUSED, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def selection(self, request, code=None):
        selected = services.programme_select(programme=self.get_object(), actor=request.user)
        return Response(
            s.SelectedSerializer(selected, many=True).data, status=status.HTTP_201_CREATED
        )

    # --- applications ----------------------------------------------------------------------

    @extend_schema(
        summary=_("List a programme's applications"),
        description=_(
            "In the order they were submitted. The applicant's name and phone are masked unless "
            "your role may see contacts."
        ),
        parameters=[STATUS_PARAMETER],
        responses={200: s.ApplicationSerializer(many=True), 404: NO_PROGRAMME},
    )
    @action(detail=True, methods=["get"])
    def applications(self, request, code=None):
        programme = self.get_object()
        applications = Application.objects.filter(programme=programme).select_related(
            "programme", "store"
        )
        wanted = choice_param(request, "status", ApplicationStatus)
        if wanted:
            applications = applications.filter(status=wanted)
        page = self.paginate_queryset(applications.order_by("submitted_at", "pk"))
        data = s.ApplicationSerializer(page, many=True, context=self.get_serializer_context())
        personal_shown(
            user=request.user,
            objects=page or (),
            face="API list",
            masked=not self.contacts_visible(),
        )
        return self.get_paginated_response(data.data)

    @extend_schema(
        summary=_("Enter an application"),
        description=_(
            "A clerk enters an application as the business gave it. An entitlement application "
            "is decided at once (`awarded` with the programme's amount); a competitive one is "
            "`submitted`. A refusal names its rule in `reason`: outside_window, digit_day, "
            "not_registered, not_eligible:<rule>, duplicate or budget_exhausted."
        ),
        request=s.ApplicationCreateSerializer,
        responses={
            201: s.ApplicationDecidedSerializer,
            400: APPLICATION_REFUSED,
            404: NO_PROGRAMME,
        },
    )
    @applications.mapping.post
    def application_create(self, request, code=None):
        programme = self.get_object()
        data = self.parse(s.ApplicationCreateSerializer, programme=programme)["data"]
        try:
            application = services.application_submit(
                programme=programme, data=data, actor=request.user
            )
        except services.Refusal as refusal:
            return Response(
                {"reason": refusal.reason, "detail": refusal.messages[0]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            s.ApplicationDecidedSerializer(application).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Show an application with its timeline"),
        responses={200: s.ApplicationDetailSerializer, 404: NO_APPLICATION},
    )
    @action(detail=True, methods=["get"], url_path=rf"applications/{NUMBER}")
    def application(self, request, code=None, number=None):
        return self.application_answer(self.application_get(self.get_object(), number))

    def application_answer(self, application: Application) -> Response:
        application = (
            Application.objects.select_related("programme", "store")
            .prefetch_related("budget_lines", "events__actor")
            .get(pk=application.pk)
        )
        context = self.get_serializer_context()
        personal_shown(
            user=self.request.user,
            objects=[application],
            face="API",
            masked=not self.contacts_visible(),
            single=True,
        )
        return Response(s.ApplicationDetailSerializer(application, context=context).data)

    @extend_schema(
        summary=_("Move an application along the state machine"),
        description=_(
            "submitted → screening → under_review; screening → changes_requested → screening; "
            "any open state → withdrawn (with a `note` saying why). selected and not_selected "
            "are reached only by the selection."
        ),
        request=s.ApplicationTransitionSerializer,
        responses={200: s.ApplicationDetailSerializer, 400: MOVE_REFUSED, 404: NO_APPLICATION},
    )
    @action(detail=True, methods=["post"], url_path=rf"applications/{NUMBER}/transition")
    def transition(self, request, code=None, number=None):
        application = self.application_get(self.get_object(), number)
        data = self.parse(s.ApplicationTransitionSerializer)
        try:
            application = services.application_transition(
                application=application,
                to=data["to"],
                note=data.get("note", ""),
                actor=request.user,
            )
        except DjangoValidationError as exc:
            refused = getattr(exc, "error_dict", {}).get("to", [])
            if not any(e.code == "move_not_allowed" for e in refused):
                raise
            return Response(
                {
                    "to": [m for e in refused for m in e.messages],
                    "allowed": list(rules.moves_from(application.status)),
                    "code": "invalid_move",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self.application_answer(application)

    @extend_schema(
        summary=_("Review an application"),
        description=_(
            "By a reviewer assigned to the programme, while the application is under review: "
            "points for every criterion from 0 to its maximum, or `conflict: true` to declare a "
            "conflict of interest (then no scores). One review each: a second is a 409; a "
            "reviewer not assigned is refused with 403."
        ),
        request=s.ReviewInputSerializer,
        responses={
            201: s.ApplicationReviewSerializer,
            400: REFUSED,
            403: OpenApiResponse(description=_("You are not a reviewer of this programme.")),
            404: NO_APPLICATION,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path=rf"applications/{NUMBER}/reviews")
    def reviews(self, request, code=None, number=None):
        application = self.application_get(self.get_object(), number)
        data = self.parse(s.ReviewInputSerializer)
        review = services.review_submit(
            application=application,
            reviewer=request.user,
            scores=data.get("scores"),
            conflict=data["conflict"],
            comment=data.get("comment", ""),
        )
        return Response(s.ApplicationReviewSerializer(review).data, status=status.HTTP_201_CREATED)
