"""The public forms: the application, the status look-up and the merchant's corrections.

They parse and check what a phone sends; the services decide. Field names are the services'
argument names so that a service's refusal lands under the field it names.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import documents
from core.numbers import brn_normalize
from registry.choices import CertificateType
from registry.models import Dong, Office
from registry.rules import RETENTION_YEARS, tracking_number_normalize
from registry.selectors import designated_districts
from registry.services.stores import phone_normalize

# The business types most alley stores have, by KSIC (10th revision) code and official name.
# Anything else is described in words and the clerk sets its code.
COMMON_BUSINESS_KINDS = (
    ("56111", "한식 일반 음식점업"),
    ("56112", "한식 면 요리 전문점"),
    ("56113", "한식 육류 요리 전문점"),
    ("56114", "한식 해산물 요리 전문점"),
    ("56121", "중식 음식점업"),
    ("56122", "일식 음식점업"),
    ("56123", "서양식 음식점업"),
    ("56191", "제과점업"),
    ("56192", "피자, 햄버거, 샌드위치 및 유사 음식점업"),
    ("56193", "치킨 전문점"),
    ("56194", "분식 및 김밥 전문점"),
    ("56213", "생맥주 전문점"),
    ("56219", "기타 주점업"),
    ("56221", "커피 전문점"),
    ("56229", "기타 비알코올 음료점업"),
    ("47121", "슈퍼마켓"),
    ("47122", "체인화 편의점"),
    ("47212", "육류 소매업"),
    ("47214", "신선, 냉동 및 기타 수산물 소매업"),
    ("47215", "채소, 과실 및 뿌리작물 소매업"),
    ("47218", "조리 반찬류 소매업"),
    ("10711", "떡류 제조업"),
    ("47412", "여자용 겉옷 소매업"),
    ("47813", "화장품, 비누 및 방향제 소매업"),
    ("47851", "화초 및 산식물 소매업"),
    ("96112", "두발 미용업"),
    ("96119", "기타 미용업"),
    ("96912", "가정용 세탁업"),
)
_KIND_NAMES = dict(COMMON_BUSINESS_KINDS)
OTHER_KIND = "other"

_STAMP_SALT = "golmok.register.started"
# A person needs longer than this to fill the form; scripts post at once.
DEFAULT_MIN_SECONDS = 3
STAMP_MAX_AGE = 24 * 60 * 60


def form_stamp() -> str:
    """A signed note of when the form was handed out."""
    return signing.dumps(int(time.time()), salt=_STAMP_SALT)


def min_fill_seconds() -> int:
    return int(getattr(settings, "GOLMOK_REGISTER_MIN_SECONDS", DEFAULT_MIN_SECONDS))


class DistrictSelect(forms.Select):
    """Each district option names its dongs (data-dongs) so the page can filter by dong."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-dongs"] = " ".join(str(d.pk) for d in instance.dongs.all())
        return option


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        dongs = ", ".join(d.name for d in obj.dongs.all())
        return f"{obj.name} ({dongs})" if dongs else obj.name


def phone_display(digits: str) -> str:
    """Digits as Koreans write them: 02-123-4567, 062-123-4567, 010-1234-5678."""
    if not digits.isdigit():
        return digits
    head = 2 if digits.startswith("02") else 3
    rest = digits[head:]
    return f"{digits[:head]}-{rest[:-4]}-{rest[-4:]}" if len(rest) > 4 else digits


def _text(label, max_length, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, **kwargs)


class StoreDetailsForm(forms.Form):
    """The store details shared by the application and the merchant's corrections."""

    trade_name = _text(
        _("Trade name"),
        100,
        help_text=_("As on the business registration certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    representative = _text(
        _("Representative"),
        50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    business_kind = forms.ChoiceField(
        label=_("Business type"),
        choices=[
            ("", _("Choose the business type")),
            *COMMON_BUSINESS_KINDS,
            (OTHER_KIND, _("Other (describe it below)")),
        ],
        help_text=_("The main business of the store."),
    )
    business_type_other = _text(
        _("Other business type"),
        100,
        required=False,
        help_text=_("Only when you chose “Other”: for example 수제 공예품 판매."),
    )
    road_address = _text(
        _("Road-name address"),
        200,
        help_text=_("For example 광주광역시 서구 상무중앙로 10, 1층."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    dong = forms.ModelChoiceField(
        label=_("Dong"),
        queryset=Dong.objects.none(),
        required=False,
        empty_label=_("I don't know"),
        help_text=_("The administrative dong of the store. It also narrows the district list."),
    )
    district = DistrictChoiceField(
        label=_("Alley district to join"),
        queryset=Dong.objects.none(),
        required=False,
        empty_label=_("I don't know: the office will assign one"),
        widget=DistrictSelect,
        help_text=_("The office's designated alley-type shopping districts."),
    )
    certificate_types = forms.MultipleChoiceField(
        label=_("Onnuri gift certificates to accept"),
        choices=CertificateType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Card and mobile certificates are paid by card or phone; paper ones are exchanged "
            "at the bank. Choose none to join the district only."
        ),
    )
    phone = _text(
        _("Contact phone"),
        30,
        help_text=_(
            "A mobile number receives the tracking number by text message. You need its last "
            "four digits to check the status."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["dong"].queryset = office.dongs.order_by("name")
        self.fields["district"].queryset = designated_districts(office)

    def clean_phone(self) -> str:
        try:
            return phone_normalize(self.cleaned_data["phone"])
        except ValidationError as error:
            raise ValidationError(error.error_dict["phone"]) from error

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("business_kind")
        if kind == OTHER_KIND:
            other = " ".join((cleaned.get("business_type_other") or "").split())
            if not other:
                self.add_error(
                    "business_type_other",
                    ValidationError(_("Describe the business type."), code="required"),
                )
            cleaned["ksic_code"], cleaned["business_type"] = "", other
        elif kind:
            cleaned["ksic_code"], cleaned["business_type"] = kind, _KIND_NAMES[kind]
        return cleaned

    def details(self) -> dict:
        """The cleaned store details, named as the services take them."""
        data = self.cleaned_data
        return {
            "trade_name": data["trade_name"],
            "representative": data["representative"],
            "road_address": data["road_address"],
            "dong": data.get("dong"),
            "district": data.get("district"),
            "ksic_code": data.get("ksic_code", ""),
            "business_type": data.get("business_type", ""),
            "certificate_types": data.get("certificate_types") or [],
            "phone": data["phone"],
            "email": data.get("email") or "",
        }

    @staticmethod
    def initial_from(application) -> dict:
        kind = application.ksic_code if application.ksic_code in _KIND_NAMES else OTHER_KIND
        return {
            "trade_name": application.trade_name,
            "representative": application.representative,
            "business_kind": kind,
            "business_type_other": application.business_type if kind == OTHER_KIND else "",
            "road_address": application.road_address,
            "dong": application.dong_id,
            "district": application.district_id,
            "certificate_types": application.certificate_types,
            "phone": phone_display(application.phone),
            "email": application.email,
        }


class RegisterForm(StoreDetailsForm):
    """The merchant's application (SPEC 2.5), with the bot checks around it."""

    business_number = _text(
        _("Business registration number"),
        20,
        help_text=_("Ten digits, with or without hyphens: 220-81-62517."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    document = forms.FileField(
        label=_("Business registration certificate"),
        help_text=_("A scan or photo: PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data as described above."),
        error_messages={
            "required": _("Agree to the collection and use of your personal data to apply.")
        },
    )
    # Left empty by people (it is hidden from them); filled by scripts that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = [
        "business_number",
        "trade_name",
        "representative",
        "business_kind",
        "business_type_other",
        "road_address",
        "dong",
        "district",
        "certificate_types",
        "document",
        "phone",
        "email",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", form_stamp())
            self.initial.setdefault("submission_key", secrets.token_urlsafe(24))

    def clean_business_number(self) -> str:
        return brn_normalize(self.cleaned_data["business_number"])

    def document_dropped(self) -> None:
        """Say, next to the file field, that the chosen file must be chosen again.

        A page sent back with errors cannot keep an uploaded file: no browser fills a file
        field in again, so the merchant would send the form a second time without the document
        and be refused for it. Unless the file was itself the problem (its own error says so).
        """
        if self.errors and self.files.get("document") and "document" not in self.errors:
            self.add_error(
                "document",
                ValidationError(
                    _(
                        "Because of the other problems on this form, the file you chose was not "
                        "kept. Choose it again before you send the form."
                    ),
                    code="choose_again",
                ),
            )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.cleaned_data["document_type"] = documents.document_check(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("website") or "").strip():
            raise ValidationError(_("The form could not be accepted."), code="bot_suspected")
        try:
            started = signing.loads(
                cleaned.get("started") or "", salt=_STAMP_SALT, max_age=STAMP_MAX_AGE
            )
        except signing.SignatureExpired as expired:
            self.stamp_refresh()
            raise ValidationError(
                _("The form was open for too long. Check your answers and send it again."),
                code="form_expired",
            ) from expired
        except signing.BadSignature as bad:
            self.stamp_refresh()
            raise ValidationError(
                _("The form could not be accepted."), code="bot_suspected"
            ) from bad
        if not isinstance(started, int) or time.time() - started < min_fill_seconds():
            raise ValidationError(
                _(
                    "That was faster than a person can fill the form. Wait a moment and send it "
                    "again."
                ),
                code="too_fast",
            )
        return cleaned

    def stamp_refresh(self) -> None:
        """Give the page shown again a fresh stamp (the old one was bad or too old)."""
        self.data = self.data.copy()
        self.data["started"] = form_stamp()

    def submission(self) -> dict:
        """Everything `application_submit` takes from the form."""
        return {
            **self.details(),
            "business_number": self.cleaned_data["business_number"],
            "document": self.cleaned_data["document"],
            "consent": self.cleaned_data["consent"],
            "submission_key": self.cleaned_data.get("submission_key") or "",
        }


class CorrectionForm(StoreDetailsForm):
    """The merchant's answer to a change request: corrected details, a note, a new document."""

    document = forms.FileField(
        label=_("New or additional document (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )
    note = forms.CharField(
        label=_("Note to the office (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            documents.document_check(upload)
        return upload or None


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
        help_text=_("Of the contact phone given in the application."),
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
        # An impossible number is not refused here: it fails like any unknown number, so the
        # answer never hints at what a real one looks like beyond the help text.
        return tracking_number_normalize(self.cleaned_data["tracking_number"]) or "-"


def privacy_notice() -> dict:
    """What the consent covers: the items kept, why, for how long, and the right to refuse."""
    return {
        "items": gettext(
            "Business registration number, trade name, representative's name, store address, "
            "contact phone, email (if given), and a copy of the business registration "
            "certificate."
        ),
        "purpose": gettext(
            "To review your application to join an alley-type shopping district and to "
            "register as an Onnuri gift-certificate affiliate, and to contact you about it."
        ),
        "retention": gettext(
            "Kept for %(years)s years after the decision, then destroyed. The details of an "
            "approved store stay in the office's store registry while it trades."
        )
        % {"years": RETENTION_YEARS},
        "refusal": gettext(
            "You may refuse, but the office cannot then process your application online; you "
            "can still apply in person at the office."
        ),
    }
