"""Forms of the operator's pages and the supervisors' admin: they parse, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline import rules
from hotline.choices import MOVE_LABELS, CallerType, Category, Channel, CloseReason, Priority
from hotline.models import Case
from hotline.selectors import assignable_users, user_label
from registry.models import Office


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class IntakeForm(forms.Form):
    """The intake page: what an operator types while the caller is on the line.

    Channel, caller type and priority start on the usual answers (a phone call from a merchant,
    normal priority), so a routine call needs the store, the category and a description.
    """

    office = forms.ModelChoiceField(
        label=_("office"), queryset=Office.objects.order_by("code"), required=False
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=Channel.choices,
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )
    caller_type = forms.ChoiceField(
        label=_("caller type"),
        choices=CallerType.choices,
        initial=CallerType.MERCHANT,
        widget=forms.RadioSelect,
    )
    store_query = forms.CharField(
        label=_("store"),
        required=False,
        max_length=100,
        help_text=_(
            "Type a business number, a trade name or a phone number; pick with ↓ and Enter."
        ),
    )
    store = forms.IntegerField(required=False, widget=forms.HiddenInput)
    caller_name = forms.CharField(label=_("caller's name"), required=False, max_length=50)
    caller_phone = forms.CharField(label=_("caller's phone"), required=False, max_length=20)
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("Choose…")), *Category.choices]
    )
    priority = forms.ChoiceField(
        label=_("priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    assign_to_me = forms.BooleanField(label=_("I take this case myself"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(user, "office_id", None):
            del self.fields["office"]  # staff log cases for their own office
        else:
            self.fields["office"].required = True
        self.fields["store_query"].widget.attrs.update(
            {
                "autocomplete": "off",
                "autofocus": True,
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "store-results",
                "aria-describedby": "store-help",
                "spellcheck": "false",
            }
        )
        self.fields["caller_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["caller_name"].widget.attrs["autocomplete"] = "off"

    def business_number(self) -> str:
        """The typed text when it is a business number and no store was picked (the caller's
        store may not be registered yet)."""
        if self.cleaned_data.get("store"):
            return ""
        text = (self.cleaned_data.get("store_query") or "").replace("-", "").replace(" ", "")
        return text if len(text) == 10 and text.isdigit() else ""


class TransitionForm(forms.Form):
    """One move of a case (admin): the note, and the assignee or the reason when it needs one."""

    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, case: Case, to: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.to = to
        if to in rules.ASSIGNEE_MOVES:
            self.fields["assignee"] = AssigneeChoiceField(
                label=_("assignee"),
                queryset=assignable_users(case.office_id),
                required=to == rules.ASSIGNED,
                initial=case.assignee_id,
            )
        if to == rules.CLOSED:
            reasons = [
                (value, label)
                for value, label in CloseReason.choices
                if value != rules.CLOSE_RESOLVED or case.status == rules.RESOLVED
            ]
            self.fields["reason"] = forms.ChoiceField(
                label=_("reason for closing"), choices=[("", "---------"), *reasons]
            )
        if to == rules.RESOLVED:
            self.fields["note"].label = _("reply given to the caller")
            self.fields["note"].initial = case.reply
        self.order_fields(["assignee", "reason", "note"])

    @property
    def title(self) -> str:
        return str(MOVE_LABELS.get(self.to, self.to))


class AssignForm(forms.Form):
    """Bulk assignment in the admin: who takes the selected cases."""

    assignee = AssigneeChoiceField(label=_("assignee"), queryset=None)
    note = forms.CharField(label=_("note"), required=False)

    def __init__(self, *args, office_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            assignable_users(office_id) if office_id else assignable_users(0).none()
        )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 4}))


class ReferForm(forms.Form):
    department = forms.CharField(label=_("department"), max_length=100)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("reply given to the caller"), widget=forms.Textarea(attrs={"rows": 4})
    )
