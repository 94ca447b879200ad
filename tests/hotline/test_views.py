"""The operator's pages: intake, the store search behind it, and the queue."""

import pytest
from django.urls import reverse

from hotline import services
from hotline.models import Case
from registry.models import AccessLog
from tests.hotline.conftest import intake, seoul
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
INTAKE = reverse("hotline:intake")
QUEUE = reverse("hotline:queue")
SEARCH = reverse("hotline:store_search")
FORM = {
    "channel": "phone",
    "caller_type": "merchant",
    "store_query": "",
    "store": "",
    "caller_name": "김민원",
    "caller_phone": "010-9876-5432",
    "category": "cashback",
    "priority": "normal",
    "description": "캐시백 적립 문의",
}


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_the_intake_page_starts_on_the_usual_answers_with_the_store_search_focused(
    operator_client,
):
    response = operator_client.get(INTAKE)
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["channel"].value(), form["caller_type"].value(), form["priority"].value()) == (
        "phone",
        "merchant",
        "normal",
    )
    html = response.content.decode()
    assert 'role="combobox"' in html and "autofocus" in html
    assert "hotline/intake.js" in html and "cdn" not in html.lower()
    assert "office" not in form.fields


def test_logging_a_case_shows_its_number_at_once_on_a_fresh_form(operator_client, store, office):
    response = operator_client.post(
        INTAKE, {**FORM, "store": store.pk, "store_query": "치평 골목식당 (220-81-62517)"}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}?created={case.number}"
    page = operator_client.get(response["Location"])
    assert page.context["created"] == case
    assert case.number in page.content.decode()
    assert page.context["form"]["description"].value() is None
    assert (case.store, case.channel, case.caller_phone, case.office) == (
        store,
        "phone",
        "01098765432",
        office,
    )
    assert AccessLog.objects.filter(action="add", object_pk=str(case.pk)).exists()


def test_a_typed_business_number_is_kept_when_no_store_is_picked(operator_client):
    operator_client.post(
        INTAKE, {**FORM, "store_query": "124-81-00998", "category": "onnuri_registration"}
    )
    case = Case.objects.get()
    assert (case.business_number, case.store) == ("1248100998", None)


def test_the_operator_may_take_the_case_at_once(operator_client, operator):
    operator_client.post(INTAKE, {**FORM, "assign_to_me": "on"})
    case = Case.objects.get()
    assert (case.status, case.assignee) == ("assigned", operator)


def test_a_refused_intake_keeps_what_was_typed_and_says_why(operator_client):
    response = operator_client.post(
        INTAKE, {**FORM, "caller_phone": "12", "store_query": "220-81-62518"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"caller_phone", "store_query"}
    assert form["caller_name"].value() == "김민원"
    assert not Case.objects.exists()


def test_a_missing_category_or_description_is_refused(operator_client):
    response = operator_client.post(INTAKE, {**FORM, "category": "", "description": ""})
    assert set(response.context["form"].errors) == {"category", "description"}


def test_a_store_of_another_office_cannot_be_smuggled_in(operator_client, other_office):
    foreign = StoreFactory(office=other_office)
    response = operator_client.post(INTAKE, {**FORM, "store": foreign.pk})
    assert "store_query" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("roles", [["clerk"], ["supervisor"], ["auditor"]])
def test_only_operators_reach_the_intake_page(client, office, roles):
    client.force_login(UserFactory(office=office, roles=roles))
    assert client.get(INTAKE).status_code == 403


def test_a_superuser_without_an_office_chooses_one(client, superuser, office):
    client.force_login(superuser)
    assert "office" in client.get(INTAKE).context["form"].fields
    client.post(INTAKE, {**FORM, "office": office.pk})
    assert Case.objects.get().office == office


# --- The store search ------------------------------------------------------------------------


def test_stores_are_found_by_number_name_or_phone_as_one_types(
    operator_client, store, other_office
):
    StoreFactory(office=other_office, trade_name="치평 골목식당 동구점")
    for typed in ("220-81", "2208162517", "골목식", "3334444"):
        results = operator_client.get(SEARCH, {"q": typed}).json()["results"]
        assert [r["id"] for r in results] == [store.pk], typed
    found = operator_client.get(SEARCH, {"q": "치평"}).json()["results"][0]
    assert found == {
        "id": store.pk,
        "trade_name": "치평 골목식당",
        "business_number": "220-81-62517",
        "phone": "062-****-4444",
        "dong": store.dong.name,
        "district": "치평 먹자골목",
        "closed": False,
    }


def test_the_store_search_needs_two_characters_and_stops_at_eight(operator_client, office):
    for n in range(12):
        StoreFactory(office=office, trade_name=f"풍암 분식 {n}")
    assert operator_client.get(SEARCH, {"q": "풍"}).json()["results"] == []
    assert len(operator_client.get(SEARCH, {"q": "풍암"}).json()["results"]) == 8


def test_the_store_search_is_fast_for_the_operator(
    operator_client, office, store, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        operator_client.get(SEARCH, {"q": "골목"})


def test_the_store_search_is_for_operators(client, office):
    client.force_login(UserFactory(office=office, roles=["auditor"]))
    assert client.get(SEARCH, {"q": "골목"}).status_code == 403


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_shows_my_cases_overdue_first(operator_client, office, operator, supervisor):
    on_time = services.case_assign(
        case=intake(office, operator, at=seoul(2030, 1, 7, 9)), user=supervisor, assignee=operator
    )
    late = services.case_assign(
        case=intake(office, operator, at=seoul(2026, 3, 9, 9)), user=supervisor, assignee=operator
    )
    intake(office, operator)  # nobody's yet
    response = operator_client.get(QUEUE, {"queue": "mine"})
    assert response.status_code == 200
    assert [row["case"] for row in response.context["rows"]] == [late, on_time]
    assert response.context["rows"][0]["case"].overdue is True
    counts = {key: count for key, _label, count in response.context["queues"]}
    assert counts == {"mine": 2, "unassigned": 1, "open": 3, "overdue": 2}


def test_the_unassigned_queue_and_contacts_shown_are_logged(operator_client, office, operator):
    case = intake(office, operator, caller_name="김민원", caller_phone="01098765432")
    response = operator_client.get(QUEUE, {"queue": "unassigned"})
    assert [row["case"] for row in response.context["rows"]] == [case]
    assert response.context["rows"][0]["caller"] == "김민원 010-9876-5432"
    assert AccessLog.objects.filter(action="view", object_pk=str(case.pk)).exists()


def test_a_supervisor_sees_the_queue_masked(client, office, operator, supervisor):
    intake(office, operator, caller_name="김민원", caller_phone="01098765432")
    client.force_login(supervisor)
    response = client.get(QUEUE, {"queue": "open"})
    assert response.context["rows"][0]["caller"] == "김*원 010-****-5432"
    assert not AccessLog.objects.filter(action="view").exists()  # the intake logged its add


def test_the_queue_keeps_to_the_office(client, office, other_office, operator):
    intake(office, operator)
    client.force_login(UserFactory(office=other_office, roles=["hotline_operator"]))
    response = client.get(QUEUE, {"queue": "open"})
    assert response.context["rows"] == []


def test_the_queue_takes_few_queries(
    operator_client, office, operator, store, django_assert_max_num_queries
):
    for _ in range(30):
        intake(office, operator, store=store)
    with django_assert_max_num_queries(14):
        operator_client.get(QUEUE, {"queue": "open"})
