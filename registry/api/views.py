"""The registry API (/api/v1/): offices, districts, stores and Onnuri affiliate registrations.

Every viewset stands behind the office wall (`core.walls.for_user` on its queryset: another
office's record is a 404) and the role permissions (`RolePermissions`). Every write parses its
input with one serializer, calls one service inside a transaction together with its access-log
row, and answers with the record as it now stands. Services refuse with Django's
`ValidationError`; `core.api.exceptions` turns that into a 400 keyed by the request's fields.
"""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import (
    FORBIDDEN,
    NOT_FOUND,
    REFUSED,
    OfficeScopedViewSet,
)
from core.choices import AccessAction
from registry import selectors, services
from registry.api import serializers as s
from registry.filters import (
    AffiliateRegistrationFilterSet,
    DistrictFilterSet,
    OfficeFilterSet,
    StoreFilterSet,
)
from registry.models import AffiliateRegistration, District, Membership, Office, Store

# --- Offices ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List offices"),
        description=_(
            "The offices you work for: staff see their own office, superusers every office. "
            "Each carries its dongs, its designation criteria (its ordinance), the affiliate "
            "sales cap, the re-registration ban and the restricted business types."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show an office"),
        description=_("One office by its five-digit administrative code, e.g. 29140."),
        responses={200: s.OfficeSerializer, 404: NOT_FOUND},
    ),
)
class OfficeViewSet(OfficeScopedViewSet):
    serializer_class = s.OfficeSerializer
    filterset_class = OfficeFilterSet
    lookup_field = "code"
    lookup_value_regex = r"\d{5}"
    queryset = Office.objects.none()

    def get_queryset(self):
        queryset = Office.objects.prefetch_related("dongs", "restricted_business_types")
        user = self.request.user
        if user.is_superuser:
            return queryset
        return queryset.filter(pk=user.office_id) if user.office_id else queryset.none()


# --- Districts -------------------------------------------------------------------------------


def _member_count() -> Coalesce:
    current = (
        Membership.objects.filter(district=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("district")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(current), 0)


@extend_schema_view(
    list=extend_schema(
        summary=_("List districts"),
        description=_(
            "Alley-type shopping districts and applications of your office, by name. Filter by "
            "status, dong, a piece of the name or designation number (`q`), and `overdue` for "
            "open applications past their 14-day due date. The representative and contact "
            "are masked unless your role may see contacts (then the listing is access-logged)."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a district"),
        description=_(
            "One district with its counted area, current member count and due date. Showing "
            "the unmasked representative and contact is written to the access log."
        ),
        responses={200: s.DistrictSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("File a designation application"),
        description=_(
            "Creates a district in status `applied`, due 14 days after `applied_on` (today by "
            "default). Staff file into their own office; superusers name the office by code. "
            "Dongs are given by id or exact name."
        ),
        request=s.DistrictWriteSerializer,
        responses={201: s.DistrictSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary=_("Correct a district"),
        description=_(
            "An application may change any of its facts; a designated district only its "
            "descriptive details (location, counts, organisation). Rejected and revoked "
            "districts cannot be edited."
        ),
        request=s.DistrictUpdateSerializer,
        responses={200: s.DistrictSerializer, 400: REFUSED, 404: NOT_FOUND},
    ),
)
class DistrictViewSet(OfficeScopedViewSet):
    serializer_class = s.DistrictSerializer
    filterset_class = DistrictFilterSet
    holds_contacts = True
    queryset = District.objects.none()

    def base_queryset(self):
        return (
            District.objects.select_related("office", "decided_by")
            .prefetch_related("dongs")
            .annotate(member_count=_member_count())
        )

    def create(self, request, *args, **kwargs):
        data = self.parse(s.DistrictWriteSerializer)
        district = self.write(services.district_apply, log=AccessAction.ADD, **data)
        return self.answer(district, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        district = self.get_object()
        data = self.parse(s.DistrictUpdateSerializer, office=district.office)
        district = self.write(services.district_update, district=district, **data)
        return self.answer(district)

    @extend_schema(
        summary=_("Designate a district"),
        description=_(
            "The clerk's decision on an application, recorded with who and when. The office's "
            "criteria are checked first; if any fails, `override_reason` must say why the "
            "district is designated anyway. The designation number is unique in the office."
        ),
        request=s.DistrictDesignateSerializer,
        responses={200: s.DistrictSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def designate(self, request, pk=None):
        district = self.get_object()
        data = self.parse(s.DistrictDesignateSerializer)
        district = self.write(services.district_designate, district=district, **data)
        return self.answer(district)

    @extend_schema(
        summary=_("Reject an application"),
        description=_("Refuses an open application with the reason the applicant is told."),
        request=s.RejectSerializer,
        responses={200: s.DistrictSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        district = self.get_object()
        data = self.parse(s.RejectSerializer)
        district = self.write(
            services.district_reject,
            district=district,
            reason=data["reason"],
            rename={"rejection_reason": "reason"},
        )
        return self.answer(district)

    @extend_schema(
        summary=_("Revoke a designation"),
        description=_(
            "Revokes a designated district on a ground of the law (falsehood, criteria no longer "
            "met, trading stopped for a year or more); its current memberships end that day."
        ),
        request=s.DistrictRevokeSerializer,
        responses={200: s.DistrictSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        district = self.get_object()
        data = self.parse(s.DistrictRevokeSerializer)
        district = self.write(
            services.district_revoke,
            district=district,
            rename={"revocation_ground": "ground", "revocation_reason": "reason"},
            **data,
        )
        return self.answer(district)

    @extend_schema(
        summary=_("Check the designation criteria"),
        description=_(
            "The office's criteria as pass/fail lines for this district, as shown to the clerk "
            "before a decision: counted area, small-business stores, the merchants' "
            "organisation, merchants' consent (and owners' consent where the ordinance asks)."
        ),
        responses={200: s.DistrictChecksSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def checks(self, request, pk=None):
        lines = selectors.district_checks(self.get_object())
        body = {"passed": all(line.passed for line in lines), "checks": lines}
        return Response(s.DistrictChecksSerializer(body).data)


# --- Stores ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List stores"),
        description=_(
            "Stores of your office, by trade name. Filter by business number (with or without "
            "hyphens), dong, current district, status, approved Onnuri type, KSIC code, "
            "small-business flag, or `q` (a piece of the name, number or phone). "
            "Representatives and phones are masked unless your role may see contacts; an "
            "unmasked listing is written to the access log."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a store"),
        description=_(
            "One store with its current district and live Onnuri registrations. Contacts are "
            "unmasked only for roles that may see them, and that view is access-logged."
        ),
        responses={200: s.StoreSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Register a store"),
        description=_(
            "Registers a store under its business registration number, which must pass the "
            "checksum and be new in the office. The phone may be in any Korean format and is "
            "kept as digits. Staff register into their own office; superusers name it by code."
        ),
        request=s.StoreWriteSerializer,
        responses={201: s.StoreSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary=_("Correct a store"),
        description=_("Changes the given details; the business number and office never change."),
        request=s.StoreUpdateSerializer,
        responses={200: s.StoreSerializer, 400: REFUSED, 404: NOT_FOUND},
    ),
)
class StoreViewSet(OfficeScopedViewSet):
    serializer_class = s.StoreSerializer
    filterset_class = StoreFilterSet
    holds_contacts = True
    queryset = Store.objects.none()
    action_permissions = {
        "join": ["registry.change_store", "registry.add_membership"],
        "leave": ["registry.change_store", "registry.change_membership"],
    }

    def base_queryset(self):
        current = Membership.objects.filter(left_on__isnull=True).select_related("district")
        live = selectors.affiliations_live(AffiliateRegistration.objects.all())
        return (
            Store.objects.select_related("office", "dong")
            .prefetch_related(
                Prefetch("memberships", queryset=current, to_attr="current_memberships"),
                Prefetch("affiliations", queryset=live, to_attr="live_affiliations"),
            )
            .order_by("office_id", "trade_name", "id")
        )

    def create(self, request, *args, **kwargs):
        data = self.parse(s.StoreWriteSerializer)
        store = self.write(services.store_register, log=AccessAction.ADD, **data)
        return self.answer(store, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        store = self.get_object()
        data = self.parse(s.StoreUpdateSerializer, office=store.office)
        store = self.write(services.store_update, store=store, **data)
        return self.answer(store)

    @extend_schema(
        summary=_("Close a store"),
        description=_(
            "Marks the store closed (today by default): its membership ends, its approved "
            "Onnuri registrations are struck off and its open applications rejected."
        ),
        request=s.StoreCloseSerializer,
        responses={200: s.StoreSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        store = self.get_object()
        data = self.parse(s.StoreCloseSerializer)
        store = self.write(services.store_close, store=store, **data)
        return self.answer(store)

    @extend_schema(
        summary=_("Join a district"),
        description=_(
            "Makes the store a member of a designated district of its office from `joined_on` "
            "(today by default), ending its current membership that day."
        ),
        request=s.StoreJoinSerializer,
        responses={200: s.StoreSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        store = self.get_object()
        data = self.parse(s.StoreJoinSerializer)
        self.write(services.membership_join, store=store, target=store, **data)
        return self.answer(store)

    @extend_schema(
        summary=_("Leave the district"),
        description=_("Ends the store's current membership on `left_on` (today by default)."),
        request=s.StoreLeaveSerializer,
        responses={200: s.StoreSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        store = self.get_object()
        data = self.parse(s.StoreLeaveSerializer)
        self.write(services.membership_leave, store=store, target=store, **data)
        return self.answer(store)


# --- Onnuri affiliate registrations ----------------------------------------------------------


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
    holds_contacts = True
    queryset = AffiliateRegistration.objects.none()

    def base_queryset(self):
        return AffiliateRegistration.objects.select_related(
            "store", "store__office", "decided_by"
        ).order_by("store__trade_name", "store_id", "certificate_type", "id")

    def create(self, request, *args, **kwargs):
        data = self.parse(s.AffiliationApplySerializer)
        registration = self.write(services.affiliate_apply, log=AccessAction.ADD, **data)
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
