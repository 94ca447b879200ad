"""Display filters shared by the admin and the printable pages: money in won, business numbers.

Money is whole won everywhere (SPEC conventions), so `won` never shows decimals; a value that is
not a whole number is shown as it is rather than rounded, because rounding money silently would
hide a bug upstream.
"""

from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.numbers import brn_format

register = template.Library()


@register.filter
def won(value) -> str:
    """1234567 → "1,234,567원" (English: "1,234,567 won"); empty for None or ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return _("%(amount)s won") % {"amount": f"{value:,}"}


@register.filter
def brn(value) -> str:
    """Ten digits → XXX-XX-XXXXX; anything else is shown as it is."""
    if value is None:
        return ""
    return brn_format(str(value).replace("-", "").replace(" ", ""))


@register.filter
def won_short(value) -> str:
    """Large sums as Korean reads them: 1,400,000,000 → "14억 원", 125,000,000 → "1억 2,500만 원",
    12,345 → "1만 2,345원". Below 10,000 won, and in other languages, as `won` shows them."""
    if isinstance(value, bool) or not isinstance(value, int):
        return won(value)
    if abs(value) < 10_000 or not (get_language() or "").startswith("ko"):
        return won(value)
    eok, rest = divmod(abs(value), 100_000_000)
    man, units = divmod(rest, 10_000)
    parts = [f"{eok:,}억"] if eok else []
    if man:
        parts.append(f"{man:,}만")
    # Korean writes 원 apart after a unit word (1억 원) and close after digits (8,665원).
    text = " ".join(parts) + (f" {units:,}원" if units else " 원")
    return ("-" if value < 0 else "") + text


@register.filter
def percent_bp(value) -> str:
    """Basis points as the percentage they are exactly, to two decimals: 5205 → "52.05%"
    (rounding them again to one decimal would round twice)."""
    if value is None:
        return ""
    whole, rest = divmod(abs(int(value)), 100)
    return f"{'-' if value < 0 else ''}{whole}.{rest:02d}%"
