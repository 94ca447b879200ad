"""Marks in change lists that must read right at a glance."""

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
