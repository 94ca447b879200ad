"""The hotline's writes: intake, every move, the stored deadlines, and the timeline beside them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hotline import rules, services
from hotline.models import Case, CaseCounter, TimelineEntry
from hotline.selectors import case_overdue, cases_overdue, with_overdue
from tests.hotline.conftest import intake, seoul
from tests.hotline.factories import ClosedDayFactory, HotlineSettingsFactory
from tests.registry.factories import (
    DesignatedDistrictFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def codes(excinfo) -> dict[str, str]:
    return {field: errors[0].code for field, errors in excinfo.value.error_dict.items()}


def kinds(case) -> list[tuple]:
    return list(case.timeline.values_list("kind", "from_status", "to_status"))


# --- Intake --------------------------------------------------------------------------------


def test_a_case_gets_the_offices_first_number_of_the_year_and_its_deadlines(office, operator):
    case = intake(office, operator, at=seoul(2026, 2, 13, 16))  # Friday before Seollal
    assert case.number == "119-2026-000001"
    assert (case.year, case.serial, case.status) == (2026, 1, "received")
    assert case.response_due == seoul(2026, 2, 19, 16)  # normal: 8 working hours
    assert case.resolution_due == seoul(2026, 2, 20, 16)  # 16 working hours
    assert case.created_by == operator
    assert kinds(case) == [("intake", "", "received")]
    entry = case.timeline.get()
    assert (entry.user, entry.username, entry.at) == (operator, "operator", seoul(2026, 2, 13, 16))


@pytest.mark.parametrize(
    ("priority", "response", "result"),
    [
        ("urgent", seoul(2026, 3, 9, 12), seoul(2026, 3, 9, 18)),
        ("high", seoul(2026, 3, 9, 14), seoul(2026, 3, 10, 18)),
        ("normal", seoul(2026, 3, 9, 18), seoul(2026, 3, 10, 18)),
        ("low", seoul(2026, 3, 10, 18), seoul(2026, 3, 13, 18)),
    ],
)
def test_the_default_deadlines_per_priority(office, operator, priority, response, result):
    case = intake(office, operator, at=seoul(2026, 3, 9, 9), priority=priority)
    assert (case.response_due, case.resolution_due) == (response, result)


def test_the_offices_own_hours_and_closed_days_set_the_deadlines(office, operator):
    HotlineSettingsFactory(office=office, normal_response_hours=2, normal_resolution_hours=4)
    ClosedDayFactory(office=office, day=date(2026, 3, 10))
    case = intake(office, operator, at=seoul(2026, 3, 9, 16))
    assert case.response_due == seoul(2026, 3, 9, 18)
    assert case.resolution_due == seoul(2026, 3, 11, 11)  # Tuesday is the office's closed day


def test_an_office_counting_clock_hours_gets_clock_deadlines(office, operator):
    HotlineSettingsFactory(office=office, clock_hours=True)
    case = intake(office, operator, at=seoul(2026, 2, 13, 16))
    assert case.response_due == seoul(2026, 2, 14, 0)
    assert case.resolution_due == seoul(2026, 2, 14, 8)


def test_a_known_business_number_links_the_store_and_its_district(office, operator, store):
    case = intake(office, operator, business_number="220-81-62517")
    assert case.store == store
    assert case.business_number == "2208162517"
    assert case.district.name == "치평 먹자골목"


def test_an_unregistered_business_number_is_kept_without_a_store(office, operator):
    case = intake(office, operator, business_number="124-81-00998", category="onnuri_registration")
    assert (case.store, case.business_number) == (None, "1248100998")


def test_a_chosen_store_gives_its_number(office, operator, store):
    case = intake(office, operator, store=store)
    assert case.business_number == "2208162517"


def test_the_callers_phone_is_stored_as_digits(office, operator):
    case = intake(office, operator, caller_name=" 김민원 ", caller_phone="010-9876-5432")
    assert (case.caller_name, case.caller_phone) == ("김민원", "01098765432")
    assert case.has_contact


def test_callers_may_stay_anonymous(office, operator):
    case = intake(office, operator)
    assert (case.caller_name, case.caller_phone, case.has_contact) == ("", "", False)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"channel": "fax"}, {"channel": "invalid_choice"}),
        ({"caller_type": "alien"}, {"caller_type": "invalid_choice"}),
        ({"category": "weather"}, {"category": "invalid_choice"}),
        ({"priority": "asap"}, {"priority": "invalid_choice"}),
        ({"description": "   "}, {"description": "required"}),
        ({"caller_phone": "12"}, {"caller_phone": "invalid_phone"}),
        ({"caller_name": "가" * 51}, {"caller_name": "max_length"}),
        ({"business_number": "220-81-62518"}, {"business_number": "invalid_business_number"}),
        (
            {"channel": "fax", "description": ""},
            {"channel": "invalid_choice", "description": "required"},
        ),
    ],
)
def test_bad_intake_input_is_refused_by_field_and_takes_no_number(
    office, operator, overrides, expected
):
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, **overrides)
    assert codes(refused) == expected
    assert not Case.objects.exists()
    assert not CaseCounter.objects.exists()


def test_a_case_cannot_be_received_in_the_future(office, operator):
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, received_at=seoul(2026, 3, 9, 11), at=seoul(2026, 3, 9, 10))
    assert codes(refused) == {"received_at": "in_future"}


def test_another_offices_store_district_or_staff_cannot_be_attached(office, other_office, operator):
    foreign_store = StoreFactory(office=other_office)
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, store=foreign_store)
    assert codes(refused) == {"store": "other_office"}
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, district=DesignatedDistrictFactory(office=other_office))
    assert codes(refused) == {"district": "other_office"}
    stranger = UserFactory(office=other_office, roles=["hotline_operator"])
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, assignee=stranger)
    assert codes(refused) == {"assignee": "not_assignable"}


def test_a_number_that_is_not_the_chosen_stores_is_refused(office, operator, store):
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, store=store, business_number="124-81-00998")
    assert codes(refused) == {"business_number": "store_mismatch"}


def test_staff_without_hotline_work_cannot_be_given_cases(office, operator, clerk):
    with pytest.raises(ValidationError) as refused:
        intake(office, operator, assignee=clerk)
    assert codes(refused) == {"assignee": "not_assignable"}


def test_an_operator_may_take_the_case_at_intake(office, operator):
    case = intake(office, operator, assignee=operator)
    assert (case.status, case.assignee) == ("assigned", operator)
    assert kinds(case) == [("intake", "", "received"), ("status", "received", "assigned")]


def test_numbers_run_per_office_and_per_year_of_receipt(office, other_office, operator):
    other = UserFactory(office=other_office, roles=["hotline_operator"])
    first = intake(office, operator, at=seoul(2026, 3, 9, 10))
    second = intake(office, operator, at=seoul(2026, 3, 9, 11))
    elsewhere = intake(other_office, other, at=seoul(2026, 3, 9, 11))
    late = intake(office, operator, received_at=seoul(2025, 12, 31, 23), at=seoul(2026, 1, 2, 9))
    new_year = intake(office, operator, at=seoul(2027, 1, 4, 9))
    assert [c.number for c in (first, second, elsewhere, late, new_year)] == [
        "119-2026-000001",
        "119-2026-000002",
        "119-2026-000001",
        "119-2025-000001",
        "119-2027-000001",
    ]


def test_the_year_is_seouls_not_utcs(office, operator):
    # 2026-01-01 00:30 in Seoul is still 2025 in UTC.
    case = intake(office, operator, at=seoul(2026, 1, 1, 0, 30))
    assert case.number == "119-2026-000001"


def test_a_failed_intake_gives_its_number_back(office, operator, monkeypatch):
    intake(office, operator)

    def broken(*args, **kwargs):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr("hotline.services.intake.timeline_entry", broken)
    with pytest.raises(RuntimeError):
        intake(office, operator)
    monkeypatch.undo()
    assert intake(office, operator).number == "119-2026-000002"


# --- Moves ---------------------------------------------------------------------------------


def worked(office, operator, status: str, at=None):
    """A case brought to `status` by the usual path (Monday 10:00, minutes apart)."""
    at = at or seoul(2026, 3, 9, 10)
    case = intake(office, operator, at=at)
    path = {
        "received": [],
        "assigned": ["assigned"],
        "in_progress": ["assigned", "in_progress"],
        "waiting_caller": ["assigned", "in_progress", "waiting_caller"],
        "resolved": ["assigned", "in_progress", "resolved"],
        "closed": ["assigned", "in_progress", "resolved", "closed"],
    }[status]
    for step, to in enumerate(path, start=1):
        case = services.case_transition(
            case=case,
            user=operator,
            to=to,
            at=at + timedelta(minutes=step),
            assignee=operator if to == "assigned" else None,
            note="결과를 안내함" if to == "resolved" else "",
        )
    return case


def move_arguments(current: str, to: str, operator) -> dict:
    return {
        "assignee": operator if to == "assigned" else None,
        "note": "안내함" if to in ("resolved",) else "",
        "reason": "duplicate" if to == "closed" and current != "resolved" else "",
    }


ALLOWED = [(a, b) for a in rules.STATUSES for b in rules.TRANSITIONS[a]]
REFUSED = [(a, b) for a in rules.STATUSES for b in rules.STATUSES if b not in rules.TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "to"), ALLOWED)
def test_every_allowed_move_is_made_and_written_to_the_timeline(office, operator, current, to):
    case = worked(office, operator, current)
    before = case.timeline.count()
    moved = services.case_transition(
        case=case,
        user=operator,
        to=to,
        at=seoul(2026, 3, 9, 11),
        **move_arguments(current, to, operator),
    )
    moved.refresh_from_db()
    assert moved.status == to
    entry = moved.timeline.order_by("-at", "-id").first()
    assert moved.timeline.count() == before + 1
    assert (entry.kind, entry.from_status, entry.to_status, entry.user) == (
        "status",
        current,
        to,
        operator,
    )
    assert entry.at == seoul(2026, 3, 9, 11)


@pytest.mark.parametrize(("current", "to"), REFUSED)
def test_every_other_move_is_refused_and_changes_nothing(office, operator, current, to):
    case = worked(office, operator, current)
    before = (case.status, case.timeline.count())
    with pytest.raises(rules.TransitionRefused) as refused:
        services.case_transition(
            case=case, user=operator, to=to, **move_arguments(current, to, operator)
        )
    assert refused.value.allowed == rules.TRANSITIONS[current]
    case.refresh_from_db()
    assert (case.status, case.timeline.count()) == before


def test_assigning_records_who_took_the_case(office, operator, supervisor):
    case = intake(office, operator)
    case = services.case_transition(case=case, user=supervisor, to="assigned", assignee=operator)
    assert case.assignee == operator
    entry = case.timeline.last()
    assert (entry.user, entry.assignee) == (supervisor, operator)


def test_starting_work_is_the_first_response(office, operator):
    case = worked(office, operator, "assigned")
    assert case.responded_at is None
    case = services.case_transition(
        case=case, user=operator, to="in_progress", at=seoul(2026, 3, 9, 11)
    )
    assert case.responded_at == seoul(2026, 3, 9, 11)


def test_resolving_records_the_reply_and_the_working_time_it_took(office, operator):
    case = worked(office, operator, "in_progress", at=seoul(2026, 3, 6, 17))  # Friday 17:00
    case = services.case_transition(
        case=case,
        user=operator,
        to="resolved",
        note="적립 누락분을 정정했습니다.",
        at=seoul(2026, 3, 9, 10),
    )
    assert (case.reply, case.replied_at) == ("적립 누락분을 정정했습니다.", seoul(2026, 3, 9, 10))
    assert case.resolved_at == seoul(2026, 3, 9, 10)
    assert case.work_minutes_to_resolve == 120  # Friday 17–18 and Monday 9–10


def test_resolving_without_any_reply_is_refused(office, operator):
    case = worked(office, operator, "in_progress")
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, user=operator, to="resolved")
    assert codes(refused) == {"note": "reply_required"}
    services.case_reply(case=case, user=operator, reply="처리 방법을 안내함")
    assert services.case_transition(case=case, user=operator, to="resolved").status == "resolved"


def test_closing_keeps_the_reason_and_a_resolved_case_closes_as_resolved(office, operator):
    duplicate = services.case_transition(
        case=intake(office, operator), user=operator, to="closed", reason="duplicate"
    )
    assert (duplicate.status, duplicate.close_reason) == ("closed", "duplicate")
    assert duplicate.timeline.last().reason == "duplicate"
    resolved = worked(office, operator, "resolved")
    closed = services.case_transition(case=resolved, user=operator, to="closed")
    assert closed.close_reason == "resolved" and closed.closed_at is not None


def test_closing_an_open_case_without_a_reason_is_refused(office, operator):
    case = worked(office, operator, "in_progress")
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, user=operator, to="closed")
    assert codes(refused) == {"reason": "reason_required"}


def test_a_move_needs_an_assignee_of_the_office_with_hotline_work(office, operator, clerk):
    case = intake(office, operator)
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, user=operator, to="assigned", assignee=clerk)
    assert codes(refused) == {"assignee": "not_assignable"}


def test_reopening_is_recorded_with_a_fresh_result_deadline(office, operator):
    case = worked(office, operator, "resolved")
    case = services.case_transition(
        case=case, user=operator, to="in_progress", note="다시 연락 옴", at=seoul(2026, 3, 12, 14)
    )
    assert (case.status, case.reopen_count, case.resolved_at) == ("in_progress", 1, None)
    assert case.reopened_at == seoul(2026, 3, 12, 14)
    assert case.resolution_due == seoul(2026, 3, 16, 14)  # 16 working hours from reopening
    entry = case.timeline.last()
    assert (entry.from_status, entry.to_status, entry.text) == (
        "resolved",
        "in_progress",
        "다시 연락 옴",
    )


# --- Waiting for the caller ----------------------------------------------------------------


def test_time_waiting_for_the_caller_across_chuseok_does_not_count(office, operator):
    received = seoul(2026, 9, 22, 10)  # Tuesday before Chuseok
    case = worked(office, operator, "in_progress", at=received)
    assert case.resolution_due == seoul(2026, 9, 28, 10)
    case = services.case_transition(
        case=case, user=operator, to="waiting_caller", at=seoul(2026, 9, 23, 17)
    )
    assert case.waiting_since == seoul(2026, 9, 23, 17)
    case = services.case_transition(
        case=case, user=operator, to="in_progress", at=seoul(2026, 9, 28, 10)
    )
    assert case.waiting_since is None
    assert case.waited == timedelta(hours=2)
    assert case.resolution_due == seoul(2026, 9, 28, 12)


def test_the_first_response_deadline_moves_only_while_no_response_was_given(office, operator):
    case = worked(office, operator, "in_progress")
    response_due = case.response_due
    case = services.case_transition(
        case=case, user=operator, to="waiting_caller", at=seoul(2026, 3, 9, 11)
    )
    case = services.case_transition(
        case=case, user=operator, to="in_progress", at=seoul(2026, 3, 9, 15)
    )
    assert case.response_due == response_due
    assert case.resolution_due == seoul(2026, 3, 11, 14)  # pushed by 3 working hours


def test_closing_a_waiting_case_ends_the_wait(office, operator):
    case = worked(office, operator, "waiting_caller")
    case = services.case_transition(
        case=case, user=operator, to="closed", reason="unreachable", at=seoul(2026, 3, 10, 10)
    )
    assert (case.status, case.waiting_since, case.close_reason) == ("closed", None, "unreachable")


# --- Other work ----------------------------------------------------------------------------


def test_assigning_a_received_case_moves_it_and_an_open_case_changes_hands(
    office, operator, supervisor
):
    case = services.case_assign(case=intake(office, operator), user=supervisor, assignee=operator)
    assert (case.status, case.assignee) == ("assigned", operator)
    case = services.case_transition(case=case, user=operator, to="in_progress")
    case = services.case_assign(case=case, user=supervisor, assignee=supervisor, note="휴가")
    assert (case.status, case.assignee) == ("in_progress", supervisor)
    entry = case.timeline.last()
    assert (entry.kind, entry.assignee, entry.text) == ("assignment", supervisor, "휴가")
    again = services.case_assign(case=case, user=supervisor, assignee=supervisor)
    assert again.timeline.count() == case.timeline.count()


def test_a_finished_case_is_not_reassigned(office, operator, supervisor):
    case = worked(office, operator, "resolved")
    with pytest.raises(ValidationError) as refused:
        services.case_assign(case=case, user=supervisor, assignee=supervisor)
    assert refused.value.code == "not_open"


def test_a_referral_names_the_department_on_the_case_and_the_timeline(office, operator):
    case = worked(office, operator, "in_progress")
    case = services.case_refer(
        case=case, user=operator, department="지역경제과", note="캐시백 담당"
    )
    assert case.referred_department == "지역경제과"
    entry = case.timeline.last()
    assert (entry.kind, entry.department, entry.text) == ("referral", "지역경제과", "캐시백 담당")
    with pytest.raises(ValidationError) as refused:
        services.case_refer(case=case, user=operator, department=" ")
    assert codes(refused) == {"department": "required"}


def test_a_reply_is_recorded_and_counts_as_the_first_response(office, operator):
    case = worked(office, operator, "assigned")
    case = services.case_reply(
        case=case, user=operator, reply="내일 방문 예정", at=seoul(2026, 3, 9, 11)
    )
    assert (case.reply, case.responded_at) == ("내일 방문 예정", seoul(2026, 3, 9, 11))
    assert case.timeline.last().kind == "reply"
    closed = worked(office, operator, "closed")
    with pytest.raises(ValidationError):
        services.case_reply(case=closed, user=operator, reply="늦은 답")


def test_notes_go_on_the_timeline_and_an_empty_note_is_refused(office, operator):
    case = intake(office, operator)
    note = services.case_note(case=case, user=operator, text="상인회장과 통화함")
    assert (note.kind, note.text, note.case) == ("note", "상인회장과 통화함", case)
    with pytest.raises(ValidationError) as refused:
        services.case_note(case=case, user=operator, text="")
    assert codes(refused) == {"text": "required"}


def test_a_new_priority_recomputes_the_deadlines_without_the_waits(office, operator):
    case = worked(office, operator, "in_progress", at=seoul(2026, 3, 9, 9))
    case = services.case_transition(
        case=case, user=operator, to="waiting_caller", at=seoul(2026, 3, 9, 10)
    )
    case = services.case_transition(
        case=case, user=operator, to="in_progress", at=seoul(2026, 3, 9, 11)
    )
    case = services.case_update(case=case, user=operator, priority="urgent")
    assert case.resolution_due == seoul(2026, 3, 10, 10)  # 8 h, the hour waited left out
    assert case.timeline.last().kind == "update"


def test_details_are_corrected_through_the_service_and_named_on_the_timeline(
    office, operator, store
):
    case = intake(office, operator)
    case = services.case_update(
        case=case, user=operator, category="complaint", business_number="2208162517"
    )
    assert (case.category, case.store) == ("complaint", store)
    assert case.timeline.last().kind == "update"
    with pytest.raises(ValidationError) as refused:
        services.case_update(case=case, user=operator, number="119-2026-999999")
    assert refused.value.code == "not_changeable"
    closed = worked(office, operator, "closed")
    with pytest.raises(ValidationError):
        services.case_update(case=closed, user=operator, category="other")


def test_unchanged_details_write_nothing(office, operator):
    case = intake(office, operator)
    services.case_update(case=case, user=operator, category=case.category)
    assert case.timeline.count() == 1


# --- Overdue: the SQL and the rule agree -----------------------------------------------------


def test_the_overdue_flag_of_the_lists_agrees_with_the_rule(office, operator):
    cases = [
        worked(office, operator, status, at=seoul(2026, 3, 2 + day, 10))
        for day, status in enumerate(rules.STATUSES)
    ]
    waiting_late = worked(office, operator, "in_progress", at=seoul(2026, 3, 9, 9))
    waiting_late = services.case_transition(
        case=waiting_late, user=operator, to="waiting_caller", at=seoul(2026, 3, 12, 9)
    )
    cases.append(waiting_late)
    for now in (seoul(2026, 3, 5, 9), seoul(2026, 3, 11, 9), seoul(2026, 3, 30, 9)):
        flags = dict(with_overdue(Case.objects.all(), now).values_list("pk", "overdue"))
        for case in cases:
            case.refresh_from_db()
            assert flags[case.pk] == case_overdue(case, now), (case.status, now)
        assert set(cases_overdue(Case.objects.all(), now).values_list("pk", flat=True)) == {
            pk for pk, late in flags.items() if late
        }


def test_overdue_for_thousands_of_cases_is_one_query(office, operator, django_assert_num_queries):
    intake(office, operator)
    with django_assert_num_queries(1):
        list(with_overdue(Case.objects.all()).values_list("number", "overdue"))


# --- The database keeps the rules even if code would not ---------------------------------------


def test_the_database_refuses_a_duplicate_number_in_an_office(office, operator):
    case = intake(office, operator)
    duplicate = Case.objects.get(pk=case.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "closed"},  # closed without a reason or time
        {"status": "waiting_caller"},  # waiting without its start
        {"status": "resolved"},  # resolved without its time
        {"status": "in_progress"},  # worked on by nobody
        {"channel": "fax"},
        {"caller_phone": "010-1234-5678"},
        {"response_due": seoul(2026, 4, 1)},  # first response after the result
    ],
)
def test_the_database_refuses_a_case_that_breaks_its_rules(office, operator, changes):
    case = intake(office, operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**changes)


def test_the_timeline_has_no_change_or_delete_permission():
    assert TimelineEntry._meta.default_permissions == ("add", "view")


def test_a_corrected_store_brings_its_number_and_district(office, operator, store):
    case = intake(office, operator, business_number="124-81-00998")
    assert (case.store, case.district) == (None, None)
    case = services.case_update(case=case, user=operator, store=store)
    assert (case.business_number, case.district.name) == ("2208162517", "치평 먹자골목")
    case = services.case_update(case=case, user=operator, store=None)
    assert (case.store, case.business_number, case.district) == (None, "", None)


def test_the_database_refuses_a_timeline_entry_with_an_unknown_status(office, operator):
    case = intake(office, operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEntry.objects.filter(case=case).update(to_status="archived")


# --- The access log (SPEC 5) -----------------------------------------------------------------


def access_rows(case) -> list[tuple[str, str]]:
    from registry.models import AccessLog

    rows = AccessLog.objects.filter(model="hotline.Case", object_pk=str(case.pk)).order_by("id")
    return [(row.action, row.detail) for row in rows]


def test_every_change_of_a_case_with_a_caller_is_logged_with_its_timeline_entry(
    office, operator, supervisor
):
    case = intake(office, operator, caller_name="김민원", caller_phone="010-9876-5432")
    services.case_transition(case=case, user=operator, to=rules.ASSIGNED, assignee=operator)
    services.case_note(case=case, user=operator, text="가맹점에 확인 전화")
    services.case_refer(case=case, user=operator, department="지역경제과")
    services.case_reply(case=case, user=operator, reply="다음 주 적립 예정입니다.")
    services.case_update(case=case, user=operator, priority="urgent")
    services.case_assign(case=case, user=supervisor, assignee=supervisor)
    entries = [str(entry.get_kind_display()) for entry in case.timeline.order_by("at", "id")]
    assert access_rows(case) == [("add", entries[0])] + [("change", e) for e in entries[1:]]
    assert len(entries) == 7


def test_an_intake_that_assigns_at_once_logs_the_addition_and_the_assignment(office, operator):
    case = intake(office, operator, caller_phone="010-9876-5432", assignee=operator)
    assert [action for action, _detail in access_rows(case)] == ["add", "change"]


def test_an_anonymous_case_holds_no_personal_data_and_is_not_logged(office, operator):
    case = intake(office, operator)
    services.case_note(case=case, user=operator, text="익명 제보")
    assert access_rows(case) == []


def test_a_refused_move_logs_nothing(office, operator):
    case = intake(office, operator, caller_phone="010-9876-5432")
    with pytest.raises(rules.TransitionRefused):
        services.case_transition(case=case, user=operator, to=rules.RESOLVED)
    assert [action for action, _detail in access_rows(case)] == ["add"]


def test_erasing_a_callers_contact_is_logged_too(office, operator):
    case = intake(office, operator, caller_name="김민원", caller_phone="010-9876-5432")
    services.case_update(case=case, user=operator, caller_name="", caller_phone="")
    assert [action for action, _detail in access_rows(case)] == ["add", "change"]
