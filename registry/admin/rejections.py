"""Rejecting open applications, from the change page's button or in bulk from the list.

District applications and Onnuri registrations are rejected alike: the clerk writes the reason
the applicant is told (RejectForm), and the app's reject service runs as the clerk, once per
record. Each admin says only how one record is rejected and what the clerk reads afterwards.
"""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.models import User

from .forms import RejectForm


class RejectionMixin:
    """`reject_view` behind the change page's Reject button, and the `reject_selected` action.

    Stands on the admin kit's `decision_view` (OfficeWallMixin) and `bulk_action`
    (BulkActionMixin); a record the service refuses is named and left as it was.
    """

    rejection_title = _("Reject the application")

    def reject_record(self, obj: Model, *, user: User, reason: str) -> None:
        """Reject one record through the app's service."""
        raise NotImplementedError

    def rejected_message(self, obj: Model) -> str:
        """What the clerk reads after rejecting `obj` from its change page."""
        raise NotImplementedError

    def rejection(self, request) -> Callable:
        user: User = request.user
        return lambda obj, data: self.reject_record(obj, user=user, reason=data["rejection_reason"])

    def reject_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=RejectForm,
            title=self.rejection_title,
            submit=gettext("Reject"),
            lines=True,
            done=self.rejected_message,
            call=self.rejection(request),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self.bulk_action(
            request,
            queryset,
            title=gettext("Reject selected applications"),
            form_class=RejectForm,
            done_message=gettext("%(count)s applications were rejected."),
            call=self.rejection(request),
        )
