"""Local time in Asia/Seoul: the one place that turns instants into the office's dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")


def local_today() -> date:
    return timezone.now().astimezone(SEOUL).date()


def local_date(moment: datetime) -> date:
    """The date in Seoul of an aware instant; a naive one is taken as Seoul local time."""
    if timezone.is_naive(moment):
        return moment.date()
    return moment.astimezone(SEOUL).date()


def as_aware(moment: datetime) -> datetime:
    """SPEC conventions: a timestamp without a UTC offset is Asia/Seoul local time."""
    return moment.replace(tzinfo=SEOUL) if timezone.is_naive(moment) else moment


def storable(moment: datetime) -> bool:
    """Whether an aware time can be stored: near year 1 or 9999 its offset can carry it out of
    the range of dates once it is turned to UTC."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


def local_midnight(day: date) -> datetime:
    """The instant a Seoul day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=SEOUL)
