"""The personal-data access log (SPEC 5): read-only, and only for auditors."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin.mixins import OfficeRelatedFilter, OfficeWallMixin
from registry.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(OfficeWallMixin, admin.ModelAdmin):
    """Visible with `registry.view_accesslog` (auditors, superusers); nobody edits it."""

    list_display = ("at", "username", "action", "model", "object_repr", "detail")
    list_filter = ("action", "model", ("user", OfficeRelatedFilter))
    search_fields = ("username", "object_repr", "object_pk")
    search_help_text = _("User name, record or record id.")
    date_hierarchy = "at"
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
