"""What the cashback services share: the refusal of a week whose payout is confirmed."""

from django.utils.translation import gettext as _

from cashback.models import CampaignWeek


class WeekFrozen(Exception):
    """The payment's week has a confirmed payout and can no longer change (HTTP 409)."""


def refuse_if_frozen(week: CampaignWeek) -> None:
    if week.frozen_at is not None:
        raise WeekFrozen(_("Week %(week)s is confirmed and frozen.") % {"week": week.number})
