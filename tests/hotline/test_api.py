"""The hotline API of SPEC 4: paths, fields, status codes, office walls, masks and the log."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hotline import services
from hotline.models import Case
from registry.models import AccessLog
from tests.hotline.conftest import intake, seoul
from tests.registry.api_support import api_for, queries_for, staff
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/hotline/cases/"
CALL = {
    "office": "29140",
    "channel": "phone",
    "caller_type": "merchant",
    "caller_name": "김민원",
    "caller_phone": "010-9876-5432",
    "category": "payment_refused",
    "priority": "high",
    "description": "가게에서 온누리 모바일 상품권을 받지 않음",
    "business_number": "220-81-62517",
    "received_at": "2026-03-09T10:00:00",
}
CASE_FIELDS = {
    "number",
    "office",
    "status",
    "channel",
    "caller_type",
    "caller_name",
    "caller_phone",
    "business_number",
    "store",
    "district",
    "category",
    "priority",
    "description",
    "assignee",
    "referred_department",
    "reply",
    "replied_at",
    "received_at",
    "response_due",
    "resolution_due",
    "responded_at",
    "resolved_at",
    "closed_at",
    "close_reason",
    "reopen_count",
    "overdue",
    "allowed_moves",
    "contacts_masked",
    "created_at",
    "updated_at",
}


@pytest.fixture
def operator_api(operator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=operator).key}")
    return client


@pytest.fixture
def supervisor_api(supervisor):
    return api_for(supervisor)


@pytest.fixture
def case(office, operator):
    return intake(office, operator, caller_name="김민원", caller_phone="01098765432")


def url(case_or_number, action: str = "") -> str:
    number = getattr(case_or_number, "number", case_or_number)
    return f"{BASE}{number}/" + (f"{action}/" if action else "")


# --- Creating --------------------------------------------------------------------------------


def test_an_operator_logs_a_case_and_gets_its_number_and_deadlines(operator_api, store):
    response = operator_api.post(BASE, CALL, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == CASE_FIELDS | {"timeline"}
    assert body["number"] == "119-2026-000001"  # the year it was received
    assert body["status"] == "received"
    assert body["response_due"] == "2026-03-09T15:00:00+09:00"  # high: 4 working hours
    assert body["resolution_due"] == "2026-03-11T10:00:00+09:00"  # 16 working hours
    assert body["overdue"] is True  # received in March 2026, nobody has answered since
    assert body["store"] == {
        "id": store.pk,
        "trade_name": "치평 골목식당",
        "business_number": "220-81-62517",
    }
    assert body["district"]["name"] == "치평 먹자골목"
    assert body["business_number"] == "220-81-62517"
    assert (body["caller_name"], body["caller_phone"]) == ("김민원", "010-9876-5432")
    assert body["allowed_moves"] == ["assigned", "closed"]
    assert [e["kind"] for e in body["timeline"]] == ["intake"]
    assert body["timeline"][0]["user"] == "operator"
    assert AccessLog.objects.filter(action="add", model="hotline.Case").count() == 1


def test_only_the_spec_fields_are_needed_and_the_rest_defaults(operator_api, office):
    response = operator_api.post(
        BASE,
        {
            "channel": "text",
            "caller_type": "resident",
            "category": "policy_proposal",
            "description": "골목 주차 안내판 설치 제안",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["office"], body["priority"], body["caller_name"]) == ("29140", "normal", "")
    case = Case.objects.get(number=body["number"])
    assert abs((case.received_at - timezone.now()).total_seconds()) < 60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"category": "weather"}, "category"),
        ({"description": ""}, "description"),
        ({"business_number": "220-81-62518"}, "business_number"),
        ({"caller_phone": "123"}, "caller_phone"),
        ({"received_at": "next tuesday"}, "received_at"),
        ({"received_at": "0001-01-01T00:00:00"}, "received_at"),
        ({"office": "29110"}, "office"),
        ({"office": "99999"}, "office"),
        ({"status": "closed"}, "status"),  # not a field one may set
    ],
)
def test_bad_input_is_a_400_keyed_by_field_and_writes_nothing(
    operator_api, other_office, changes, field
):
    response = operator_api.post(BASE, {**CALL, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_a_superuser_files_into_the_office_named_by_code(superuser, office, other_office):
    response = api_for(superuser).post(BASE, {**CALL, "office": "29110"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["office"] == "29110"


@pytest.mark.parametrize(
    ("roles", "code"), [([], 403), (["clerk"], 403), (["auditor"], 403), (["supervisor"], 403)]
)
def test_only_operators_log_cases(office, roles, code):
    assert api_for(staff(office, *roles)).post(BASE, CALL, format="json").status_code == code


def test_anonymous_clients_are_turned_away():
    assert APIClient().get(BASE).status_code in (401, 403)


# --- Reading ---------------------------------------------------------------------------------


def test_a_case_is_read_with_its_timeline_and_the_reading_is_logged(operator_api, case):
    services.case_note(case=case, user=case.created_by, text="가맹점에 확인 전화함")
    response = operator_api.get(url(case))
    assert response.status_code == 200
    body = response.json()
    assert [e["kind"] for e in body["timeline"]] == ["intake", "note"]
    assert body["timeline"][1]["text"] == "가맹점에 확인 전화함"
    assert body["caller_phone"] == "010-9876-5432" and body["contacts_masked"] is False
    log = AccessLog.objects.get(action="view", model="hotline.Case")
    assert log.object_pk == str(case.pk)


def test_a_supervisor_sees_the_caller_masked_and_the_view_is_logged_as_masked(supervisor_api, case):
    body = supervisor_api.get(url(case)).json()
    assert (body["caller_name"], body["caller_phone"]) == ("김*원", "010-****-5432")
    assert body["contacts_masked"] is True
    (log,) = AccessLog.objects.filter(action="view")
    assert (log.object_pk, log.detail) == (str(case.pk), "API, 개인정보 가림")


def test_another_offices_case_is_not_found(other_office, case):
    stranger = api_for(staff(other_office, "hotline_operator"))
    assert stranger.get(url(case)).status_code == 404
    assert (
        stranger.post(
            url(case, "transition"), {"to": "closed", "reason": "duplicate"}, format="json"
        ).status_code
        == 404
    )
    assert stranger.get(BASE).json()["results"] == []


def test_an_unknown_number_is_a_404(operator_api):
    assert operator_api.get(url("119-2026-999999")).status_code == 404


def test_a_superuser_names_the_office_when_a_number_exists_twice(superuser, case, other_office):
    intake(other_office, UserFactory(office=other_office, roles=["hotline_operator"]))
    client = api_for(superuser)
    response = client.get(url(case))
    assert response.status_code == 400 and "office" in response.json()
    response = client.get(url(case), {"office": "29110"})
    assert (response.status_code, response.json()["office"]) == (200, "29110")


def test_an_auditor_reads_but_cannot_move_or_annotate_a_case(office, case):
    auditor = api_for(staff(office, "auditor"))
    assert auditor.get(url(case)).status_code == 200
    response = auditor.post(
        url(case, "transition"), {"to": "closed", "reason": "duplicate"}, format="json"
    )
    assert response.status_code == 403
    assert auditor.post(url(case, "notes"), {"text": "x"}, format="json").status_code == 403
    case.refresh_from_db()
    assert (case.status, case.timeline.count()) == ("received", 1)


def test_a_case_with_a_long_timeline_is_read_in_a_few_queries(
    operator_api, case, operator, django_assert_max_num_queries
):
    for n in range(10):
        services.case_note(case=case, user=operator, text=f"메모 {n}")
    with django_assert_max_num_queries(8):
        response = operator_api.get(url(case))
    assert len(response.json()["timeline"]) == 11


def test_the_list_filters_by_status_category_priority_overdue_and_assignee(
    operator_api, office, operator, supervisor
):
    now = timezone.now()
    fresh = intake(office, operator, at=now, priority="low", category="complaint")
    late = intake(office, operator, at=seoul(2026, 3, 9, 10), category="cashback")
    mine = services.case_assign(
        case=intake(office, operator, at=now), user=supervisor, assignee=operator
    )
    services.case_transition(case=late, user=operator, to="closed", reason="duplicate")
    late_open = intake(office, operator, at=seoul(2026, 3, 9, 11), priority="urgent")

    def numbers(**params):
        response = operator_api.get(BASE, params)
        assert response.status_code == 200, response.json()
        return {row["number"] for row in response.json()["results"]}

    assert numbers(status="closed") == {late.number}
    assert numbers(status=["received", "assigned"]) == {fresh.number, mine.number, late_open.number}
    assert numbers(category="complaint") == {fresh.number}
    assert numbers(priority="urgent") == {late_open.number}
    assert numbers(overdue="true") == {late_open.number}
    assert late_open.number not in numbers(overdue="false")
    assert numbers(assignee="me") == {mine.number}
    assert numbers(assignee="operator") == {mine.number}
    assert numbers(assignee="none") == {fresh.number, late.number, late_open.number}


def test_the_list_takes_a_constant_number_of_queries(operator_api, office, operator, store):
    for _ in range(3):
        intake(office, operator, store=store, caller_name="홍길동")
    few, _response = queries_for(operator_api, BASE)
    for _ in range(12):
        intake(office, operator, store=store, caller_name="홍길동")
    many, response = queries_for(operator_api, BASE)
    assert len(response.json()["results"]) == 15
    assert many == few
    assert AccessLog.objects.filter(action="view").count() == 18


# --- Moving ------------------------------------------------------------------------------------


def test_a_case_is_assigned_worked_resolved_and_closed_through_the_api(operator_api, case):
    steps = [
        ({"to": "assigned", "assignee": "operator"}, "assigned"),
        ({"to": "in_progress", "note": "가맹점주와 통화"}, "in_progress"),
        ({"to": "waiting_caller", "note": "영수증 사진 요청"}, "waiting_caller"),
        ({"to": "in_progress"}, "in_progress"),
        (
            {"to": "resolved", "note": "가맹점에 결제 거부 금지를 안내하고 결과를 회신함"},
            "resolved",
        ),
        ({"to": "closed", "reason": "resolved"}, "closed"),
    ]
    for body, status in steps:
        response = operator_api.post(url(case, "transition"), body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status
    body = response.json()
    assert body["reply"].startswith("가맹점에 결제 거부")
    assert body["close_reason"] == "resolved" and body["allowed_moves"] == []
    assert [e["to_status"] for e in body["timeline"][1:]] == [s for _b, s in steps]
    assert body["timeline"][1]["assignee"] == "operator"


def test_a_move_the_machine_does_not_allow_is_a_400_naming_the_allowed_moves(operator_api, case):
    response = operator_api.post(
        url(case, "transition"), {"to": "resolved", "note": "x"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["allowed"] == ["assigned", "closed"]
    assert body["code"] == "invalid_move"
    assert "(assigned)" in body["to"][0] and "(closed)" in body["to"][0]


@pytest.mark.parametrize("to", ["archived", "", "received"])
def test_an_unknown_or_empty_status_is_refused_with_the_allowed_moves(operator_api, case, to):
    response = operator_api.post(url(case, "transition"), {"to": to}, format="json")
    assert (response.status_code, response.json()["allowed"]) == (400, ["assigned", "closed"])


def test_a_closed_case_allows_no_move_at_all(operator_api, case, operator):
    services.case_transition(case=case, user=operator, to="closed", reason="withdrawn")
    response = operator_api.post(url(case, "transition"), {"to": "in_progress"}, format="json")
    assert (response.status_code, response.json()["allowed"]) == (400, [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "assigned"}, "assignee"),
        ({"to": "assigned", "assignee": "nobody"}, "assignee"),
        ({"to": "closed"}, "reason"),
        ({"to": "closed", "reason": "resolved"}, "reason"),
        ({"to": "closed", "reason": "duplicate", "extra": 1}, "extra"),
    ],
)
def test_a_move_missing_what_it_needs_is_a_400_on_that_field(operator_api, case, body, field):
    response = operator_api.post(url(case, "transition"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    case.refresh_from_db()
    assert case.status == "received"


def test_a_case_cannot_be_given_to_another_offices_staff(operator_api, case, other_office):
    UserFactory(username="donggu", office=other_office, roles=["hotline_operator"])
    response = operator_api.post(
        url(case, "transition"), {"to": "assigned", "assignee": "donggu"}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()


def test_moves_of_a_case_with_a_caller_are_access_logged(operator_api, case):
    operator_api.post(
        url(case, "transition"), {"to": "closed", "reason": "duplicate"}, format="json"
    )
    assert AccessLog.objects.filter(action="change", object_pk=str(case.pk)).count() == 1


def test_notes_assignments_referrals_and_replies(operator_api, case, supervisor):
    response = operator_api.post(url(case, "notes"), {"text": "상인회에 문의"}, format="json")
    assert response.status_code == 201
    response = operator_api.post(url(case, "assign"), {"assignee": supervisor.pk}, format="json")
    assert (response.status_code, response.json()["assignee"]["username"]) == (200, "supervisor")
    response = operator_api.post(url(case, "refer"), {"department": "지역경제과"}, format="json")
    assert response.json()["referred_department"] == "지역경제과"
    response = operator_api.post(url(case, "reply"), {"reply": "담당 부서로 이관함"}, format="json")
    body = response.json()
    assert body["reply"] == "담당 부서로 이관함" and body["responded_at"] is not None
    assert [e["kind"] for e in body["timeline"]] == [
        "intake",
        "note",
        "status",
        "referral",
        "reply",
    ]
    assert operator_api.post(url(case, "notes"), {"text": ""}, format="json").status_code == 400


def test_the_schema_describes_the_hotline_operations():
    paths = api_for().get("/api/schema/", {"format": "json"}).json()["paths"]
    for path, method in [
        ("/api/v1/hotline/cases/", "get"),
        ("/api/v1/hotline/cases/", "post"),
        ("/api/v1/hotline/cases/{number}/", "get"),
        ("/api/v1/hotline/cases/{number}/transition/", "post"),
    ]:
        assert paths[path][method].get("summary"), (path, method)
    filters = {p["name"] for p in paths["/api/v1/hotline/cases/"]["get"]["parameters"]}
    assert {"status", "category", "priority", "overdue", "assignee"} <= filters
