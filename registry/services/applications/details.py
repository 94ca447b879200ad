"""Checking the store details a merchant sends, and a clerk completes: shared by filing,
correcting and approving an application."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from registry.choices import CertificateType, DistrictStatus
from registry.models import District, Dong, Office

from ..stores import phone_normalize

_TEXT_LIMITS = {"trade_name": 100, "representative": 50, "road_address": 200, "business_type": 100}


def _text(errors: dict, field: str, value: str, *, required: bool = True) -> str:
    value = " ".join(str(value or "").split())
    limit = _TEXT_LIMITS.get(field, 200)
    if required and not value:
        errors[field] = ValidationError(_("This field is required."), code="required")
    elif len(value) > limit:
        errors[field] = ValidationError(
            _("Keep this under %(limit)s characters.") % {"limit": limit}, code="too_long"
        )
    return value


def details_check(office: Office, data: dict) -> tuple[dict, dict]:
    """Clean the store details of an application; return (values, errors by field)."""
    errors: dict[str, ValidationError] = {}
    values = {
        field: _text(errors, field, data.get(field, ""), required=field != "business_type")
        for field in ("trade_name", "representative", "road_address", "business_type")
    }
    try:
        values["phone"] = phone_normalize(data.get("phone", ""))
    except ValidationError as error:
        errors.update(error.error_dict)
    else:
        if not values["phone"]:
            errors["phone"] = ValidationError(
                _("Enter a phone number: you need its last four digits to check the status."),
                code="required",
            )
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ValidationError(_("Enter a valid email address."), code="invalid")
    values["email"] = email
    values["dong"] = dong_check(errors, office, data.get("dong"))
    values["district"] = district_check(errors, office, data.get("district"))
    ksic_code = str(data.get("ksic_code") or "").strip()
    if ksic_code and not (len(ksic_code) == 5 and ksic_code.isascii() and ksic_code.isdigit()):
        errors["ksic_code"] = ValidationError(
            _("A KSIC code is five digits, for example 56211."), code="invalid_ksic"
        )
    values["ksic_code"] = ksic_code
    if not values["business_type"] and not ksic_code:
        errors["business_type"] = ValidationError(
            _("Choose or describe the business type."), code="required"
        )
    types = list(dict.fromkeys(data.get("certificate_types") or []))
    if set(types) - set(CertificateType.values):
        errors["certificate_types"] = ValidationError(
            _("Choose paper, card or mobile."), code="invalid_type"
        )
    values["certificate_types"] = types
    return values, errors


def dong_check(errors: dict, office: Office, dong: Dong | None) -> Dong | None:
    if dong is not None and dong.office_id != office.pk:
        errors["dong"] = ValidationError(_("Choose a dong of this office."), code="other_office")
    return dong


def district_check(errors: dict, office: Office, district: District | None) -> District | None:
    if district is None:
        return None
    if district.office_id != office.pk or district.status != DistrictStatus.DESIGNATED:
        errors["district"] = ValidationError(
            _("Choose one of the office's designated districts, or “I don't know”."),
            code="district_not_designated",
        )
    return district
