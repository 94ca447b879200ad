"""The steps after an application's submission, each a button on its page that opens a small
form and calls one service (SPEC 7), and the paper application entered by a clerk."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from core.forms import service_errors_to_form
from programmes import rules, services
from programmes.admin.applications.forms import (
    AmountForm,
    AwardLowerForm,
    ConfirmForm,
    ExpenseAddForm,
    ExpenseDecideForm,
    GrantForm,
    MarkPaidForm,
    NoteForm,
    PaperApplicationForm,
    TransitionForm,
)
from programmes.choices import (
    DisbursementStatus,
    ExpenseStatus,
)


class ApplicationStepsMixin:
    """The object views of `ApplicationAdmin` behind its buttons."""

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        url = partial(self.object_url, obj)
        buttons = []
        if obj.programme.is_competitive and rules.moves_from(obj.status):
            buttons.append({"url": url("move"), "label": gettext("Change status")})
        buttons.append({"url": url("note"), "label": gettext("Add note")})
        grant = self._grant(obj)
        if obj.status == rules.SELECTED and grant is None:
            buttons.append({"url": url("lower"), "label": gettext("Lower the award")})
        if obj.status in rules.AWARD_STATUSES and grant is None:
            buttons.append({"url": url("grant"), "label": gettext("Grant decision")})
        if grant is not None:
            if grant.scheduled < grant.amount:
                buttons.append({"url": url("instalment"), "label": gettext("Add instalment")})
            if grant.disbursements.filter(status=DisbursementStatus.EXPORTED).exists():
                buttons.append({"url": url("paid"), "label": gettext("Mark instalment paid")})
            if not grant.settled_at and obj.programme.is_competitive:
                buttons.append({"url": url("expense_add"), "label": gettext("Add expense line")})
                if grant.expenses.filter(status=ExpenseStatus.PENDING).exists():
                    buttons.append({"url": url("expense"), "label": gettext("Decide expenses")})
                buttons.append({"url": url("settle"), "label": gettext("Close settlement")})
            if grant.refund_outstanding > 0:
                buttons.append({"url": url("refund"), "label": gettext("Record refund")})
        return buttons

    def _decide(self, request, object_id, **kwargs):
        return self.decision_view(request, object_id, lines=False, **kwargs)

    def move_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        return self._decide(
            request,
            object_id,
            form_class=partial(TransitionForm, application=application),
            title=gettext("Change status: %(number)s") % {"number": application.number_display},
            submit=gettext("Change status"),
            done=lambda a: (
                gettext("%(number)s: the status was changed.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.application_transition(
                application=a, to=data["to"], note=data["note"], actor=request.user
            ),
        )

    def note_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=NoteForm,
            title=gettext("Add note"),
            submit=gettext("Add note"),
            done=lambda a: (
                gettext("The note was added to %(number)s.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.application_note(
                application=a, note=data["note"], actor=request.user
            ),
        )

    def lower_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=AwardLowerForm,
            title=gettext("Lower the award"),
            submit=gettext("Lower the award"),
            done=lambda a: (
                gettext("The award of %(number)s was lowered.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.award_lower(
                application=a, amount=data["amount"], reason=data["reason"], actor=request.user
            ),
        )

    def grant_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=GrantForm,
            title=gettext("Grant decision"),
            submit=gettext("Decide the grant"),
            done=lambda a: (
                gettext("The grant of %(number)s was decided.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.grant_decide(
                application=a,
                bank=data["bank"],
                account_number=data["account_number"],
                account_holder=data["account_holder"],
                actor=request.user,
            ),
        )

    def _grant_step(self, request, object_id, *, form_class, call, with_grant=False, **kwargs):
        """A step on the application's grant decision: `call(grant, data)` runs its service,
        and `with_grant` hands the grant to the form (to choose among its rows). Without a
        grant decision the clerk is sent back to the page, told why."""
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=partial(form_class, grant=grant) if with_grant else form_class,
            call=lambda a, data: call(grant, data),
            **kwargs,
        )

    def _granted(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        grant = self._grant(application)
        if grant is None:
            self.message_user(request, gettext("No grant decision yet."), messages.ERROR)
        return application, grant

    def instalment_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=AmountForm,
            title=gettext("Add instalment"),
            submit=gettext("Add instalment"),
            done=lambda a: (
                gettext("The instalment was added to %(number)s.") % {"number": a.number_display}
            ),
            call=lambda grant, data: services.disbursement_add(
                grant=grant, amount=data["amount"], actor=request.user
            ),
        )

    def paid_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=MarkPaidForm,
            with_grant=True,
            title=gettext("Mark instalment paid"),
            submit=gettext("Mark paid"),
            done=lambda a: (
                gettext("The instalment of %(number)s was marked paid.")
                % {"number": a.number_display}
            ),
            call=lambda grant, data: services.disbursement_mark_paid(
                disbursement=data["disbursement"], actor=request.user
            ),
        )

    def expense_add_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=ExpenseAddForm,
            title=gettext("Add expense line"),
            submit=gettext("Add expense line"),
            done=lambda a: (
                gettext("The expense line was added to %(number)s.") % {"number": a.number_display}
            ),
            call=lambda grant, data: services.expense_add(
                grant=grant,
                item=data["item"],
                amount=data["amount"],
                spent_on=data["spent_on"],
                evidence=data["evidence"],
                evidence_note=data["evidence_note"],
                actor=request.user,
            ),
        )

    def expense_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=ExpenseDecideForm,
            with_grant=True,
            title=gettext("Decide expenses"),
            submit=gettext("Decide"),
            done=lambda a: (
                gettext("The expense line of %(number)s was decided.")
                % {"number": a.number_display}
            ),
            call=lambda grant, data: services.expense_decide(
                line=data["line"],
                accept=data["decision"] == "accept",
                note=data["note"],
                actor=request.user,
            ),
        )

    def settle_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=ConfirmForm,
            title=gettext("Close settlement"),
            submit=gettext("Close settlement"),
            done=lambda a: (
                gettext("The settlement of %(number)s was closed.") % {"number": a.number_display}
            ),
            call=lambda grant, data: services.settlement_close(grant=grant, actor=request.user),
        )

    def refund_view(self, request, object_id):
        return self._grant_step(
            request,
            object_id,
            form_class=AmountForm,
            title=gettext("Record refund"),
            submit=gettext("Record refund"),
            done=lambda a: (
                gettext("The refund of %(number)s was recorded.") % {"number": a.number_display}
            ),
            call=lambda grant, data: services.refund_record(
                grant=grant, amount=data["amount"], actor=request.user
            ),
        )

    # --- applications entered from paper ------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        """A clerk enters a paper application: the same parsing and rules as the public page,
        with the clerk as the one who entered it; a refusal names its rule on the form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PaperApplicationForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            application = self._paper_submit(request, form)
            if application is not None:
                self.message_user(
                    request,
                    gettext("Application %(number)s was recorded: %(status)s.")
                    % {
                        "number": application.number_display,
                        "status": application.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return redirect(self.change_url(application))
        return TemplateResponse(
            request,
            "admin/programmes/application/paper_add.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Enter a paper application"),
                "form": form,
                "media": self.media + form.media,
                "submit_label": gettext("Record the application"),
                "change_url": reverse(f"{self.admin_site.name}:programmes_application_changelist"),
            },
        )

    def _paper_submit(self, request, form):
        data = form.cleaned_data
        programme = data["programme"]
        try:
            parsed = services.application_input_parse(
                programme=programme,
                business_number=data["business_number"],
                annual_sales=data["annual_sales"],
                requested=data["requested"] or None,
                plan=data["plan"],
                budget_lines=data["budget_lines"],
                applicant=data["applicant"],
                phone=data["phone"],
                submitted_at=data["submitted_at"],
            )
            return services.application_submit(programme=programme, data=parsed, actor=request.user)
        except services.Refusal as refusal:
            form.add_error(
                None,
                gettext("Refused (%(rule)s): %(message)s")
                % {"rule": refusal.reason, "message": " ".join(refusal.messages)},
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        return None
