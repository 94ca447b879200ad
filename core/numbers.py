"""Numbers every app reads and shows: business registration numbers, phone numbers, masks.

Plain functions of plain values. Business numbers follow SPEC 2.1: the check digit of the first
nine, and parts that are real (python-stdnum's `kr.brn`: a tax office of 101 or above, a kind of
business other than 00, a serial other than 0000). Phones are Korean numbers as callers give
them; masks hide personal data in lists (SPEC 5).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.kr import brn as stdnum_brn

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_BRN_SEPARATORS = re.compile(r"[\s\-]")


def brn_checksum_ok(digits: str) -> bool:
    """SPEC 2.1: the tenth digit is the check digit of the first nine."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    s = sum(di * wi for di, wi in zip(d[:9], BRN_WEIGHTS, strict=True)) + (d[8] * 5) // 10
    return (10 - s % 10) % 10 == d[9]


def brn_parts_ok(digits: str) -> bool:
    """SPEC 2.1: the tax office (digits 1-3) is 101 or above, the kind of business (4-5) is not
    00 and the serial (6-9) is not 0000, as python-stdnum's `kr.brn` checks them."""
    return len(digits) == 10 and digits.isascii() and stdnum_brn.is_valid(digits)


def brn_valid(digits: str) -> bool:
    """SPEC 2.1 in full: ten ASCII digits whose parts are real and whose check digit holds."""
    return brn_checksum_ok(digits) and brn_parts_ok(digits)


def brn_complete(first_nine: str) -> str:
    """Append the check digit to nine digits: the ten-digit number that passes the checksum."""
    d = [int(c) for c in first_nine]
    s = sum(di * wi for di, wi in zip(d, BRN_WEIGHTS, strict=True)) + (d[8] * 5) // 10
    return first_nine + str((10 - s % 10) % 10)


def brn_normalize(value: str) -> str:
    """Strip hyphens and spaces and check the number; return its ten digits or raise."""
    digits = _BRN_SEPARATORS.sub("", str(value or ""))
    if not brn_valid(digits):
        raise ValidationError(
            _("%(value)s is not a valid business registration number.")
            % {"value": str(value).strip() or '""'},
            code="invalid_business_number",
        )
    return digits


def brn_format(digits: str) -> str:
    """Show ten digits as XXX-XX-XXXXX; anything else is shown as it is."""
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return digits


def is_row_id(value: str) -> bool:
    """Whether text reads as a row's id: ASCII digits, short enough for a bigint."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def digits_ascii_check(value: str) -> None:
    """Refuse a number written in digits other than 0 to 9 (Arabic-Indic ٣, full-width ３,
    superscript ²). Python reads some of them as numbers and fails on others, the database
    reads none, and no id, page or amount is written with them: a clear refusal instead."""
    value = str(value or "").strip()
    if value.isdigit() and not value.isascii():
        raise ValidationError(_("Write numbers with the digits 0 to 9."), code="digits_not_ascii")


def phone_digits(value: str) -> str:
    """The digits of a Korean phone number as callers give it (010-1234-5678, +82 10 …)."""
    digits = "".join(c for c in value or "" if c.isascii() and c.isdigit())
    if digits.startswith("82") and len(digits) >= 10:
        digits = "0" + digits[2:]
    return digits


def phone_valid(digits: str) -> bool:
    return len(digits) in range(9, 12) and digits.startswith("0")


def phone_format(digits: str) -> str:
    """Digits as Koreans write them: 02-123-4567, 062-123-4567, 010-1234-5678."""
    if not digits or not digits.isdigit():
        return digits or ""
    head = 2 if digits.startswith("02") else 3
    rest = digits[head:]
    return f"{digits[:head]}-{rest[:-4]}-{rest[-4:]}" if len(rest) > 4 else digits


def phone_mask(phone: str) -> str:
    """Hide the middle group of a phone number: 010-1234-5678 → 010-****-5678."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def name_mask(name: str) -> str:
    """Keep the first and last character of a name: 홍길동 → 홍*동, 김철 → 김*."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def account_mask(account: str) -> str:
    """Keep only the last four digits of a bank account: 123-456-789012 → ********9012."""
    digits = "".join(c for c in account or "" if c.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def email_mask(email: str) -> str:
    """h****@example.com: enough to recognise, not enough to write to."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return "*" * len(local)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
