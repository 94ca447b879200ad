"""The hotline's case list as people take it away (core.exports).

The caller's name and phone are masked as the list masks them unless the role may see them, and
every exported case that holds them is written to the access log (SPEC 5).
"""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, ExportSpec, field_column
from core.numbers import brn_format, phone_format
from hotline.models import Case
from hotline.selectors import case_overdue, user_label

CASE_EXPORT = ExportSpec(
    columns=(
        field_column(Case, "number"),
        field_column(Case, "received_at"),
        field_column(Case, "channel"),
        field_column(Case, "caller_type"),
        field_column(Case, "caller_name"),
        field_column(Case, "caller_phone", show=phone_format),
        field_column(Case, "business_number", show=brn_format),
        field_column(Case, "store__trade_name", header=_("store")),
        field_column(Case, "district"),
        field_column(Case, "category"),
        field_column(Case, "priority"),
        field_column(Case, "status"),
        Column(_("assignee"), lambda case: user_label(case.assignee) or None),
        field_column(Case, "referred_department"),
        field_column(Case, "response_due"),
        field_column(Case, "resolution_due"),
        Column(_("overdue"), case_overdue),
        field_column(Case, "responded_at"),
        field_column(Case, "resolved_at"),
        field_column(Case, "closed_at"),
        field_column(Case, "close_reason"),
        field_column(Case, "description"),
    ),
    prepare=lambda queryset: queryset.select_related("store", "district", "assignee"),
    personal=lambda case: case.has_contact,
)
