"""Districts: designation applications, the clerk's decisions and the criteria check."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import FORBIDDEN, NOT_FOUND, REFUSED, OfficeScopedViewSet
from registry import selectors, services
from registry.api import serializers as s
from registry.filters import DistrictFilterSet
from registry.models import District, Membership


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
    queryset = District.objects.none()

    def base_queryset(self):
        return (
            District.objects.select_related("office", "decided_by")
            .prefetch_related("dongs")
            .annotate(member_count=_member_count())
        )

    def create(self, request, *args, **kwargs):
        data = self.parse(s.DistrictWriteSerializer)
        district = self.write(services.district_apply, **data)
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
