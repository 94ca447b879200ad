"""The supervisors' admin: overdue flags and filters, bulk assignment, the timeline, the moves."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hotline import services
from hotline.models import Case, ClosedDay, HotlineSettings
from registry.models import AccessLog
from tests.hotline.conftest import intake, seoul
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:hotline_case_changelist")


def url(name: str, case: Case) -> str:
    return reverse(f"admin:hotline_case_{name}", args=[case.pk])


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def cases(office, operator):
    """An overdue case from March, a fresh one, and a closed one."""
    late = intake(
        office, operator, at=seoul(2026, 3, 9, 10), caller_name="김민원", caller_phone="01098765432"
    )
    fresh = intake(office, operator, at=seoul(2030, 1, 7, 9), category="complaint")
    closed = services.case_transition(
        case=intake(office, operator), user=operator, to="closed", reason="duplicate"
    )
    return late, fresh, closed


def numbers(response) -> list[str]:
    return [case.number for case in response.context["cl"].result_list]


def test_the_list_flags_overdue_cases_and_puts_them_first(supervisor_client, cases):
    late, fresh, closed = cases
    response = supervisor_client.get(CHANGELIST)
    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert rows[0].number == late.number
    assert {c.number: c.overdue for c in rows} == {
        late.number: True,
        fresh.number: False,
        closed.number: False,
    }
    assert response.content.decode().count('class="golmok-overdue golmok-badge">기한 초과<') == 1


def test_the_list_filters_overdue_open_assignee_and_status(
    supervisor_client, cases, operator, supervisor
):
    late, fresh, closed = cases
    services.case_assign(case=fresh, user=supervisor, assignee=supervisor)
    assert numbers(supervisor_client.get(CHANGELIST, {"overdue": "yes"})) == [late.number]
    assert set(numbers(supervisor_client.get(CHANGELIST, {"overdue": "no"}))) == {
        fresh.number,
        closed.number,
    }
    assert set(numbers(supervisor_client.get(CHANGELIST, {"open": "yes"}))) == {
        late.number,
        fresh.number,
    }
    assert numbers(supervisor_client.get(CHANGELIST, {"assignee": "me"})) == [fresh.number]
    assert set(numbers(supervisor_client.get(CHANGELIST, {"assignee": "none"}))) == {
        late.number,
        closed.number,
    }
    assert numbers(supervisor_client.get(CHANGELIST, {"status__exact": "closed"})) == [
        closed.number
    ]
    assert numbers(supervisor_client.get(CHANGELIST, {"q": late.number})) == [late.number]


def test_the_list_takes_a_bounded_number_of_queries(
    supervisor_client, office, operator, django_assert_max_num_queries
):
    for _ in range(40):
        intake(office, operator)
    with django_assert_max_num_queries(20):
        supervisor_client.get(CHANGELIST)


def test_a_supervisor_sees_callers_masked_and_an_operator_sees_them_logged(
    client, supervisor, operator, cases
):
    late = cases[0]
    client.force_login(supervisor)
    assert "김*원 010-****-5432" in client.get(CHANGELIST).content.decode()
    assert not AccessLog.objects.filter(action="view").exists()  # the intake logged its add
    client.force_login(operator)
    assert "김민원 010-9876-5432" in client.get(CHANGELIST).content.decode()
    assert AccessLog.objects.filter(action="view", object_pk=str(late.pk)).count() == 1
    page = client.get(url("change", late)).content.decode()
    assert 'value="01098765432"' in page
    assert AccessLog.objects.filter(action="view", object_pk=str(late.pk)).count() == 2


def test_the_change_page_shows_the_timeline_and_a_button_per_allowed_move(
    supervisor_client, cases, operator
):
    late = cases[0]
    services.case_note(case=late, user=operator, text="가맹점 확인 중")
    response = supervisor_client.get(url("change", late))
    assert response.status_code == 200
    html = response.content.decode()
    assert "가맹점 확인 중" in html
    assert f"{url('move', late)}?to=assigned" in html
    assert f"{url('move', late)}?to=closed" in html
    assert "?to=resolved" not in html
    assert url("note", late) in html and url("refer", late) in html


def test_adding_a_case_in_the_admin_leads_to_the_intake_page(client, operator):
    client.force_login(operator)
    response = client.get(reverse("admin:hotline_case_add"))
    assert response.status_code == 302 and response["Location"] == reverse("hotline:intake")


def test_a_move_is_made_from_its_page_through_the_service(supervisor_client, cases, operator):
    late = cases[0]
    page = supervisor_client.get(url("move", late) + "?to=assigned")
    assert page.status_code == 200 and "assignee" in page.context["form"].fields
    response = supervisor_client.post(
        url("move", late) + "?to=assigned", {"assignee": operator.pk, "note": "담당 지정"}
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.status, late.assignee) == ("assigned", operator)
    assert late.timeline.last().text == "담당 지정"


def test_closing_from_the_admin_needs_a_reason(supervisor_client, cases):
    late = cases[0]
    response = supervisor_client.post(url("move", late) + "?to=closed", {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    late.refresh_from_db()
    assert late.status == "received"


def test_a_move_the_machine_does_not_allow_is_refused_with_the_allowed_ones(
    supervisor_client, cases
):
    late = cases[0]
    response = supervisor_client.get(url("move", late) + "?to=resolved")
    assert response.status_code == 302
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "(assigned)" in message and "(closed)" in message


def test_notes_referrals_and_replies_from_the_admin(supervisor_client, cases):
    late = cases[0]
    assert supervisor_client.post(url("note", late), {"text": "통화 완료"}).status_code == 302
    assert (
        supervisor_client.post(
            url("refer", late), {"department": "지역경제과", "note": ""}
        ).status_code
        == 302
    )
    assert supervisor_client.post(url("reply", late), {"reply": "안내함"}).status_code == 302
    late.refresh_from_db()
    assert (late.referred_department, late.reply) == ("지역경제과", "안내함")
    assert list(late.timeline.values_list("kind", flat=True)) == [
        "intake",
        "note",
        "referral",
        "reply",
    ]


def test_changing_the_priority_in_the_admin_recomputes_the_deadlines(supervisor_client, cases):
    fresh = cases[1]
    form = {
        "channel": fresh.channel,
        "caller_type": fresh.caller_type,
        "caller_name": "",
        "caller_phone": "",
        "store": "",
        "district": "",
        "category": fresh.category,
        "priority": "urgent",
        "description": fresh.description,
        "timeline-TOTAL_FORMS": "0",
        "timeline-INITIAL_FORMS": "1",
        "timeline-MIN_NUM_FORMS": "0",
        "timeline-MAX_NUM_FORMS": "1000",
    }
    response = supervisor_client.post(url("change", fresh), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh.refresh_from_db()
    assert fresh.priority == "urgent"
    assert fresh.resolution_due == seoul(2030, 1, 7, 18)
    assert fresh.timeline.filter(kind="update", user__username="supervisor").exists()


def test_a_closed_case_is_read_only(supervisor_client, cases):
    closed = cases[2]
    response = supervisor_client.get(url("change", closed))
    assert "priority" not in response.context["adminform"].form.fields
    assert "?to=" not in response.content.decode()


def test_bulk_assignment_gives_the_selected_cases_to_one_person(supervisor_client, cases, operator):
    late, fresh, closed = cases
    selected = {"action": "assign_selected", "_selected_action": [late.pk, fresh.pk, closed.pk]}
    page = supervisor_client.post(CHANGELIST, selected)
    assert page.status_code == 200
    assert set(page.context["form"].fields["assignee"].queryset) >= {operator}
    response = supervisor_client.post(
        CHANGELIST, {**selected, "apply": "1", "assignee": operator.pk, "note": ""}
    )
    assert response.status_code == 302
    assert set(Case.objects.filter(assignee=operator).values_list("number", flat=True)) == {
        late.number,
        fresh.number,
    }
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(closed.number in m for m in messages)  # the closed one is named, not assigned


def test_operators_do_not_have_the_bulk_assignment(client, operator, cases):
    client.force_login(operator)
    response = client.get(CHANGELIST)
    assert "assign_selected" not in response.content.decode()


def test_another_offices_cases_are_out_of_reach(client, other_office, cases):
    client.force_login(UserFactory(office=other_office, roles=["supervisor"]))
    assert numbers(client.get(CHANGELIST)) == []
    assert client.get(url("change", cases[0])).status_code in (302, 404)
    assert client.get(url("move", cases[0]) + "?to=assigned").status_code == 404


def test_a_supervisor_sets_the_offices_hours_and_closed_days(supervisor_client, office):
    response = supervisor_client.post(
        reverse("admin:hotline_hotlinesettings_add"),
        {
            "clock_hours": "",
            "urgent_response_hours": 2,
            "urgent_resolution_hours": 6,
            "high_response_hours": 4,
            "high_resolution_hours": 16,
            "normal_response_hours": 8,
            "normal_resolution_hours": 16,
            "low_response_hours": 16,
            "low_resolution_hours": 40,
        },
    )
    assert response.status_code == 302
    assert HotlineSettings.objects.get(office=office).hours("urgent") == (2, 6)
    response = supervisor_client.post(
        reverse("admin:hotline_closedday_add"), {"day": "2026-05-15", "name": "구청 개청 기념일"}
    )
    assert response.status_code == 302
    assert ClosedDay.objects.get(office=office).day == date(2026, 5, 15)


def test_a_first_response_due_after_the_result_is_refused(supervisor_client, office):
    response = supervisor_client.post(
        reverse("admin:hotline_hotlinesettings_add"),
        {
            "urgent_response_hours": 9,
            "urgent_resolution_hours": 8,
            "high_response_hours": 4,
            "high_resolution_hours": 16,
            "normal_response_hours": 8,
            "normal_resolution_hours": 16,
            "low_response_hours": 16,
            "low_resolution_hours": 40,
        },
    )
    assert response.status_code == 200
    assert not HotlineSettings.objects.exists()


def test_a_superuser_sees_the_office_of_a_case_but_cannot_move_it_elsewhere(
    client, superuser, cases
):
    client.force_login(superuser)
    response = client.get(url("change", cases[0]))
    assert response.status_code == 200
    assert "office" not in response.context["adminform"].form.fields
    assert "광주광역시 서구" in response.content.decode()
