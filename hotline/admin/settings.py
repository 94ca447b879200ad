"""The office's hotline settings and its own closed days."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin.mixins import (
    OfficeRelatedFilter,
    OfficeWallMixin,
    ServiceRefused,
)
from hotline import rules, services
from hotline.models import ClosedDay, HotlineSettings


@admin.register(HotlineSettings)
class HotlineSettingsAdmin(OfficeWallMixin, admin.ModelAdmin):
    list_display = ("office", "hours_summary", "clock_hours")
    fieldsets = [
        (None, {"fields": ["office", "clock_hours"]}),
        (
            _("Deadlines (hours): first response / result"),
            {
                "fields": [
                    ("urgent_response_hours", "urgent_resolution_hours"),
                    ("high_response_hours", "high_resolution_hours"),
                    ("normal_response_hours", "normal_resolution_hours"),
                    ("low_response_hours", "low_resolution_hours"),
                ]
            },
        ),
    ]

    @admin.display(description=_("first response / result (hours)"))
    def hours_summary(self, settings):
        return " · ".join(
            "{}/{}".format(*settings.hours(priority)) for priority in rules.PRIORITIES
        )

    def has_add_permission(self, request):
        office_id = getattr(request.user, "office_id", None)
        if office_id and HotlineSettings.objects.filter(office_id=office_id).exists():
            return False  # one row per office: change it instead
        return super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in services.SETTINGS_FIELDS}
        office = obj.office if change else self.office_for(request, form)
        try:
            saved = services.hotline_settings_save(office=office, user=request.user, **values)
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)


@admin.register(ClosedDay)
class ClosedDayAdmin(OfficeWallMixin, admin.ModelAdmin):
    list_display = ("day", "name", "office")
    list_filter = (("office", OfficeRelatedFilter),)
    date_hierarchy = "day"
    fields = ("office", "day", "name")

    def save_model(self, request, obj, form, change):
        office = obj.office if change else self.office_for(request, form)
        try:
            saved = services.closed_day_save(
                office=office,
                user=request.user,
                day=form.cleaned_data["day"],
                name=form.cleaned_data.get("name", ""),
                closed_day=obj if change else None,
            )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)
