"""Every write of the hotline: intake, moves along the state machine, assignments, referrals,
replies, notes and corrections.

Each function owns its transaction, locks the case row (the one entry point is `case_lock`),
writes its timeline entry in the same transaction, and recomputes the stored due instants
whenever what they depend on changes. Numbers come from a per-office, per-year counter row moved
inside the database under its row lock, so concurrent intakes never collide and a failed intake
leaves no gap.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import as_aware, local_date
from core.numbers import brn_normalize, phone_digits, phone_valid
from hotline import rules
from hotline.choices import STATUS_LABELS, CallerType, Category, Channel, EntryKind, Priority
from hotline.models import Case, CaseCounter, ClosedDay, HotlineSettings, TimelineEntry
from hotline.selectors import assignable_users, hotline_settings_for, work_calendar
from registry.models import District, Office, Store, User
from registry.selectors import store_current_membership

# How far ahead of the server's clock a reported receipt time may be (clocks drift).
_CLOCK_SKEW = timedelta(minutes=5)
UPDATABLE = {
    "channel", "caller_type", "caller_name", "caller_phone", "business_number", "store",
    "district", "category", "priority", "description",
}  # fmt: skip


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def case_lock(case: Case) -> Case:
    """Re-read the case under a row lock until the transaction ends."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _entry(case: Case, user, at: datetime, kind: str, **fields) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        at=at,
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        kind=kind,
        **fields,
    )


# --- Checking input --------------------------------------------------------------------------


def _choice(errors: dict, field: str, value: str, choices) -> None:
    if value not in choices.values:
        errors[field] = ValidationError(
            _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)},
            code="invalid_choice",
        )


def _phone(errors: dict, value: str) -> str:
    digits = phone_digits(value)
    if (value or "").strip() and not phone_valid(digits):
        errors["caller_phone"] = ValidationError(
            _("Enter a phone number such as 010-1234-5678 or 062-123-4567."),
            code="invalid_phone",
        )
    return digits


def _store_and_number(
    errors: dict, office: Office, store: Store | None, business_number: str
) -> tuple[Store | None, str]:
    """The related store and the number as the caller gave it; a known number finds its store."""
    digits = ""
    if (business_number or "").strip():
        try:
            digits = brn_normalize(business_number)
        except ValidationError as exc:
            errors["business_number"] = ValidationError(exc.messages[0], code=exc.code)
            return store, ""
    if store is not None:
        if store.office_id != office.pk:
            errors["store"] = ValidationError(
                _("This store belongs to another office."), code="other_office"
            )
        elif digits and digits != store.business_number:
            errors["business_number"] = ValidationError(
                _("The business number is not the chosen store's."), code="store_mismatch"
            )
        return store, digits or store.business_number
    if digits:
        store = Store.objects.filter(office=office, business_number=digits).first()
    return store, digits


def _district(errors: dict, office: Office, district: District | None, store: Store | None):
    if district is not None:
        if district.office_id != office.pk:
            errors["district"] = ValidationError(
                _("This district belongs to another office."), code="other_office"
            )
        return district
    if store is not None:
        membership = store_current_membership(store)
        return membership.district if membership else None
    return None


def _assignee_check(office_id: int, assignee: User | None) -> None:
    if assignee is None:
        return
    if not assignable_users(office_id).filter(pk=assignee.pk).exists():
        raise _error(
            "assignee",
            _("%(user)s cannot take cases of this office.") % {"user": assignee.username},
            "not_assignable",
        )


# --- Intake --------------------------------------------------------------------------------


def _next_serial(office_id: int, year: int) -> int:
    """Take the office's next serial for the year inside the database.

    The upsert locks the counter row until the calling transaction ends: concurrent intakes
    queue behind it and get consecutive numbers, and a rolled-back intake returns its number.
    """
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, year, last_serial) VALUES (%s, %s, 1) "
            f"ON CONFLICT (office_id, year) DO UPDATE SET last_serial = {table}.last_serial + 1 "
            "RETURNING last_serial",
            [office_id, year],
        )
        return cursor.fetchone()[0]


@transaction.atomic
def case_intake(
    *,
    office: Office,
    user,
    channel: str,
    caller_type: str,
    category: str,
    description: str,
    priority: str = Priority.NORMAL,
    caller_name: str = "",
    caller_phone: str = "",
    store: Store | None = None,
    business_number: str = "",
    district: District | None = None,
    received_at: datetime | None = None,
    assignee: User | None = None,
    at: datetime | None = None,
) -> Case:
    """Log a case and give it the office's next number for the year it was received (SPEC 4).

    Its deadlines are the office's hours for the priority from the receipt, in working time
    (or clock hours). A known business number finds the store, and the store its current
    district. With an assignee the case is assigned at once. `at` is when this happens (now).
    """
    now = at or timezone.now()
    errors: dict[str, ValidationError] = {}
    _choice(errors, "channel", channel, Channel)
    _choice(errors, "caller_type", caller_type, CallerType)
    _choice(errors, "category", category, Category)
    _choice(errors, "priority", priority, Priority)
    description = (description or "").strip()
    if not description:
        errors["description"] = ValidationError(
            _("Write down what the caller asks or proposes."), code="required"
        )
    caller_name = (caller_name or "").strip()
    if len(caller_name) > 50:
        errors["caller_name"] = ValidationError(
            _("A name has at most 50 characters."), code="max_length"
        )
    phone = _phone(errors, caller_phone)
    store, digits = _store_and_number(errors, office, store, business_number)
    district = _district(errors, office, district, store)
    received_at = as_aware(received_at) if received_at else now
    if received_at > now + _CLOCK_SKEW:
        errors["received_at"] = ValidationError(
            _("A case cannot be received in the future."), code="in_future"
        )
    if errors:
        raise ValidationError(errors)
    _assignee_check(office.pk, assignee)

    # Everything is decided before the number is taken: the counter's lock is held briefly.
    settings = hotline_settings_for(office)
    calendar = work_calendar(office, settings)
    response_hours, resolution_hours = settings.hours(priority)
    year = local_date(received_at).year
    serial = _next_serial(office.pk, year)
    case = Case.objects.create(
        office=office, number=rules.case_number(year, serial), year=year, serial=serial,
        channel=channel, caller_type=caller_type, caller_name=caller_name, caller_phone=phone,
        business_number=digits, store=store, district=district, category=category,
        priority=priority, description=description, received_at=received_at,
        response_due=rules.deadline(received_at, response_hours, calendar),
        resolution_due=rules.deadline(received_at, resolution_hours, calendar),
        created_by=user if getattr(user, "pk", None) else None,
    )  # fmt: skip
    _entry(case, user, now, EntryKind.INTAKE, to_status=case.status)
    if assignee is not None:
        _move(case, user, rules.ASSIGNED, now=now, assignee=assignee)
    return case


# --- Moves along the state machine ---------------------------------------------------------------


@transaction.atomic
def case_transition(
    *,
    case: Case,
    user,
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
        case.status, to, assignee_given=assignee is not None, note=note, reason=reason,
        reply_recorded=bool(case.reply), labels=STATUS_LABELS,
    )  # fmt: skip
    _assignee_check(case.office_id, assignee)
    return _move(case, user, to, now=at or timezone.now(), note=note.strip(), assignee=assignee,
                 reason=reason)  # fmt: skip


def _move(case: Case, user, to: str, *, now, note="", assignee=None, reason="") -> Case:
    """Apply an allowed move to a locked case: its effects, then its timeline entry."""
    current = case.status
    settings = hotline_settings_for(case.office_id)
    calendar = work_calendar(case.office_id, settings)
    if current == rules.WAITING_CALLER:
        _end_wait(case, now, calendar)
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
    case.save()
    _entry(
        case, user, now, EntryKind.STATUS, from_status=current, to_status=to, text=note,
        assignee=assignee, reason=case.close_reason if to == rules.CLOSED else "",
    )  # fmt: skip
    return case


def _end_wait(case: Case, now: datetime, calendar: rules.WorkCalendar) -> None:
    """The caller answered (or the case closes): the wait's working time does not count."""
    started = case.waiting_since
    if started is None:
        return
    if case.responded_at is None:
        case.response_due = rules.deadline_after_wait(case.response_due, started, now, calendar)
    case.resolution_due = rules.deadline_after_wait(case.resolution_due, started, now, calendar)
    case.waited += rules.working_time_between(started, now, calendar)
    case.waiting_since = None


# --- Other work on a case ------------------------------------------------------------------


@transaction.atomic
def case_assign(
    *, case: Case, user, assignee: User, note: str = "", at: datetime | None = None
) -> Case:
    """Give a case to someone: a received case becomes assigned; an open case changes hands.

    Giving it to whoever holds it already changes nothing. Resolved and closed cases are not
    reassigned (reopen first).
    """
    case = case_lock(case)
    if case.status == rules.RECEIVED:
        return case_transition(case=case, user=user, to=rules.ASSIGNED, assignee=assignee,
                               note=note, at=at)  # fmt: skip
    if case.status not in rules.OPEN_STATUSES:
        # The case's own state, not the input: a bulk assignment skips it and goes on.
        raise ValidationError(_("Only an open case can be given to someone else."), code="not_open")
    if case.assignee_id == assignee.pk:
        return case
    _assignee_check(case.office_id, assignee)
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    _entry(case, user, at or timezone.now(), EntryKind.ASSIGNMENT, assignee=assignee,
           text=note.strip())  # fmt: skip
    return case


@transaction.atomic
def case_refer(
    *, case: Case, user, department: str, note: str = "", at: datetime | None = None
) -> Case:
    """Refer an open case to a department (e.g. 지역경제과) that holds the answer; the case stays
    with its assignee, who follows it up."""
    case = case_lock(case)
    department = (department or "").strip()
    if not department or len(department) > 100:
        raise _error("department", _("Name the department (at most 100 characters)."),
                     "required")  # fmt: skip
    if case.status not in rules.OPEN_STATUSES:
        raise _error("department", _("Only an open case can be referred."), "not_open")
    case.referred_department = department
    case.save(update_fields=["referred_department", "updated_at"])
    _entry(case, user, at or timezone.now(), EntryKind.REFERRAL, department=department,
           text=note.strip())  # fmt: skip
    return case


@transaction.atomic
def case_reply(*, case: Case, user, reply: str, at: datetime | None = None) -> Case:
    """Record the reply given to the caller; a first reply is also the first response."""
    case = case_lock(case)
    reply = (reply or "").strip()
    if not reply:
        raise _error("reply", _("Write the reply given to the caller."), "required")
    if case.status == rules.CLOSED:
        raise _error("reply", _("The case is closed."), "closed")
    now = at or timezone.now()
    case.reply, case.replied_at = reply, now
    case.responded_at = case.responded_at or now
    case.save(update_fields=["reply", "replied_at", "responded_at", "updated_at"])
    _entry(case, user, now, EntryKind.REPLY, text=reply)
    return case


@transaction.atomic
def case_note(*, case: Case, user, text: str, at: datetime | None = None) -> TimelineEntry:
    """Add a note to the timeline (what was found out, who was called)."""
    case = case_lock(case)
    text = (text or "").strip()
    if not text:
        raise _error("text", _("Write the note."), "required")
    return _entry(case, user, at or timezone.now(), EntryKind.NOTE, text=text)


@transaction.atomic
def case_update(*, case: Case, user, at: datetime | None = None, **changes) -> Case:
    """Correct a case's details while it is not closed; the timeline names what changed.

    A new priority recomputes the deadlines from the receipt (from the last reopening for the
    result) with the office's current hours, still not counting the waits for the caller.
    """
    case = case_lock(case)
    if case.status == rules.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."), code="closed")
    changes = _details_checked(case, changes)
    changed = [f for f, v in changes.items() if getattr(case, f) != v]
    if not changed:
        return case
    for field in changed:
        setattr(case, field, changes[field])
    if "priority" in changed:
        _deadlines_recompute(case)
    case.save()
    labels = ", ".join(str(Case._meta.get_field(f).verbose_name) for f in sorted(changed))
    _entry(case, user, at or timezone.now(), EntryKind.UPDATE, text=labels)
    return case


def _details_checked(case: Case, changes: dict) -> dict:
    """The corrections as the case will hold them, or a refusal naming every bad field."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    errors: dict[str, ValidationError] = {}
    for field, choices in (("channel", Channel), ("caller_type", CallerType),
                           ("category", Category), ("priority", Priority)):  # fmt: skip
        if field in changes:
            _choice(errors, field, changes[field], choices)
    if "caller_phone" in changes:
        changes["caller_phone"] = _phone(errors, changes["caller_phone"])
    if "caller_name" in changes:
        changes["caller_name"] = (changes["caller_name"] or "").strip()[:50]
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
        if not changes["description"]:
            errors["description"] = ValidationError(_("Write the description."), code="required")
    if "store" in changes or "business_number" in changes:
        # A new number finds its store; a new store brings its number and, unless a district
        # is given, its district; number and store must agree.
        store, digits = _store_and_number(
            errors, case.office, changes.get("store"), changes.get("business_number", "")
        )
        changes["store"], changes["business_number"] = store, digits
        changes.setdefault("district", None)
    if "district" in changes:
        changes["district"] = _district(errors, case.office, changes["district"],
                                        changes.get("store", case.store))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return changes


def _deadlines_recompute(case: Case) -> None:
    settings = hotline_settings_for(case.office_id)
    calendar = work_calendar(case.office_id, settings)
    response_hours, resolution_hours = settings.hours(case.priority)
    waits = case_waits(case)
    case.response_due = rules.deadline(case.received_at, response_hours, calendar, waits)
    case.resolution_due = rules.deadline(
        case.reopened_at or case.received_at, resolution_hours, calendar, waits
    )


def case_waits(case: Case) -> list[tuple[datetime, datetime]]:
    """The finished waits for the caller, from the timeline's status changes."""
    waits, started = [], None
    for from_status, to_status, at in case.timeline.filter(kind=EntryKind.STATUS).values_list(
        "from_status", "to_status", "at"
    ):
        if to_status == rules.WAITING_CALLER:
            started = at
        elif from_status == rules.WAITING_CALLER and started is not None:
            waits.append((started, at))
            started = None
    return waits


# --- The office's settings ----------------------------------------------------------------------

SETTINGS_FIELDS = {
    f"{priority}_{kind}_hours"
    for priority in rules.PRIORITIES
    for kind in ("response", "resolution")
} | {"clock_hours"}


@transaction.atomic
def hotline_settings_save(*, office: Office, user, **values) -> HotlineSettings:
    """Set the office's deadlines per priority and whether clock hours count.

    Cases already received keep the deadlines they were promised; new cases get the new ones.
    """
    unknown = set(values) - SETTINGS_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    settings = HotlineSettings.objects.select_for_update().filter(
        office=office
    ).first() or HotlineSettings(office=office)
    for field, value in values.items():
        setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def closed_day_save(*, office: Office, user, day, name: str = "", closed_day=None) -> ClosedDay:
    """Add a day the office is closed (or correct one); deadlines computed from now on skip it."""
    closed_day = closed_day or ClosedDay(office=office)
    if closed_day.office_id != office.pk:
        raise _error("day", _("This closed day belongs to another office."), "other_office")
    closed_day.day, closed_day.name = day, (name or "").strip()
    closed_day.full_clean()
    closed_day.save()
    return closed_day
