"""The cashback API for the payment operator and cashback managers (SPEC 3.3).

One viewset on the core's office-scoped base: campaigns are found by code behind the office
wall, so another office's campaign is a 404. Each action parses with one serializer, calls one
service and answers with the contract's body. A repeated reference with other content and a
change to a confirmed week are `Conflict`s, answered 409 by the core's exception handler.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cashback import selectors, services
from cashback.api import serializers as s
from cashback.models import Campaign, Payment
from core.api.serializers import office_resolve
from core.api.viewsets import CONFLICT, OfficeScopedViewSet

REFUSED = OpenApiResponse(
    description=_("Malformed input: messages keyed by field. Nothing was recorded."),
)
NO_CAMPAIGN = OpenApiResponse(description=_("No such campaign in your office."))


@extend_schema_view(
    list=extend_schema(summary=_("List campaigns")),
    retrieve=extend_schema(summary=_("Show a campaign"), responses={200: s.CampaignSerializer}),
)
class CampaignViewSet(OfficeScopedViewSet):
    serializer_class = s.CampaignSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Campaign.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The operator's system records and cancels payments without managing campaigns.
    action_permissions = {
        "payments": ["cashback.add_payment"],
        "cancel": ["cashback.change_payment"],
        "weeks": ["cashback.view_campaign"],
        "week_budget": ["cashback.change_campaign"],
    }

    def base_queryset(self):
        campaigns = Campaign.objects.select_related("office")
        if self.action in ("list", "retrieve", "create", "partial_update"):
            campaigns = campaigns.prefetch_related("weeks")
        if self.action == "list":
            campaigns = campaigns.order_by("-first_day", "code")
        return campaigns

    @extend_schema(
        summary=_("Create a campaign"),
        request=s.CampaignCreateSerializer,
        responses={201: s.CampaignSerializer, 400: REFUSED},
        description=_(
            "Create a campaign and its weeks. Fields after `last_day` default to SPEC 3.1; "
            "`total_budget` is derived when left out and refused when it does not add up."
        ),
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(s.CampaignCreateSerializer)
        office = office_resolve(request.user, data.pop("office"))
        overrides = [services.WeekOverride(**o) for o in data.pop("week_overrides", [])]
        campaign = self.write(
            services.campaign_create, office=office, week_overrides=overrides, **data
        )
        return self.answer(campaign, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a campaign"),
        request=s.CampaignUpdateSerializer,
        responses={200: s.CampaignSerializer, 400: REFUSED},
        description=_(
            "Change the name at any time, and the terms until the first payment arrives; "
            "afterwards budgets can only be raised through `weeks/{week}/budget/`."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        data = self.parse(s.CampaignUpdateSerializer)
        if "week_overrides" in data:
            data["week_overrides"] = [services.WeekOverride(**o) for o in data["week_overrides"]]
        campaign = self.write(services.campaign_update, campaign=campaign, **data)
        return self.answer(campaign)

    @extend_schema(
        summary=_("Raise a week's budget"),
        request=s.BudgetRaiseSerializer,
        responses={200: s.WeekBudgetSerializer, 400: REFUSED, 409: CONFLICT},
        description=_("Raise one week's budget; budgets can only go up."),
    )
    @action(detail=True, methods=["post"], url_path=r"weeks/(?P<week>[0-9]+)/budget")
    def week_budget(self, request, code: str, week: str):
        campaign = self.get_object()
        data = self.parse(s.BudgetRaiseSerializer)
        if not campaign.weeks.filter(number=int(week)).exists():
            raise NotFound(_("No such week in this campaign."))
        row = self.write(services.campaign_budget_raise, campaign=campaign, week=int(week), **data)
        return Response(s.WeekBudgetSerializer(row).data)

    @extend_schema(
        summary=_("Record a payment"),
        request=s.PaymentInputSerializer,
        responses={
            201: s.PaymentRecordedSerializer,
            200: OpenApiResponse(
                s.PaymentRecordedSerializer,
                description=_("The same reference with the same content: the recorded answer."),
            ),
            400: REFUSED,
            404: NO_CAMPAIGN,
            409: CONFLICT,
        },
        description=_(
            "Record one payment and decide its cashback (SPEC 3.2). Safe to retry: the same "
            "`ref` with the same content answers 200 with the same body."
        ),
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, code: str):
        campaign = self.get_object()
        data = services.PaymentInput.parse(**self.parse(s.PaymentInputSerializer))
        payment, created = services.payment_record(campaign=campaign, data=data)
        body = s.PaymentRecordedSerializer(payment).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary=_("Cancel a payment"),
        request=None,
        responses={
            200: s.PaymentCancelledSerializer,
            404: OpenApiResponse(description=_("No such payment in this campaign.")),
            409: CONFLICT,
        },
        description=_(
            "Cancel a payment: its cashback returns to its week's budget and the customer's "
            "room. Cancelling again answers the same."
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"payments/(?P<ref>[^/]+)/cancel")
    def cancel(self, request, code: str, ref: str):
        campaign = self.get_object()
        try:
            payment, _changed = services.payment_cancel(campaign=campaign, ref=ref)
        except Payment.DoesNotExist as exc:
            raise NotFound(_("No such payment in this campaign.")) from exc
        return Response(s.PaymentCancelledSerializer(payment).data)

    @extend_schema(
        summary=_("A campaign's weeks"), responses={200: s.WeekFiguresSerializer(many=True)}
    )
    @action(detail=True, methods=["get"])
    def weeks(self, request, code: str):
        figures = selectors.campaign_week_figures(self.get_object())
        return Response(s.WeekFiguresSerializer(figures, many=True).data)
