"""Stores: registration, corrections, closing, and joining or leaving a district."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from core.api.viewsets import FORBIDDEN, NOT_FOUND, REFUSED, OfficeScopedViewSet
from registry import selectors, services
from registry.api import serializers as s
from registry.filters import StoreFilterSet
from registry.models import AffiliateRegistration, Membership, Store


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
        store = self.write(services.store_register, **data)
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
        self.write(services.membership_join, store=store, **data)
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
        self.write(services.membership_leave, store=store, **data)
        return self.answer(store)
