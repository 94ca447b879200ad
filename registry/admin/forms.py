"""Forms of the registry admin: they parse input; the services decide.

Fields the services check themselves (reasons, numbers, settlement details) are optional here so
that a refusal always carries the service's own message, keyed by the same field names the
services use in their errors.
"""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.clock import local_today
from core.numbers import brn_normalize
from core.walls import office_wall
from registry.choices import DistrictStatus, RevocationGround, StrikeOffReason
from registry.models import District, Store, User
from registry.services.stores import phone_normalize


def _date(label, required=False, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=AdminDateWidget, **kwargs)


def _text(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), **kwargs
    )


class StoreAddForm(forms.ModelForm):
    """A new store: the business number is checked by the shared rule (SPEC 2.1)."""

    business_number = forms.CharField(
        label=_("business registration number"),
        max_length=20,
        help_text=_("Ten digits, with or without hyphens: 220-81-62517."),
    )

    class Meta:
        model = Store
        fields = ("business_number",)  # the admin adds the rest from its fieldsets

    def clean_business_number(self) -> str:
        return brn_normalize(self.cleaned_data["business_number"])

    def clean_phone(self) -> str:
        try:
            return phone_normalize(self.cleaned_data.get("phone", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from error


class StoreChangeForm(forms.ModelForm):
    def clean_phone(self) -> str:
        try:
            return phone_normalize(self.cleaned_data.get("phone", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from error


class DesignateForm(forms.Form):
    designation_no = forms.CharField(
        label=_("designation number"),
        max_length=40,
        required=False,
        help_text=_("Unique within the office, for example 서구-2025-017."),
    )
    designated_on = _date(_("designated on"), initial=local_today)
    override_reason = _text(
        _("reason for designating despite a failed criterion"),
        help_text=_("Required only when a criterion above is not met; the history keeps it."),
    )


class RejectForm(forms.Form):
    rejection_reason = _text(
        _("reason for rejection"), help_text=_("The applicant is told this reason.")
    )


class RevokeForm(forms.Form):
    revocation_ground = forms.ChoiceField(
        label=_("ground for revocation"),
        choices=[("", "---------"), *RevocationGround.choices],
        required=False,
    )
    revocation_reason = _text(_("details of revocation"))
    revoked_on = _date(_("revoked on"), initial=local_today)


class SettlementForm(forms.Form):
    settlement_bank = forms.CharField(label=_("settlement bank"), max_length=40, required=False)
    settlement_account = forms.CharField(
        label=_("settlement account"), max_length=40, required=False
    )
    settlement_holder = forms.CharField(label=_("account holder"), max_length=50, required=False)


class ApproveForm(SettlementForm):
    affiliate_number = forms.CharField(label=_("affiliate number"), max_length=30, required=False)
    approved_on = _date(_("approved on"), initial=local_today)
    valid_until = _date(_("valid until"))

    field_order = ["affiliate_number", "approved_on", "valid_until"]


class StrikeOffForm(forms.Form):
    strike_off_reason = forms.ChoiceField(
        label=_("reason for strike-off"),
        choices=[("", "---------"), *StrikeOffReason.choices],
        required=False,
    )
    strike_off_note = _text(_("details of strike-off"))
    revoked_on = _date(_("struck off on"), initial=local_today)


class RenewForm(forms.Form):
    valid_until = _date(_("valid until"), required=True)


class CloseStoresForm(forms.Form):
    closed_on = _date(_("closed on"), initial=local_today)


def designated_districts_for(user: User) -> QuerySet:
    """The designated districts of the user's office, by name: what a store may join."""
    return office_wall(
        District.objects.filter(status=DistrictStatus.DESIGNATED).order_by("name"), user
    )


class JoinDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("district"),
        queryset=District.objects.none(),
        help_text=_("A designated district of your office."),
    )
    joined_on = _date(_("joined on"), initial=local_today)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = designated_districts_for(user)


class _PrivateFile:
    """A saved file as the upload widget shows it: its name, linked to the staff-only view."""

    def __init__(self, file, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class PrivateFileInput(forms.ClearableFileInput):
    """The upload widget for private documents: the current file links to the office-checked
    download view, never to a storage URL."""

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "instance", None) and value.instance.pk)

    def format_value(self, value):
        if self.is_initial(value):
            return _PrivateFile(
                value, reverse("registry:attachment_download", args=[value.instance.pk])
            )
        return None
