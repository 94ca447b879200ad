"""Onnuri affiliate registrations: applications, decisions, renewals and the eligibility check."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import FORBIDDEN, NOT_FOUND, REFUSED, OfficeScopedViewSet
from registry import selectors, services
from registry.api import serializers as s
from registry.filters import AffiliateRegistrationFilterSet
from registry.models import AffiliateRegistration


@extend_schema_view(
    list=extend_schema(
        summary=_("List Onnuri affiliate registrations"),
        description=_(
            "Registrations of your office's stores. Filter by status, certificate type, store, "
            "the store's current district or its dong. Account holders and numbers are masked "
            "unless your role may see contacts (then the listing is access-logged)."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show an Onnuri affiliate registration"),
        responses={200: s.AffiliationSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Apply for Onnuri affiliation"),
        description=_(
            "Files an application for one certificate type (`paper`, `card` or `mobile`); a "
            "store holds at most one live registration per type."
        ),
        request=s.AffiliationApplySerializer,
        responses={201: s.AffiliationSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
)
class AffiliationViewSet(OfficeScopedViewSet):
    serializer_class = s.AffiliationSerializer
    filterset_class = AffiliateRegistrationFilterSet
    office_field = "store__office"
    queryset = AffiliateRegistration.objects.none()

    def base_queryset(self):
        return AffiliateRegistration.objects.select_related(
            "store", "store__office", "decided_by"
        ).order_by("store__trade_name", "store_id", "certificate_type", "id")

    def create(self, request, *args, **kwargs):
        data = self.parse(s.AffiliationApplySerializer)
        registration = self.write(services.affiliate_apply, **data)
        return self.answer(registration, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Approve an application"),
        description=_(
            "Checks every eligibility rule first and names the failing ones; records the "
            "affiliate number, the approval date and the settlement account."
        ),
        request=s.AffiliationApproveSerializer,
        responses={200: s.AffiliationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        registration = self.get_object()
        data = self.parse(s.AffiliationApproveSerializer)
        registration = self.write(services.affiliate_approve, registration=registration, **data)
        return self.answer(registration)

    @extend_schema(
        summary=_("Reject an application"),
        description=_("Refuses an open application with the reason the merchant is told."),
        request=s.RejectSerializer,
        responses={200: s.AffiliationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        registration = self.get_object()
        data = self.parse(s.RejectSerializer)
        registration = self.write(
            services.affiliate_reject,
            registration=registration,
            reason=data["reason"],
            rename={"rejection_reason": "reason"},
        )
        return self.answer(registration)

    @extend_schema(
        summary=_("Strike an affiliate off"),
        description=_(
            "Ends an approved registration (store closed, moved out of an eligible zone, misuse "
            "or other, which needs a note); the date starts the re-registration ban."
        ),
        request=s.AffiliationStrikeOffSerializer,
        responses={200: s.AffiliationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="strike-off")
    def strike_off(self, request, pk=None):
        registration = self.get_object()
        data = self.parse(s.AffiliationStrikeOffSerializer)
        registration = self.write(
            services.affiliate_strike_off,
            registration=registration,
            rename={"strike_off_reason": "reason", "strike_off_note": "note"},
            **data,
        )
        return self.answer(registration)

    @extend_schema(
        summary=_("Renew an affiliation"),
        description=_(
            "Extends an approved registration to a later `valid_until`, checking eligibility "
            "again as of today."
        ),
        request=s.AffiliationRenewSerializer,
        responses={200: s.AffiliationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        registration = self.get_object()
        data = self.parse(s.AffiliationRenewSerializer)
        registration = self.write(services.affiliate_renew, registration=registration, **data)
        return self.answer(registration)

    @extend_schema(
        summary=_("Change the settlement account"),
        description=_("Replaces the settlement bank, account and holder of an approved affiliate."),
        request=s.SettlementAccountSerializer,
        responses={200: s.AffiliationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="change-account")
    def change_account(self, request, pk=None):
        registration = self.get_object()
        data = self.parse(s.SettlementAccountSerializer)
        registration = self.write(services.affiliate_change, registration=registration, **data)
        return self.answer(registration)

    @extend_schema(
        summary=_("Check eligibility"),
        description=_(
            "SPEC 2.4's eligibility rules for the store as of today, each line naming its rule: "
            "`store_active`, `zone`, `business_type`, `annual_sales`, `reregistration_ban`."
        ),
        responses={200: s.EligibilitySerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        lines = selectors.affiliate_eligibility(self.get_object().store)
        body = {"eligible": all(line.passed for line in lines), "checks": lines}
        return Response(s.EligibilitySerializer(body).data)
