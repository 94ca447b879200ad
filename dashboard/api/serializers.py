"""The dashboard's answer (SPEC 6), serialised from the same `Dashboard` the page renders."""

from rest_framework import serializers

from cashback.api.serializers import WeekFiguresSerializer


class OfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    definition = serializers.CharField()
    value = serializers.IntegerField()
    list = serializers.SerializerMethodField()
    api = serializers.SerializerMethodField()

    def get_list(self, figure) -> str:
        return self.context["request"].build_absolute_uri(figure.list)

    def get_api(self, figure) -> str | None:
        return self.context["request"].build_absolute_uri(figure.api) if figure.api else None


class DongSerializer(serializers.Serializer):
    dong = serializers.CharField()
    districts = serializers.IntegerField()
    stores = serializers.IntegerField()
    affiliates = serializers.IntegerField()
    affiliate_rate_bp = serializers.IntegerField()


class DistrictSerializer(serializers.Serializer):
    district = serializers.CharField()
    stores = serializers.IntegerField()
    affiliates = serializers.IntegerField()
    affiliate_rate_bp = serializers.IntegerField()


class BusinessTypeSerializer(serializers.Serializer):
    ksic_code = serializers.CharField()
    name = serializers.CharField()
    stores = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    open = serializers.IntegerField()
    received = serializers.IntegerField()


class HotlineSerializer(serializers.Serializer):
    by_category = CategorySerializer(many=True)
    resolution_hours_median = serializers.FloatField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    office = OfficeSerializer()
    as_of = serializers.DateTimeField()
    figures = FigureSerializer(many=True)
    pending = FigureSerializer(many=True)
    dongs = DongSerializer(many=True, allow_null=True)
    districts = DistrictSerializer(many=True, allow_null=True)
    business_types = BusinessTypeSerializer(many=True, allow_null=True)
    campaign = serializers.SerializerMethodField()
    hotline = HotlineSerializer(allow_null=True)

    def get_campaign(self, dashboard) -> dict | None:
        if dashboard.campaign is None:
            return None
        return {
            "code": dashboard.campaign.code,
            "name": dashboard.campaign.name,
            "weeks": WeekFiguresSerializer(dashboard.weeks, many=True).data,
        }
