"""The offices a user works for, with their dongs, criteria and limits (read only)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.viewsets import NOT_FOUND, OfficeScopedViewSet
from registry.api import serializers as s
from registry.filters import OfficeFilterSet
from registry.models import Office


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
