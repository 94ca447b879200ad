"""The public programme forms: the application and the status look-up.

They read what a phone sends and check only what needs no programme (required fields, a mobile
number, the consent); `application_input_parse` checks the rest for the programme's kind, and
its errors land under the fields named here as it names them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.numbers import brn_normalize, phone_digits
from programmes import services
from programmes.services.applying import MAX_ATTACHMENTS, MAX_BUDGET_LINES
from registry.rules import tracking_number_normalize

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
# Rows of budget lines shown to a new competitive application.
BLANK_LINES = 2


def _amount_widget(**attrs) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", **attrs}
    )


def amount_text(value: str) -> str:
    """An amount as typed (120,000,000 or 120 000 000원) as the service reads it: digits and
    thousands separators; anything else is left for the service to refuse."""
    text = "".join(str(value or "").split())
    return text.removesuffix("원").removesuffix("won")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ApplicationForm(forms.Form):
    """An application to one programme from its public page (SPEC 7)."""

    business_number = forms.CharField(
        label=_("Business registration number"),
        max_length=20,
        help_text=_("Ten digits, with or without hyphens: 220-81-62517."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    applicant = forms.CharField(
        label=_("Applicant's name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_(
            "The tracking number is sent here by text message. You need its last four digits "
            "to check the application."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    annual_sales = forms.CharField(
        label=_("Annual sales declared (won)"),
        max_length=30,
        help_text=_("Last year's sales as declared for tax, in won: for example 120,000,000."),
        widget=_amount_widget(),
    )
    requested = forms.CharField(
        label=_("Amount requested (won)"),
        max_length=30,
        widget=_amount_widget(),
    )
    plan = forms.CharField(
        label=_("Plan"),
        max_length=5000,
        help_text=_("What you will do with the support, for whom, and by when."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Read from the rows of the budget table (line_item, line_amount); here for its errors.
    budget_lines = forms.CharField(label=_("Budget lines"), required=False)
    attachments = forms.FileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to %(count)d files: PDF, JPEG or PNG, at most 5 MB each.")
        % {"count": MAX_ATTACHMENTS},
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data as described above."),
        error_messages={
            "required": _("Agree to the collection and use of your personal data to apply.")
        },
    )
    # Left empty by people (it is hidden from them); filled by scripts that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, programme, files_sent=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.files_sent = list(files_sent)
        if not programme.is_competitive:
            for name in ("requested", "plan", "budget_lines"):
                del self.fields[name]
        self.lines = self._lines()

    def _lines(self) -> list[dict]:
        """The budget rows as sent (blank ones dropped), or blank rows for a new form."""
        if not self.programme.is_competitive:
            return []
        if not self.is_bound:
            return [{"item": "", "amount": ""} for _ in range(BLANK_LINES)]
        items = self.data.getlist("line_item")[: MAX_BUDGET_LINES + 1]
        amounts = self.data.getlist("line_amount")[: MAX_BUDGET_LINES + 1]
        rows = [
            {"item": str(item).strip()[:200], "amount": str(amount).strip()[:30]}
            for item, amount in zip(items, amounts, strict=False)
        ]
        return [row for row in rows if row["item"] or row["amount"]] or [{"item": "", "amount": ""}]

    def clean_business_number(self) -> str:
        """Ten digits, or the number's own error under the field (SPEC 2.1)."""
        try:
            return brn_normalize(self.cleaned_data["business_number"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code="invalid") from error

    def clean_phone(self) -> str:
        digits = phone_digits(self.cleaned_data["phone"])
        if not (digits.startswith("01") and len(digits) in (10, 11)):
            raise ValidationError(_("Enter a mobile number such as 010-1234-5678."), code="invalid")
        return digits

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("website") or "").strip():
            raise ValidationError(_("The form could not be accepted."), code="bot_suspected")
        if self.errors:
            self._other_problems()
        return cleaned

    def _other_problems(self) -> None:
        """With some fields refused here, check the rest with the service's parser too, so the
        applicant sees every problem at once instead of one after another."""
        try:
            services.application_input_parse(
                programme=self.programme, **self.parse_arguments(raw=True)
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)

    def parse_arguments(self, raw: bool = False) -> dict:
        """What `application_input_parse` takes from the form (with `raw`, what was typed for
        the fields the form itself refused)."""
        data = {**self.data.dict(), **self.cleaned_data} if raw else self.cleaned_data
        arguments = {
            "business_number": data.get("business_number", ""),
            "annual_sales": amount_text(data.get("annual_sales", "")),
            "applicant": data.get("applicant", ""),
            "phone": data.get("phone", ""),
            "attachments": self.files_sent,
        }
        if self.programme.is_competitive:
            arguments |= {
                "requested": amount_text(data.get("requested")),
                "plan": data.get("plan") or "",
                "budget_lines": [
                    {"item": row["item"], "amount": amount_text(row["amount"])}
                    for row in self.lines
                    if row["item"] or row["amount"]
                ],
            }
        return arguments

    def attachments_dropped(self) -> None:
        """Say, next to the file field, that chosen files must be chosen again: a page sent back
        with errors cannot keep them (unless the files were themselves the problem)."""
        if self.errors and self.files_sent and "attachments" not in self.errors:
            self.add_error(
                "attachments",
                ValidationError(
                    _(
                        "Because of the other problems on this form, the files you chose were "
                        "not kept. Choose them again before you send the form."
                    ),
                    code="choose_again",
                ),
            )


class LookupForm(forms.Form):
    """The tracking number and the phone's last four digits: both or nothing."""

    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        help_text=_("Twelve letters and digits, for example ABCD-2345-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last_four = forms.CharField(
        label=_("Last four digits of the phone"),
        max_length=4,
        min_length=4,
        help_text=_("Of the mobile phone given in the application."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}
        ),
    )

    def clean_phone_last_four(self) -> str:
        digits = self.cleaned_data["phone_last_four"].strip()
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(_("Enter four digits."), code="invalid")
        return digits

    def clean_tracking_number(self) -> str:
        # An impossible number fails like any unknown one, so the answer never hints at more.
        return tracking_number_normalize(self.cleaned_data["tracking_number"]) or "-"
