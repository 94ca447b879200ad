"""Change-list cells that must read right at a glance and fit a 1366-pixel screen."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import pgettext


def overdue_badge(late: bool) -> str:
    """A late record gets the words "기한 초과" on a red badge; one on time a dash.

    Not the admin's boolean icons: they would mark a late record with a green tick, which every
    clerk reads as "all is well".
    """
    if not late:
        return "-"
    return format_html(
        '<span class="golmok-overdue golmok-badge">{}</span>', pgettext("deadline", "Overdue")
    )


def moment_short(value: datetime | None, form: str = "Y-m-d H:i") -> str:
    """A time in Asia/Seoul as `2026-03-09 10:00` (or another `form`): the admin's own Korean
    format (`2026년 3월 9일 10:00 오전`) takes half again as much width, which a list of ten
    columns lacks."""
    if value is None:
        return "-"
    return format_html(
        '<span class="golmok-nowrap">{}</span>', date_format(timezone.localtime(value), form)
    )
