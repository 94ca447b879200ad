"""Decisions on a merchant application: from the buttons of its change page, or in bulk.

Starting a review is one click. Every other decision parses one form and calls one service,
which sends the merchant the message and the status page's address; the change is written to
the access log with what was decided.
"""

import functools
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry import services
from registry.choices import ApplicationStatus
from registry.models import MerchantApplication, User
from registry.selectors import application_checks, designated_districts


def _status_url(request) -> str:
    return request.build_absolute_uri(reverse("register:status"))


class MessageForm(forms.Form):
    """A decision's message; the service says when it is required (rejections, requests)."""

    message = forms.CharField(
        label=_("message to the merchant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The merchant reads this on the status page."),
    )


class ApproveForm(MessageForm):
    """Approval: the clerk settles what the merchant left open, then one service does the rest."""

    dong = forms.ModelChoiceField(label=_("dong"), queryset=None, required=False)
    district = forms.ModelChoiceField(label=_("district"), queryset=None, required=False)
    ksic_code = forms.CharField(
        label=_("KSIC code"),
        max_length=5,
        required=False,
        help_text=_("Five digits, for example 56111."),
    )
    business_type = forms.CharField(label=_("business type"), max_length=100, required=False)

    field_order = ["dong", "district", "ksic_code", "business_type", "message"]

    def __init__(self, *args, application: MerchantApplication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = application.office.dongs.order_by("name")
        self.fields["district"].queryset = designated_districts(application.office)


def _approve_initial(application: MerchantApplication) -> dict:
    return {
        "dong": application.dong_id,
        "district": application.district_id,
        "ksic_code": application.ksic_code,
        "business_type": application.business_type,
    }


class ApplicationDecisionsMixin:
    """The decision views behind the change page's buttons, and the queue's bulk actions."""

    actions = ["approve_selected", "reject_selected"]
    object_views = (
        ("review", "review_view"),
        ("approve", "approve_view"),
        ("request-changes", "request_changes_view"),
        ("reject", "reject_view"),
    )

    decision_check_title = _("Checks")

    def decision_check_lines(self, application):
        return application_checks(application)

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        buttons = []
        if obj.status == ApplicationStatus.SUBMITTED:
            review = self.object_url(obj, "review")
            buttons.append({"url": review, "label": gettext("Start review"), "post": True})
        if obj.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            buttons += [
                {"url": self.object_url(obj, "approve"), "label": gettext("Approve")},
                {
                    "url": self.object_url(obj, "request-changes"),
                    "label": gettext("Ask for changes"),
                },
            ]
        if obj.is_open:
            buttons.append(
                {"url": self.object_url(obj, "reject"), "label": gettext("Reject"), "danger": True}
            )
        return buttons

    def decide(self, request, service: Callable, fields: tuple[str, ...] = ()) -> Callable:
        """`call` for decision_view and bulk_action: one service as the clerk.

        The service gets the form's message, the status page's address and the form's named
        `fields`; it writes the history and access-log rows itself.
        """
        user: User = request.user
        status_url = _status_url(request)

        def call(application: MerchantApplication, data: dict) -> None:
            service(
                application=application,
                user=user,
                message=data["message"],
                status_url=status_url,
                **{name: data[name] for name in fields},
            )

        return call

    def review_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, application)
        if request.method == "POST":
            try:
                services.application_review_start(application=application, user=request.user)
            except ValidationError as error:
                self.refusal_message(request, error)
            else:
                self.message_user(
                    request,
                    gettext("%(record)s is now in review.") % {"record": application},
                    messages.SUCCESS,
                )
        return redirect(self.change_url(application))

    def approve_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        return self.decision_view(
            request,
            object_id,
            form_class=functools.partial(ApproveForm, application=application),
            title=gettext("Approve the application"),
            submit=gettext("Approve"),
            lines=True,
            initial=_approve_initial,
            done=lambda a: (
                gettext(
                    "%(record)s was approved: the store, its membership and its Onnuri "
                    "applications are registered."
                )
                % {"record": a}
            ),
            call=self.decide(
                request,
                services.application_approve,
                fields=("dong", "district", "ksic_code", "business_type"),
            ),
        )

    def request_changes_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=MessageForm,
            title=gettext("Ask the merchant for changes"),
            submit=gettext("Ask for changes"),
            lines=True,
            done=lambda a: (
                gettext("The merchant of %(record)s was asked for changes.") % {"record": a}
            ),
            call=self.decide(request, services.application_request_changes),
        )

    def reject_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=MessageForm,
            title=gettext("Reject the application"),
            submit=gettext("Reject"),
            lines=True,
            done=lambda a: gettext("%(record)s was rejected.") % {"record": a},
            call=self.decide(request, services.application_reject),
        )

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self.bulk_action(
            request,
            queryset.select_related("office", "dong", "district"),
            title=gettext("Approve selected applications"),
            form_class=MessageForm,
            done_message=gettext("%(count)s applications were approved."),
            call=self.decide(request, services.application_approve),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self.bulk_action(
            request,
            queryset,
            title=gettext("Reject selected applications"),
            form_class=MessageForm,
            done_message=gettext("%(count)s applications were rejected."),
            call=self.decide(request, services.application_reject),
        )
