"""The cashback API for the payment operator and cashback managers (SPEC 3.3).

Thin: each view parses with one serializer, calls one service, and answers with the contract's
body. Campaigns are found by code behind the office wall, so another office's campaign is a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cashback import selectors, services
from cashback.api import serializers as s
from cashback.models import Campaign, Payment
from core.api.permissions import RolePermissions
from core.api.serializers import office_resolve
from core.walls import for_user

REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("Malformed input: messages keyed by field. Nothing was recorded."),
)
CONFLICT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "The reference was recorded with different content, or the week is confirmed and frozen."
    ),
)


def conflict(exc: Exception) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)


def holds(permission: str) -> type[permissions.BasePermission]:
    """A permission class: the signed-in user holds `permission` (through a role)."""

    class Holds(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(permission))

    Holds.__name__ = f"Holds_{permission.replace('.', '_')}"
    return Holds


class CampaignScoped:
    """Finds the campaign named in the URL among those the user's office may see."""

    permission_classes = [RolePermissions]

    def get_queryset(self):
        return for_user(Campaign.objects.select_related("office"), self.request.user)

    def campaign(self) -> Campaign:
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"])


class CampaignListCreateView(CampaignScoped, generics.ListAPIView):
    serializer_class = s.CampaignSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("weeks").order_by("-first_day", "code")

    @extend_schema(
        request=s.CampaignCreateSerializer,
        responses={201: s.CampaignSerializer, 400: REFUSED},
        description=_(
            "Create a campaign and its weeks. Fields after `last_day` default to SPEC 3.1; "
            "`total_budget` is derived when left out and refused when it does not add up."
        ),
    )
    def post(self, request, *args, **kwargs):
        parsed = s.CampaignCreateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        office = office_resolve(request.user, data.pop("office"))
        overrides = [services.WeekOverride(**o) for o in data.pop("week_overrides", [])]
        campaign = services.campaign_create(
            office=office, user=request.user, week_overrides=overrides, **data
        )
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(s.CampaignSerializer(fresh).data, status=status.HTTP_201_CREATED)


class CampaignDetailView(CampaignScoped, generics.RetrieveAPIView):
    serializer_class = s.CampaignSerializer
    lookup_field = "code"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("weeks")

    @extend_schema(
        request=s.CampaignUpdateSerializer,
        responses={200: s.CampaignSerializer, 400: REFUSED},
        description=_(
            "Change the name at any time, and the terms until the first payment arrives; "
            "afterwards budgets can only be raised through `weeks/{week}/budget/`."
        ),
    )
    def patch(self, request, *args, **kwargs):
        campaign = self.get_object()
        parsed = s.CampaignUpdateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        if "week_overrides" in data:
            data["week_overrides"] = [services.WeekOverride(**o) for o in data["week_overrides"]]
        campaign = services.campaign_update(campaign=campaign, user=request.user, **data)
        return Response(s.CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)


class WeekBudgetView(CampaignScoped, APIView):
    permission_classes = [holds("cashback.change_campaign")]

    @extend_schema(
        request=s.BudgetRaiseSerializer,
        responses={200: s.WeekBudgetSerializer, 400: REFUSED, 409: CONFLICT},
        description=_("Raise one week's budget; budgets can only go up."),
    )
    def post(self, request, code: str, week: int):
        campaign = self.campaign()
        parsed = s.BudgetRaiseSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        if not campaign.weeks.filter(number=week).exists():
            raise Http404
        try:
            row = services.campaign_budget_raise(
                campaign=campaign, user=request.user, week=week, **parsed.validated_data
            )
        except services.WeekFrozen as exc:
            return conflict(exc)
        return Response(s.WeekBudgetSerializer(row).data)


class PaymentCreateView(CampaignScoped, APIView):
    """The operator posts payments one by one; each is decided as it is recorded."""

    permission_classes = [holds("cashback.add_payment")]

    @extend_schema(
        request=s.PaymentInputSerializer,
        responses={
            201: s.PaymentRecordedSerializer,
            200: OpenApiResponse(
                s.PaymentRecordedSerializer,
                description=_("The same reference with the same content: the recorded answer."),
            ),
            400: REFUSED,
            404: OpenApiResponse(description=_("No such campaign in your office.")),
            409: CONFLICT,
        },
        description=_(
            "Record one payment and decide its cashback (SPEC 3.2). Safe to retry: the same "
            "`ref` with the same content answers 200 with the same body."
        ),
    )
    def post(self, request, code: str):
        campaign = self.campaign()
        parsed = s.PaymentInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = services.PaymentInput.parse(**parsed.validated_data)
        try:
            payment, created = services.payment_record(campaign=campaign, data=data)
        except (services.PaymentConflict, services.WeekFrozen) as exc:
            return conflict(exc)
        body = s.PaymentRecordedSerializer(payment).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PaymentCancelView(CampaignScoped, APIView):
    permission_classes = [holds("cashback.change_payment")]

    @extend_schema(
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
    def post(self, request, code: str, ref: str):
        campaign = self.campaign()
        try:
            payment, _changed = services.payment_cancel(campaign=campaign, ref=ref)
        except Payment.DoesNotExist as exc:
            raise Http404 from exc
        except services.WeekFrozen as exc:
            return conflict(exc)
        return Response(s.PaymentCancelledSerializer(payment).data)


class WeekListView(CampaignScoped, APIView):
    permission_classes = [holds("cashback.view_campaign")]

    @extend_schema(responses={200: s.WeekFiguresSerializer(many=True)})
    def get(self, request, code: str):
        figures = selectors.campaign_week_figures(self.campaign())
        return Response(s.WeekFiguresSerializer(figures, many=True).data)
