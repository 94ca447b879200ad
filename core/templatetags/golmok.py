"""Display filters shared by the admin and the printable pages: money in won, business numbers.

Money is whole won everywhere (SPEC conventions), so `won` never shows decimals; a value that is
not a whole number is shown as it is rather than rounded, because rounding money silently would
hide a bug upstream.
"""

from decimal import Decimal

from django import template
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
