"""Moves along the case's state machine (SPEC 4), and handing a case to someone.

Each move locks the case, applies its effects on the deadlines (a wait for the caller does not
count; a reopening gets a fresh result deadline) and writes its timeline entry in the same
transaction.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import rules
from hotline.choices import STATUS_LABELS, EntryKind
from hotline.models import Case, HotlineSettings
from hotline.selectors import hotline_settings_for, work_calendar
from registry.models import User

from .common import assignee_check, case_lock, timeline_entry


@transaction.atomic
def case_transition(
    *,
    case: Case,
    user: User,
    to: str,
    note: str = "",
    assignee: User | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Case:
    """Move a case along the state machine of SPEC 4 and record the move on its timeline.

    A move the machine does not allow raises `rules.TransitionRefused`, naming the allowed
    moves. Assigning needs an assignee; resolving needs the reply given to the caller (the
    note, unless one was recorded before); closing needs a reason. Leaving a wait for the
    caller pushes the deadlines by the working time waited; reopening a resolved case gives
    it a fresh result deadline from the reopening.
    """
    case = case_lock(case)
    rules.move_check(
        case.status,
        to,
        assignee_given=assignee is not None,
        note=note,
        reason=reason,
        reply_recorded=bool(case.reply),
        labels=STATUS_LABELS,
    )
    assignee_check(case.office_id, assignee)
    return move(
        case,
        user,
        to,
        now=at or timezone.now(),
        note=note.strip(),
        assignee=assignee,
        reason=reason,
    )


def move(case: Case, user: User, to: str, *, now, note="", assignee=None, reason="") -> Case:
    """Apply an allowed move to a locked case: its effects, then its timeline entry."""
    current = case.status
    settings = hotline_settings_for(case.office_id)
    calendar = work_calendar(case.office_id, settings)
    move_effects(
        case,
        to,
        now=now,
        note=note,
        assignee=assignee,
        reason=reason,
        settings=settings,
        calendar=calendar,
    )
    case.save()
    timeline_entry(
        case,
        user,
        now,
        EntryKind.STATUS,
        from_status=current,
        to_status=to,
        text=note,
        assignee=assignee,
        reason=case.close_reason if to == rules.CLOSED else "",
    )
    return case


def move_effects(
    case: Case,
    to: str,
    *,
    now: datetime,
    note: str = "",
    assignee: User | None = None,
    reason: str = "",
    settings: HotlineSettings,
    calendar: rules.WorkCalendar,
) -> None:
    """What an allowed move does to the case in memory (deadlines, times, status), unsaved.

    The service saves it with its timeline entry; the demo writes many cases at once.
    """
    current = case.status
    if current == rules.WAITING_CALLER:
        end_wait(case, now, calendar)
    if assignee is not None:
        case.assignee = assignee
    if to == rules.IN_PROGRESS:
        if rules.is_reopening(current, to):
            case.resolved_at = None
            case.reopened_at = now
            case.reopen_count += 1
            case.resolution_due = rules.add_working_time(
                now, timedelta(hours=settings.hours(case.priority)[1]), calendar
            )
        case.responded_at = case.responded_at or now
    elif to == rules.WAITING_CALLER:
        case.waiting_since = now
    elif to == rules.RESOLVED:
        if note:
            case.reply, case.replied_at = note, now
        case.resolved_at = now
        worked = rules.working_time_between(case.received_at, now, calendar) - case.waited
        case.work_minutes_to_resolve = max(worked // timedelta(minutes=1), 0)
    elif to == rules.CLOSED:
        case.closed_at = now
        case.close_reason = rules.close_reason_for(current, reason)
    case.status = to


def end_wait(case: Case, now: datetime, calendar: rules.WorkCalendar) -> None:
    """The caller answered (or the case closes): the wait's working time does not count."""
    started = case.waiting_since
    if started is None:
        return
    if case.responded_at is None:
        case.response_due = rules.deadline_after_wait(case.response_due, started, now, calendar)
    case.resolution_due = rules.deadline_after_wait(case.resolution_due, started, now, calendar)
    case.waited += rules.working_time_between(started, now, calendar)
    case.waiting_since = None


@transaction.atomic
def case_assign(
    *, case: Case, user: User, assignee: User, note: str = "", at: datetime | None = None
) -> Case:
    """Give a case to someone: a received case becomes assigned; an open case changes hands.

    Giving it to whoever holds it already changes nothing. Resolved and closed cases are not
    reassigned (reopen first).
    """
    case = case_lock(case)
    if case.status == rules.RECEIVED:
        return case_transition(
            case=case, user=user, to=rules.ASSIGNED, assignee=assignee, note=note, at=at
        )
    if case.status not in rules.OPEN_STATUSES:
        # The case's own state, not the input: a bulk assignment skips it and goes on.
        raise ValidationError(_("Only an open case can be given to someone else."), code="not_open")
    if case.assignee_id == assignee.pk:
        return case
    assignee_check(case.office_id, assignee)
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    timeline_entry(
        case, user, at or timezone.now(), EntryKind.ASSIGNMENT, assignee=assignee, text=note.strip()
    )
    return case
