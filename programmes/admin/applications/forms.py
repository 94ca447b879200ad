"""The forms behind the buttons of an application's page, and the paper application form."""

import re

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.golmok import won
from core.walls import office_wall
from programmes import rules
from programmes.admin.money import BANK_CHOICES
from programmes.choices import (
    ApplicationStatus,
    DisbursementStatus,
    ExpenseStatus,
)
from programmes.models import Application, Programme

# --- forms behind the buttons ------------------------------------------------------------------


def _note_field(label, required=False, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        **kwargs,
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("move to"))
    note = _note_field(_("note"), help_text=_("Required when the application is withdrawn."))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (to, ApplicationStatus(to).label) for to in rules.moves_from(application.status)
        ]


class NoteForm(forms.Form):
    note = _note_field(_("note"))


class AwardLowerForm(forms.Form):
    amount = forms.IntegerField(label=_("new award (won)"), min_value=1)
    reason = _note_field(_("the committee's reason"))


class GrantForm(forms.Form):
    bank = forms.ChoiceField(label=_("settlement bank"), choices=BANK_CHOICES, required=False)
    account_number = forms.CharField(
        label=_("settlement account"),
        max_length=40,
        required=False,
        help_text=_("Digits with or without hyphens, e.g. 1107-020-123456."),
    )
    account_holder = forms.CharField(label=_("account holder"), max_length=50, required=False)


class AmountForm(forms.Form):
    amount = forms.IntegerField(label=_("amount (won)"), min_value=1)


class MarkPaidForm(forms.Form):
    disbursement = forms.ModelChoiceField(label=_("instalment"), queryset=None)

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disbursement"].queryset = grant.disbursements.filter(
            status=DisbursementStatus.EXPORTED
        )
        self.fields["disbursement"].label_from_instance = lambda d: (
            gettext("Instalment %(n)s: %(amount)s") % {"n": d.sequence, "amount": won(d.amount)}
        )


class ExpenseDecideForm(forms.Form):
    line = forms.ModelChoiceField(label=_("expense line"), queryset=None)
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = _note_field(_("reason"), help_text=_("Required when the line is rejected."))

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = grant.expenses.filter(status=ExpenseStatus.PENDING)
        self.fields["line"].label_from_instance = lambda line: f"{line.item} · {won(line.amount)}"


class ExpenseAddForm(forms.Form):
    """One line of the grantee's expense report with its evidence (a receipt or invoice as
    PDF, JPEG or PNG, or a note of where the paper is kept)."""

    item = forms.CharField(label=_("item"), max_length=100)
    amount = forms.IntegerField(label=_("amount (won)"), min_value=1)
    spent_on = forms.DateField(label=_("spent on"), widget=AdminDateWidget)
    evidence = forms.FileField(
        label=_("evidence"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
    )
    evidence_note = forms.CharField(
        label=_("where the evidence is kept"),
        max_length=200,
        required=False,
        help_text=_("For evidence kept on paper, e.g. 세금계산서 2026-0501."),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to type: the page says what will happen and asks."""


class PaperApplicationForm(forms.Form):
    """An application a clerk enters from paper; the services check every field."""

    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none())
    business_number = forms.CharField(
        label=_("business registration number"),
        max_length=20,
        required=False,
        help_text=_("Ten digits, with or without hyphens: 220-81-62517."),
    )
    annual_sales = forms.CharField(label=_("annual sales declared (won)"), required=False)
    requested = forms.CharField(
        label=_("requested (won)"),
        required=False,
        help_text=_("Competitive programmes: the amount asked for."),
    )
    plan = _note_field(_("plan"), help_text=_("Competitive programmes: what the money is for."))
    budget_lines = _note_field(
        _("budget lines"),
        help_text=_(
            "Competitive programmes: one line each, the item and the amount in won, e.g. "
            "플랫폼 개발, 12000000. They add up to the amount requested."
        ),
    )
    applicant = forms.CharField(label=_("applicant"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    submitted_at = forms.SplitDateTimeField(
        label=_("submitted at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("When the paper application arrived; empty for now."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = office_wall(Programme.objects.all(), user)

    def clean_budget_lines(self) -> list[dict]:
        lines = []
        for number, line in enumerate(self.cleaned_data["budget_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            item, _sep, amount = line.rpartition(",")
            amount = re.sub(r"[\s,원]", "", amount)
            if not item.strip() or not (amount.isascii() and amount.isdigit()):
                raise ValidationError(
                    gettext("Line %(n)s: write the item, a comma and the amount in won.")
                    % {"n": number}
                )
            lines.append({"item": item.strip(), "amount": int(amount)})
        return lines
