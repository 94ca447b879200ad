"""The office a superuser's list shows: `?office=CODE` narrows any walled changelist.

Staff see their own office's rows only (the wall); a superuser sees every office's, and a link
that means one office's list (the dashboard's figures) names it by its code.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.walls import office_model


class OfficeCodeFilter(admin.SimpleListFilter):
    title = _("office")
    parameter_name = "office"

    def __init__(self, request, params, model, model_admin):
        self.office_field = model_admin.office_field
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        offices = office_model()._default_manager.order_by("code").values_list("code", "name")
        return [(code, f"{name} ({code})") for code, name in offices]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = f"{self.office_field}__code" if self.office_field else "code"
        return queryset.filter(**{path: self.value()})
