"""The personal-data access log (SPEC 5): read-only, and only for auditors."""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin.mixins import OfficeRelatedFilter, OfficeWallMixin, ReadOnlyMixin
from registry.models import AccessLog


def record_type_name(label: str) -> str:
    """A model's label ("hotline.Case") as auditors read it: its Korean name ("민원")."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class RecordTypeFilter(admin.SimpleListFilter):
    title = _("record type")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).order_by().values_list("model", flat=True)
        return sorted(
            ((label, record_type_name(label)) for label in labels.distinct()),
            key=lambda pair: pair[1],
        )

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


@admin.register(AccessLog)
class AccessLogAdmin(OfficeWallMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Visible with `registry.view_accesslog` (auditors, superusers); nobody edits it."""

    list_display = ("at", "username", "action", "record_type", "object_repr", "detail")
    list_filter = ("action", RecordTypeFilter, ("user", OfficeRelatedFilter))
    search_fields = ("username", "object_repr", "object_pk")
    search_help_text = _("User name, record or record id.")
    date_hierarchy = "at"
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("record type"), ordering="model")
    def record_type(self, entry: AccessLog) -> str:
        return record_type_name(entry.model)
