"""Work on a case that leaves it where it is on the state machine: referrals to a department,
the reply given to the caller, and notes, each a timeline entry written with the change."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import field_error
from hotline import rules
from hotline.choices import EntryKind
from hotline.models import Case, TimelineEntry
from registry.models import User

from .common import case_lock, timeline_entry


@transaction.atomic
def case_refer(
    *, case: Case, user: User, department: str, note: str = "", at: datetime | None = None
) -> Case:
    """Refer an open case to a department (e.g. 지역경제과) that holds the answer; the case stays
    with its assignee, who follows it up."""
    case = case_lock(case)
    department = (department or "").strip()
    if not department or len(department) > 100:
        raise field_error(
            "department", _("Name the department (at most 100 characters)."), "required"
        )
    if case.status not in rules.OPEN_STATUSES:
        raise field_error("department", _("Only an open case can be referred."), "not_open")
    case.referred_department = department
    case.save(update_fields=["referred_department", "updated_at"])
    timeline_entry(
        case,
        user,
        at or timezone.now(),
        EntryKind.REFERRAL,
        department=department,
        text=note.strip(),
    )
    return case


@transaction.atomic
def case_reply(*, case: Case, user: User, reply: str, at: datetime | None = None) -> Case:
    """Record the reply given to the caller; a first reply is also the first response."""
    case = case_lock(case)
    reply = (reply or "").strip()
    if not reply:
        raise field_error("reply", _("Write the reply given to the caller."), "required")
    if case.status == rules.CLOSED:
        raise field_error("reply", _("The case is closed."), "closed")
    now = at or timezone.now()
    case.reply, case.replied_at = reply, now
    case.responded_at = case.responded_at or now
    case.save(update_fields=["reply", "replied_at", "responded_at", "updated_at"])
    timeline_entry(case, user, now, EntryKind.REPLY, text=reply)
    return case


@transaction.atomic
def case_note(*, case: Case, user: User, text: str, at: datetime | None = None) -> TimelineEntry:
    """Add a note to the timeline (what was found out, who was called)."""
    case = case_lock(case)
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Write the note."), "required")
    return timeline_entry(case, user, at or timezone.now(), EntryKind.NOTE, text=text)
