"""The pure rules: the state machine of SPEC 4 and deadlines in Korean working time.

Plain values in, plain values out: no database. Dates are real 2025–2027 calendar days, with
the holidays the `holidays` package knows (Seollal, Chuseok, substitute holidays).
"""

from datetime import UTC, date, datetime, timedelta
from itertools import product

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline import rules
from hotline.rules import (
    CLOCK_HOURS,
    WorkCalendar,
    add_working_time,
    deadline,
    deadline_after_wait,
    is_overdue,
    move_check,
    working_minutes_between,
    working_time_between,
)
from tests.hotline.conftest import seoul

KOREA = WorkCalendar()
H = 60  # minutes in an hour


def at(moment: datetime) -> str:
    """An instant as Seoul wall-clock time, for readable assertions."""
    return moment.astimezone(rules.SEOUL).strftime("%Y-%m-%d %a %H:%M")


# --- Working days ----------------------------------------------------------------------------


def test_the_holidays_come_from_the_holidays_package_not_a_list_of_our_own():
    for year in (2025, 2026, 2027):
        assert rules.korean_holidays(year) == frozenset(holidays.KR(years=year))


@pytest.mark.parametrize(
    "day",
    sorted(d for d in holidays.KR(years=[2025, 2026, 2027]) if d.weekday() < 5),
    ids=str,
)
def test_no_weekday_public_or_substitute_holiday_is_a_working_day(day):
    assert not KOREA.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 6), True),  # a Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 2, 17), False),  # Seollal
        (date(2026, 2, 19), True),  # the Thursday after Seollal
        (date(2026, 3, 2), False),  # substitute holiday for 3·1 (a Sunday in 2026)
        (date(2025, 10, 8), False),  # substitute holiday for Chuseok 2025
        (date(2027, 2, 9), False),  # substitute holiday for Seollal 2027
        (date(2026, 6, 3), False),  # local election day
        (date(2025, 1, 27), False),  # the temporary holiday before Seollal 2025
    ],
    ids=str,
)
def test_working_days_follow_the_korean_calendar(day, working):
    assert KOREA.is_working_day(day) is working


def test_an_offices_own_closed_day_is_not_a_working_day():
    calendar = WorkCalendar(closed_days=frozenset({date(2026, 3, 10)}))
    assert not calendar.is_working_day(date(2026, 3, 10))
    assert calendar.is_working_day(date(2026, 3, 11))


def test_a_working_day_has_eight_hours_with_lunch_left_out():
    periods = KOREA.periods(date(2026, 3, 9))
    assert [(at(a), at(b)) for a, b in periods] == [
        ("2026-03-09 Mon 09:00", "2026-03-09 Mon 12:00"),
        ("2026-03-09 Mon 13:00", "2026-03-09 Mon 18:00"),
    ]
    assert sum((b - a for a, b in periods), timedelta()) == timedelta(hours=8)
    assert KOREA.periods(date(2026, 3, 7)) == []


# --- Adding working time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [
        # within one day
        (seoul(2026, 3, 9, 9), 3, "2026-03-09 Mon 12:00"),  # fills the morning: due at 12:00
        (seoul(2026, 3, 9, 9), 8, "2026-03-09 Mon 18:00"),  # a whole day: due at 18:00
        (seoul(2026, 3, 9, 11), 2, "2026-03-09 Mon 14:00"),  # lunch does not count
        (seoul(2026, 3, 9, 12, 30), 1, "2026-03-09 Mon 14:00"),  # received at lunch
        (seoul(2026, 3, 9, 7, 30), 3, "2026-03-09 Mon 12:00"),  # before opening
        (seoul(2026, 3, 9, 10, 15), 8, "2026-03-10 Tue 10:15"),
        # after hours and weekends
        (seoul(2026, 3, 9, 18), 1, "2026-03-10 Tue 10:00"),  # at closing time
        (seoul(2026, 3, 9, 22, 40), 3, "2026-03-10 Tue 12:00"),
        (seoul(2026, 3, 6, 17), 3, "2026-03-09 Mon 11:00"),  # Friday afternoon
        (seoul(2026, 3, 7, 11), 16, "2026-03-10 Tue 18:00"),  # received on Saturday
        (seoul(2026, 3, 6, 9), 40, "2026-03-12 Thu 18:00"),  # low: 40 hours = 5 days
        # Seollal 2026: Mon 16 – Wed 18 February
        (seoul(2026, 2, 13, 16), 16, "2026-02-20 Fri 16:00"),
        (seoul(2026, 2, 13, 16), 3, "2026-02-19 Thu 10:00"),
        (seoul(2026, 2, 16, 10), 8, "2026-02-19 Thu 18:00"),  # received on the holiday
        # Chuseok 2025: 3 Oct, 5–7 Oct, the substitute 8 Oct, Hangul Day 9 Oct
        (seoul(2025, 10, 2, 17), 16, "2025-10-13 Mon 17:00"),
        (seoul(2025, 10, 2, 17), 1, "2025-10-02 Thu 18:00"),
        (seoul(2025, 10, 2, 17), 2, "2025-10-10 Fri 10:00"),
        # Chuseok 2026: Thu 24 – Sat 26 September (no substitute: the 26th is a Saturday)
        (seoul(2026, 9, 23, 14), 8, "2026-09-28 Mon 14:00"),
        # substitute holidays
        (seoul(2026, 2, 27, 17), 3, "2026-03-03 Tue 11:00"),  # 2 March 2026
        (seoul(2025, 5, 2, 17), 2, "2025-05-07 Wed 10:00"),  # 5 May and its substitute 6 May
        (seoul(2027, 2, 5, 18), 8, "2027-02-10 Wed 18:00"),  # Seollal 2027 and 9 Feb
        (seoul(2026, 10, 2, 17), 4, "2026-10-06 Tue 12:00"),  # 5 October 2026
    ],
    ids=lambda v: at(v) if isinstance(v, datetime) else str(v),
)
def test_deadlines_count_korean_working_hours(received, hours, due):
    assert at(add_working_time(received, hours * H, KOREA)) == due


def test_a_case_received_outside_working_time_starts_at_the_next_working_minute():
    assert at(add_working_time(seoul(2026, 3, 7, 3), 0, KOREA)) == "2026-03-09 Mon 09:00"
    assert at(add_working_time(seoul(2026, 3, 9, 12), 0, KOREA)) == "2026-03-09 Mon 13:00"
    assert at(add_working_time(seoul(2026, 2, 13, 18), 1, KOREA)) == "2026-02-19 Thu 09:01"


def test_seconds_are_kept_and_timedeltas_are_accepted():
    start = seoul(2026, 3, 9, 10, 20, 30)
    assert add_working_time(start, timedelta(minutes=90), KOREA) == seoul(2026, 3, 9, 11, 50, 30)
    assert add_working_time(start, 90, KOREA) == seoul(2026, 3, 9, 11, 50, 30)


def test_a_closed_day_of_the_office_is_skipped():
    calendar = WorkCalendar(closed_days=frozenset({date(2026, 3, 9)}))
    assert at(add_working_time(seoul(2026, 3, 6, 17), 2 * H, calendar)) == "2026-03-10 Tue 10:00"


def test_clock_hours_count_every_hour_weekends_and_holidays_included():
    assert at(add_working_time(seoul(2026, 2, 13, 17), 8 * H, CLOCK_HOURS)) == (
        "2026-02-14 Sat 01:00"
    )
    assert working_time_between(seoul(2026, 2, 14), seoul(2026, 2, 16), CLOCK_HOURS) == (
        timedelta(hours=48)
    )


def test_a_time_without_offset_is_seoul_time_and_utc_gives_the_same_answer():
    naive = datetime(2026, 3, 6, 17)
    utc = datetime(2026, 3, 6, 8, tzinfo=UTC)
    assert add_working_time(naive, 3 * H, KOREA) == add_working_time(utc, 3 * H, KOREA)
    assert at(add_working_time(utc, 3 * H, KOREA)) == "2026-03-09 Mon 11:00"


def test_negative_working_time_is_refused():
    with pytest.raises(ValueError):
        add_working_time(seoul(2026, 3, 9, 10), -1, KOREA)


def test_a_calendar_without_any_working_day_is_refused_rather_than_looping_forever():
    every_day = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(900))
    with pytest.raises(ValueError):
        add_working_time(seoul(2026, 1, 1), 1, WorkCalendar(closed_days=every_day))


# --- Measuring working time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "minutes"),
    [
        (seoul(2026, 3, 9, 9), seoul(2026, 3, 9, 18), 8 * H),
        (seoul(2026, 3, 9, 11, 30), seoul(2026, 3, 9, 13, 30), 60),  # lunch left out
        (seoul(2026, 3, 9, 12, 10), seoul(2026, 3, 9, 12, 50), 0),
        (seoul(2026, 3, 6, 17), seoul(2026, 3, 9, 10), 2 * H),  # over a weekend
        (seoul(2026, 2, 13, 17), seoul(2026, 2, 19, 10), 2 * H),  # over Seollal
        (seoul(2025, 10, 2, 0), seoul(2025, 10, 13, 0), 2 * 8 * H),  # Chuseok 2025
        (seoul(2026, 3, 9, 18), seoul(2026, 3, 9, 9), 0),  # reversed
        (seoul(2026, 3, 9, 20), seoul(2026, 3, 10, 8), 0),  # overnight
    ],
)
def test_working_minutes_between_two_instants(a, b, minutes):
    assert working_minutes_between(a, b, KOREA) == minutes


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 10, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=rules.SEOUL)
)


@settings(max_examples=300, deadline=None)
@given(start=instants, minutes=st.integers(min_value=0, max_value=60 * H))
def test_adding_working_time_and_measuring_it_agree(start, minutes):
    due = add_working_time(start, minutes, KOREA)
    assert due >= start
    assert working_minutes_between(start, due, KOREA) == minutes
    local = due.astimezone(rules.SEOUL)
    assert KOREA.is_working_day(local.date())
    assert any(a <= due <= b for a, b in KOREA.periods(local.date()))


@settings(max_examples=200, deadline=None)
@given(start=instants, a=st.integers(0, 40 * H), b=st.integers(0, 40 * H))
def test_more_working_time_is_never_due_earlier(start, a, b):
    small, large = sorted((a, b))
    assert add_working_time(start, small, KOREA) <= add_working_time(start, large, KOREA)


# --- Waiting for the caller ----------------------------------------------------------------


def test_a_wait_for_the_caller_spanning_chuseok_counts_only_its_working_hours():
    # Received Tue 22 Sep 2026 10:00, normal (16 h): due Mon 28 Sep 10:00 across Chuseok.
    received = seoul(2026, 9, 22, 10)
    due = add_working_time(received, 16 * H, KOREA)
    assert at(due) == "2026-09-28 Mon 10:00"
    # Waiting from Wed 17:00 to Mon 10:00: one hour on Wednesday, one on Monday.
    started, ended = seoul(2026, 9, 23, 17), seoul(2026, 9, 28, 10)
    assert working_minutes_between(started, ended, KOREA) == 2 * H
    assert at(deadline_after_wait(due, started, ended, KOREA)) == "2026-09-28 Mon 12:00"


def test_a_wait_that_outlasts_the_deadline_resumes_with_the_time_that_was_left():
    due = seoul(2026, 3, 11, 15)  # Wed 15:00
    pushed = deadline_after_wait(due, seoul(2026, 3, 11, 14), seoul(2026, 3, 12, 10), KOREA)
    assert at(pushed) == "2026-03-12 Thu 11:00"  # one hour was left when the wait began


def test_a_wait_that_begins_after_the_deadline_does_not_rescue_a_late_case():
    due = seoul(2026, 3, 11, 15)
    assert deadline_after_wait(due, seoul(2026, 3, 11, 16), seoul(2026, 3, 13, 9), KOREA) == due


def test_a_wait_outside_working_time_changes_nothing():
    due = seoul(2026, 3, 10, 15)
    assert deadline_after_wait(due, seoul(2026, 3, 7, 9), seoul(2026, 3, 8, 20), KOREA) == due


def test_a_deadline_leaves_out_every_finished_wait():
    received = seoul(2026, 3, 9, 9)
    waits = [
        (seoul(2026, 3, 9, 10), seoul(2026, 3, 9, 11)),  # 1 h
        (seoul(2026, 3, 9, 14), seoul(2026, 3, 10, 10)),  # 4 h + 1 h
    ]
    assert at(deadline(received, 8, KOREA)) == "2026-03-09 Mon 18:00"
    assert at(deadline(received, 8, KOREA, waits)) == "2026-03-10 Tue 16:00"
    assert at(deadline(received, 8, CLOCK_HOURS, waits)) == "2026-03-10 Tue 14:00"


# --- Overdue -------------------------------------------------------------------------------

NOW = seoul(2026, 3, 10, 12)
EARLIER, LATER = NOW - timedelta(hours=1), NOW + timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "response_due", "responded_at", "resolution_due", "waiting_since", "overdue"),
    [
        ("received", EARLIER, None, LATER, None, True),  # no first response in time
        ("assigned", LATER, None, LATER, None, False),
        ("in_progress", EARLIER, EARLIER, LATER, None, False),  # responded: only the result
        ("in_progress", EARLIER, EARLIER, EARLIER, None, True),
        ("waiting_caller", EARLIER, EARLIER, EARLIER, EARLIER - timedelta(hours=1), False),
        ("waiting_caller", EARLIER, EARLIER, EARLIER, EARLIER + timedelta(minutes=1), True),
        ("resolved", EARLIER, EARLIER, EARLIER, None, False),  # the result was given
        ("closed", EARLIER, None, EARLIER, None, False),
    ],
)
def test_only_open_cases_past_a_running_deadline_are_overdue(
    status, response_due, responded_at, resolution_due, waiting_since, overdue
):
    assert (
        is_overdue(
            status=status,
            now=NOW,
            response_due=response_due,
            responded_at=responded_at,
            resolution_due=resolution_due,
            waiting_since=waiting_since,
        )
        is overdue
    )


# --- The state machine ---------------------------------------------------------------------


def test_the_state_machine_is_the_one_of_spec_4():
    assert rules.TRANSITIONS == {
        "received": ("assigned", "closed"),
        "assigned": ("in_progress", "closed"),
        "in_progress": ("waiting_caller", "resolved", "closed"),
        "waiting_caller": ("in_progress", "closed"),
        "resolved": ("in_progress", "closed"),
        "closed": (),
    }
    assert set(rules.OPEN_STATUSES) == {"received", "assigned", "in_progress", "waiting_caller"}


MOVES = list(product(rules.STATUSES, rules.STATUSES))


def _conditions_met(current: str, to: str) -> dict:
    """What each move needs to pass its conditions, so only the machine decides."""
    return {
        "assignee_given": to == "assigned",
        "note": "처리 결과를 안내함",
        "reason": "duplicate" if to == "closed" else "",
    }


@pytest.mark.parametrize(("current", "to"), [m for m in MOVES if m[1] in rules.TRANSITIONS[m[0]]])
def test_every_allowed_move_passes(current, to):
    move_check(current, to, **_conditions_met(current, to))


@pytest.mark.parametrize(
    ("current", "to"), [m for m in MOVES if m[1] not in rules.TRANSITIONS[m[0]]]
)
def test_every_other_move_is_refused_naming_the_allowed_ones(current, to):
    with pytest.raises(rules.TransitionRefused) as refused, translation.override("en"):
        move_check(current, to, **_conditions_met(current, to))
    assert refused.value.allowed == rules.TRANSITIONS[current]
    assert refused.value.error_dict["to"][0].code == "invalid_move"
    with translation.override("en"):
        message = rules.transition_refused_message(current, to)
    for allowed in rules.TRANSITIONS[current]:
        assert f"({allowed})" in message
    if current == "closed":
        assert "no move is allowed" in message


def test_an_unknown_target_is_refused_like_any_other_move():
    with pytest.raises(rules.TransitionRefused) as refused:
        move_check("in_progress", "archived", assignee_given=False)
    assert refused.value.allowed == ("waiting_caller", "resolved", "closed")


def codes(excinfo) -> dict[str, str]:
    return {field: errors[0].code for field, errors in excinfo.value.error_dict.items()}


def test_assigning_needs_an_assignee():
    with pytest.raises(ValidationError) as refused:
        move_check("received", "assigned", assignee_given=False)
    assert codes(refused) == {"assignee": "assignee_required"}


@pytest.mark.parametrize("to", ["resolved", "closed"])
def test_an_assignee_cannot_be_given_on_a_move_that_ends_the_work(to):
    with pytest.raises(ValidationError) as refused:
        move_check(
            "in_progress",
            to,
            assignee_given=True,
            note="안내함",
            reason="withdrawn" if to == "closed" else "",
        )
    assert codes(refused) == {"assignee": "not_accepted"}


@pytest.mark.parametrize("to", ["in_progress", "waiting_caller"])
def test_an_open_case_may_change_hands_on_the_way(to):
    current = "assigned" if to == "in_progress" else "in_progress"
    move_check(current, to, assignee_given=True)


def test_resolving_needs_the_reply_given_to_the_caller():
    with pytest.raises(ValidationError) as refused:
        move_check("in_progress", "resolved", assignee_given=False, note="  ")
    assert codes(refused) == {"note": "reply_required"}
    move_check("in_progress", "resolved", assignee_given=False, reply_recorded=True)


@pytest.mark.parametrize("current", rules.OPEN_STATUSES)
def test_closing_an_open_case_needs_a_reason(current):
    with pytest.raises(ValidationError) as refused:
        move_check(current, "closed", assignee_given=False)
    assert codes(refused) == {"reason": "reason_required"}
    for reason in ("duplicate", "withdrawn", "unreachable"):
        move_check(current, "closed", assignee_given=False, reason=reason)


@pytest.mark.parametrize("current", rules.OPEN_STATUSES)
def test_an_open_case_cannot_close_as_resolved(current):
    with pytest.raises(ValidationError) as refused:
        move_check(current, "closed", assignee_given=False, reason="resolved")
    assert codes(refused) == {"reason": "not_resolved"}


def test_a_resolved_case_closes_as_resolved_without_saying_so():
    move_check("resolved", "closed", assignee_given=False)
    assert rules.close_reason_for("resolved", "") == "resolved"
    assert rules.close_reason_for("resolved", "withdrawn") == "withdrawn"
    assert rules.close_reason_for("received", "duplicate") == "duplicate"


def test_closing_for_another_reason_needs_a_note_and_unknown_reasons_are_refused():
    with pytest.raises(ValidationError) as refused:
        move_check("received", "closed", assignee_given=False, reason="other")
    assert codes(refused) == {"note": "note_required"}
    move_check("received", "closed", assignee_given=False, reason="other", note="민원인 요청")
    with pytest.raises(ValidationError) as refused:
        move_check("received", "closed", assignee_given=False, reason="bored")
    assert codes(refused) == {"reason": "invalid_reason"}


def test_a_reason_is_only_given_when_closing():
    with pytest.raises(ValidationError) as refused:
        move_check("assigned", "in_progress", assignee_given=False, reason="duplicate")
    assert codes(refused) == {"reason": "not_accepted"}


def test_reopening_is_the_move_from_resolved_back_to_in_progress():
    assert rules.is_reopening("resolved", "in_progress")
    assert not rules.is_reopening("waiting_caller", "in_progress")


# --- Numbers --------------------------------------------------------------------


def test_case_numbers_read_119_year_serial():
    assert rules.case_number(2026, 1) == "119-2026-000001"
    assert rules.case_number(2026, 123456) == "119-2026-123456"
