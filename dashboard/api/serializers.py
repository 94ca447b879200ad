"""The dashboard's answer (SPEC 6), serialised from the same `Dashboard` the page renders."""

from rest_framework import serializers

from cashback.api.serializers import WeekFiguresSerializer


class DashboardOfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DashboardFigureSerializer(serializers.Serializer):
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


class DashboardDongSerializer(serializers.Serializer):
    dong = serializers.CharField()
    districts = serializers.IntegerField()
    stores = serializers.IntegerField()
    affiliates = serializers.IntegerField()
    affiliate_rate_bp = serializers.IntegerField()


class DashboardDistrictSerializer(serializers.Serializer):
    district = serializers.CharField()
    stores = serializers.IntegerField()
    affiliates = serializers.IntegerField()
    affiliate_rate_bp = serializers.IntegerField()


class DashboardBusinessTypeSerializer(serializers.Serializer):
    ksic_code = serializers.CharField()
    name = serializers.CharField()
    stores = serializers.IntegerField()


class DashboardCategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    open = serializers.IntegerField()
    received = serializers.IntegerField()


class DashboardWeekReceivedSerializer(serializers.Serializer):
    week_starts_on = serializers.DateField()
    received = serializers.IntegerField()


class DashboardHotlineSerializer(serializers.Serializer):
    by_category = DashboardCategorySerializer(many=True)
    resolution_hours_median = serializers.FloatField(allow_null=True)
    received_by_week = DashboardWeekReceivedSerializer(many=True)


class DashboardStatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    list = serializers.SerializerMethodField()

    def get_list(self, row) -> str | None:
        return self.context["request"].build_absolute_uri(row.list) if row.list else None


class DashboardProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    budget = serializers.IntegerField()
    awarded = serializers.IntegerField()
    paid = serializers.IntegerField()
    remaining = serializers.IntegerField()
    applications = DashboardStatusCountSerializer(many=True)
    list = serializers.SerializerMethodField()

    def get_list(self, row) -> str | None:
        return self.context["request"].build_absolute_uri(row.list) if row.list else None


class DashboardSerializer(serializers.Serializer):
    office = DashboardOfficeSerializer()
    as_of = serializers.DateTimeField()
    figures = DashboardFigureSerializer(many=True)
    pending = DashboardFigureSerializer(many=True)
    dongs = DashboardDongSerializer(many=True, allow_null=True)
    districts = DashboardDistrictSerializer(many=True, allow_null=True)
    business_types = DashboardBusinessTypeSerializer(many=True, allow_null=True)
    campaign = serializers.SerializerMethodField()
    hotline = DashboardHotlineSerializer(allow_null=True)
    programmes = DashboardProgrammeSerializer(many=True, allow_null=True)

    def get_campaign(self, dashboard) -> dict | None:
        if dashboard.campaign is None:
            return None
        return {
            "code": dashboard.campaign.code,
            "name": dashboard.campaign.name,
            "weeks": WeekFiguresSerializer(dashboard.weeks, many=True).data,
        }
