"""`GET /api/v1/dashboard/` (SPEC 6): the office's figures for the signed-in staff member."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard.api.serializers import DashboardSerializer
from dashboard.selectors import DashboardNotFound, dashboard_build, office_shown


class DashboardView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        summary=_("The office's dashboard"),
        description=_(
            "The figures of the office, each with the staff list and the API list behind it "
            "(the API list's `count` equals the figure), the viewer's pending work, stores by "
            "dong and business type, the chosen campaign's weeks and the hotline's last 90 "
            "days. Parts the viewer's role may not see are empty or null."
        ),
        parameters=[
            OpenApiParameter(
                "office", OpenApiTypes.STR, description=_("Superusers: the office's code.")
            ),
            OpenApiParameter(
                "campaign",
                OpenApiTypes.STR,
                description=_("A campaign's code; else the running one, else the latest."),
            ),
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request):
        try:
            office = office_shown(request.user, request.query_params.get("office", ""))
            dashboard = dashboard_build(
                viewer=request.user,
                office=office,
                campaign_code=request.query_params.get("campaign", ""),
            )
        except DashboardNotFound as missing:
            raise NotFound(str(missing)) from missing
        return Response(DashboardSerializer(dashboard, context={"request": request}).data)
