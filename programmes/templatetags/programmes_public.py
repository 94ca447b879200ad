"""Display filters of the public programme pages: dates in Seoul time, digits and statuses."""

from django import template

from programmes.choices import ApplicationStatus
from programmes.wording import day_text, moment_text

register = template.Library()


@register.filter
def korean_day(value) -> str:
    """2026-07-14 → "2026년 7월 14일(화)"."""
    return day_text(value) if value else ""


@register.filter
def korean_moment(value) -> str:
    """An instant as Seoul's clock shows it: "2026년 3월 25일(수) 18:00"."""
    return moment_text(value) if value else ""


@register.filter
def digit_list(value) -> str:
    """ "16" → "1, 6"."""
    return ", ".join(str(value or ""))


@register.filter
def status_label(value) -> str:
    return str(dict(ApplicationStatus.choices).get(value, value))
